# W2 peer: round trips through a semaphore pair, an async generator, sleep(0).
import asyncio, sys, time

N = int(sys.argv[1])

async def semaphore_pingpong():
    ping, pong = asyncio.Semaphore(0), asyncio.Semaphore(0)
    async def ponger():
        for _ in range(N):
            await ping.acquire()
            pong.release()
    t = asyncio.create_task(ponger())
    start = time.perf_counter()
    for _ in range(N):
        ping.release()
        await pong.acquire()
    dt = time.perf_counter() - start
    await t
    print(f"semaphore_round_trip {dt * 1e9 / N:.2f} {N / dt:.0f}")

async def generator_items():
    async def counter():
        for i in range(N):
            yield i
    start = time.perf_counter()
    n = 0
    async for _ in counter():
        n += 1
    dt = time.perf_counter() - start
    print(f"generator_item {dt * 1e9 / n:.2f} {n / dt:.0f}")

async def yields():
    start = time.perf_counter()
    for _ in range(N):
        await asyncio.sleep(0)
    dt = time.perf_counter() - start
    print(f"sleep0_yield {dt * 1e9 / N:.2f} {N / dt:.0f}")

asyncio.run(semaphore_pingpong())
asyncio.run(generator_items())
asyncio.run(yields())

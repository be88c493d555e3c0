# W1 peer: N asyncio tasks each sleeping 0.1 s in one TaskGroup.
import asyncio, resource, sys, time

async def nap():
    await asyncio.sleep(0.1)

async def main(n):
    start = time.monotonic()          # from the group's start to its end
    async with asyncio.TaskGroup() as tg:
        for _ in range(n):
            tg.create_task(nap())
    return time.monotonic() - start

n = int(sys.argv[1])
wall = asyncio.run(main(n))
print(f"wall {wall:.4f} rss_kib {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")

# W4 peer: the tutorial's Step 4 (aiofiles, an async generator), counting.
import asyncio, sys, time
import aiofiles

async def read_lines(filename):
    async with aiofiles.open(filename) as f:
        async for line in f:
            yield line.strip()

async def count(filename):
    n = 0
    async for line in read_lines(filename):
        if "ERROR" in line:
            n += 1
    return n

start = time.monotonic()
n = asyncio.run(count(sys.argv[1]))
print(f"seconds {time.monotonic() - start:.4f} count {n}")

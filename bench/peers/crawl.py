# W3 peer: the tutorial's Step 3 crawler (httpx + Semaphore + TaskGroup),
# URLs from a file. Prints: seconds pages.
import asyncio, sys, time
import httpx

async def fetch_url(client, sem, url):
    async with sem:  # Limit concurrent requests
        response = await client.get(url)
        return response.text

async def crawl(urls, max_concurrent=10):
    sem = asyncio.Semaphore(max_concurrent)
    limits = httpx.Limits(max_connections=max_concurrent, max_keepalive_connections=max_concurrent)
    async with httpx.AsyncClient(limits=limits) as client:
        async with asyncio.TaskGroup() as tg:
            tasks = [tg.create_task(fetch_url(client, sem, url)) for url in urls]
    return [t.result() for t in tasks]

urls = open(sys.argv[1]).read().split()
start = time.monotonic()
pages = asyncio.run(crawl(urls, int(sys.argv[2])))
print(f"seconds {time.monotonic() - start:.4f} pages {len(pages)}")

/* Step 3: a semaphore for rate limiting.
 *
 *   async def fetch_url(client, sem, url) -> str:
 *       async with sem:  # Limit concurrent requests
 *           response = await client.get(url)
 *           return response.text
 *
 *   async def crawl(urls, max_concurrent=10) -> list[str]:
 *       sem = asyncio.Semaphore(max_concurrent)
 *       async with httpx.AsyncClient() as client:
 *           async with asyncio.TaskGroup() as tg:
 *               tasks = [tg.create_task(fetch_url(client, sem, url)) for url in urls]
 *       return [t.result() for t in tasks]
 *
 * Every URL gets a task at once; the semaphore lets at most max_concurrent
 * of them hold a request open. The client is shared: its connections are
 * reused from one request to the next.
 */
#include "async.h"
#include "async_http.h"
#include "crawl.h"

/* async def fetch_url(client, sem, url) */
static int fetch_url(void *arg)
{
    fetch_job *job = arg;
    int rc = async_semaphore_acquire(job->sem);                  /* async with sem:  # Limit concurrent requests */
    if (rc)
        return rc;
    request_starts(job);                                         /*     (the demo counts requests in flight) */
    async_timeout timeout;                                       /*     async with asyncio.timeout(10):  (C adds it) */
    async_timeout_enter(&timeout, job->crawl->timeout);
    rc = async_http_get(job->client, job->url, &job->response);  /*         response = await client.get(url) */
    rc = async_timeout_exit(&timeout, rc);
    async_semaphore_release(job->sem);                           /* the end of `async with sem` */
    return request_ends(job, rc);                                /* return response.text: in job->response */
}

/* async def crawl(urls, max_concurrent) */
static int crawl(void *arg)
{
    crawl_job *crawl = arg;
    async_semaphore sem;
    async_semaphore_init(&sem, crawl->max_concurrent);          /* sem = asyncio.Semaphore(max_concurrent) */
    async_http_client *client = async_http_client_new(NULL);    /* async with httpx.AsyncClient() as client: */
    if (!client)
        return UV_ENOMEM;
    async_taskgroup tg;
    async_taskgroup_init(&tg);                                  /*     async with asyncio.TaskGroup() as tg: */
    for (size_t i = 0; i < crawl->count; i++) {                 /*         for url in urls: */
        fetch_job *job = &crawl->jobs[i];
        job->client = client;
        job->sem = &sem;
        async_taskgroup_create_task(&tg, fetch_url, job);       /*             tg.create_task(fetch_url(client, sem, url)) */
    }
    int rc = async_taskgroup_wait(&tg);                         /*     the group's end: all done, or the first error */
    async_http_client_close(client);                            /* the client's end */
    return rc;                                                  /* [t.result() ...]: each job's response */
}

int main(int argc, char **argv)
{
    return step3_cli(argc, argv, crawl);
}

/* to_thread.c: asyncio.to_thread on libuv's thread pool. A cancel takes back
 * queued work at once (uv_cancel); work already running is waited for, since
 * its arguments live on the caller's stack, and then UV_ECANCELED is returned. */
#include "async_internal.h"
#include "resource.h"

typedef struct thread_call {
    uv_work_t req;
    async_fn fn;
    void *arg;
    int status;
    int cancelled;
    async_task *task;
} thread_call;

static void work(uv_work_t *req)
{
    thread_call *c = req->data;
    c->status = c->fn(c->arg);
}

static void after_work(uv_work_t *req, int status)
{
    thread_call *c = req->data;
    if (status == UV_ECANCELED || c->cancelled)
        async__wake(c->task, UV_ECANCELED);
    else
        async__wake(c->task, c->status);
}

static void call_cancel(void *ctx)
{
    thread_call *c = ctx;
    c->cancelled = 1;
    uv_cancel((uv_req_t *)&c->req);   /* fails if running: then we wait */
}

int async_to_thread_at(async_fn fn, void *arg, const char *name, const char *file, int line)
{
    async__on_loop("async_to_thread");
    if (!fn || !async__current())
        return UV_EINVAL;
    int rc = async__check();
    if (!rc)
        rc = async__workers_fit();
    if (rc)
        return rc;
    thread_call c = { .fn = fn, .arg = arg, .task = async__current() };
    c.req.data = &c;
    rc = uv_queue_work(async_loop(), &c.req, work, after_work);
    if (rc)
        return rc;
    async__wait_here(ASYNC_ON_THREAD, arg, file, line)->detail.text = name;
    return async__park(call_cancel, &c);
}

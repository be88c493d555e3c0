/* file.c: uv_fs_open/read/close as awaits. The request lives on the task's
 * stack; the callback only records the result and wakes the task. A cancel
 * calls uv_cancel: queued work is dropped at once, work already running is
 * waited for (it writes into the caller's buffer), then the await returns. */
#include "async_internal.h"

#include <fcntl.h>

typedef struct fs_call {
    uv_fs_t req;
    async_task *task;
    int cancelled;
} fs_call;

static void fs_done(uv_fs_t *req)
{
    fs_call *c = req->data;
    int rc = (int)req->result;
    if (c->cancelled || rc == UV_ECANCELED) {
        if (req->fs_type == UV_FS_OPEN && rc >= 0) {
            uv_fs_t close_req;   /* opened after all: close it, we will not use it */
            uv_fs_close(NULL, &close_req, rc, NULL);
            uv_fs_req_cleanup(&close_req);
        }
        rc = UV_ECANCELED;
    }
    async__wake(c->task, rc);
}

static void fs_cancel(void *ctx)
{
    fs_call *c = ctx;
    c->cancelled = 1;
    uv_cancel((uv_req_t *)&c->req);   /* fails if already running: then we wait */
}

/* Starts one uv_fs_* request through start() and awaits its callback. */
static ssize_t fs_await(fs_call *c, int started)
{
    if (started < 0)
        return started;
    ssize_t rc = async__park(fs_cancel, c);
    uv_fs_req_cleanup(&c->req);
    return rc;
}

int async_file_open(async_file *f, const char *path)
{
    f->fd = -1;
    f->offset = 0;
    int rc = async__check();
    if (rc)
        return rc;
    fs_call c = { .task = async__current() };
    c.req.data = &c;
    rc = (int)fs_await(&c, uv_fs_open(async_loop(), &c.req, path, O_RDONLY | O_CLOEXEC, 0, fs_done));
    if (rc < 0)
        return rc;
    f->fd = rc;
    return 0;
}

ssize_t async_file_read(async_file *f, void *buf, size_t len)
{
    if (f->fd < 0)
        return UV_EBADF;
    int rc = async__check();
    if (rc)
        return rc;
    fs_call c = { .task = async__current() };
    c.req.data = &c;
    uv_buf_t b = uv_buf_init(buf, (unsigned)(len > 1u << 30 ? 1u << 30 : len));
    /* Offset -1: read where the file stands, so pipes and FIFOs work too. */
    ssize_t n = fs_await(&c, uv_fs_read(async_loop(), &c.req, f->fd, &b, 1, -1, fs_done));
    if (n > 0)
        f->offset += n;
    return n;
}

/* Closing is cleanup: it must happen even in a cancelled task, so it is
 * shielded, and it is not cancellable (a half-closed fd helps no one). */
int async_file_close(async_file *f)
{
    if (f->fd < 0)
        return 0;
    async_shield shield;
    async_shield_enter(&shield);
    fs_call c = { .task = async__current() };
    c.req.data = &c;
    int rc = uv_fs_close(async_loop(), &c.req, f->fd, fs_done);
    if (rc == 0) {
        rc = (int)async__park(NULL, NULL);
        uv_fs_req_cleanup(&c.req);
    }
    async_shield_exit(&shield);
    f->fd = -1;
    return rc;
}

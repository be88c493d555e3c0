/* file.c: uv_fs_open/read/close as awaits. The request lives on the task's
 * stack; the callback only records the result and wakes the task. A cancel
 * calls uv_cancel: queued work is dropped at once, work already running is
 * waited for (it writes into the caller's buffer), then the await returns.
 *
 * That wait is short for files and disks, but a read of a pipe, a FIFO or a
 * terminal can block for ever, and a thread-pool read cannot be interrupted:
 * Ctrl-C would never end the program. So those are opened non-blocking and
 * read on the loop instead: wait for readability (uv_poll, cancellable like
 * any await), then read what is there. */
#include "async_internal.h"
#include "resource.h"
#include "async_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct fs_call {
    uv_fs_t req;
    async_task *task;
    int cancelled;
} fs_call;

/* A cancelled open that opened after all: close it, we will not use it. */
static void close_if_opened(const uv_fs_t *req)
{
    if (req->fs_type == UV_FS_OPEN && req->result >= 0) {
        uv_fs_t close_req;
        uv_fs_close(NULL, &close_req, (uv_file)req->result, NULL);
        uv_fs_req_cleanup(&close_req);
    }
}

static void fs_done(uv_fs_t *req)
{
    fs_call *c = req->data;
    int rc = (int)req->result;
    if (c->cancelled || rc == UV_ECANCELED) {
        close_if_opened(req);
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

/* What a task waits on, said for the task tree just before each park. */
typedef struct wait_note {
    async_wait_on on;
    const void *object;
    const char *text;        /* the path opened */
    int fd;
    size_t size;             /* the bytes a read asked for */
    const char *file;
    int line;
} wait_note;

static void note_wait(const wait_note *n)
{
    async_wait_site *w = async__wait_here(n->on, n->object, n->file, n->line);
    if (w && n->text) {
        w->detail.text = n->text;
    } else if (w) {
        w->detail.file.fd = n->fd;
        w->detail.file.size = n->size > UINT32_MAX ? UINT32_MAX : (uint32_t)n->size;
    }
}

/* Awaits the callback of a uv_fs_* request the caller has just started
 * (started: what the uv_fs_* call returned; negative means it never began),
 * saying first what the task waits on (n). */
static ssize_t fs_await(fs_call *c, int started, const wait_note *n)
{
    if (started < 0)
        return started;
    note_wait(n);
    ssize_t rc = async__park(fs_cancel, c);
    /* Cancelled after the request ended, before the task ran (no hook ran,
     * fs_done saw no cancel): its result is dropped, as asyncio drops it. */
    if (rc == UV_ECANCELED && !c->cancelled)
        close_if_opened(&c->req);
    uv_fs_req_cleanup(&c->req);
    return rc;
}

/* ------------------------------------------- pipes, FIFOs and terminals */

static void on_readable(uv_poll_t *p, int status, int events)
{
    (void)events;
    uv_poll_stop(p);
    async__wake(p->data, status < 0 ? status : 0);
}

static void poll_cancel(void *ctx)
{
    uv_poll_t *p = ctx;
    uv_poll_stop(p);
    async__wake(p->data, UV_ECANCELED);
}

/* Readiness first, then the read: a FIFO no writer has opened yet reads as
 * the end, but does not poll readable until a writer comes (and goes). */
static ssize_t poll_read(async_file *f, void *buf, size_t len, const wait_note *note)
{
    uv_poll_t *p = f->poll;
    for (;;) {
        p->data = async__current();
        int rc = uv_poll_start(p, UV_READABLE | UV_DISCONNECT, on_readable);
        if (rc == 0) {
            note_wait(note);
            rc = async__park(poll_cancel, p);
        }
        if (rc)
            return rc;
        ssize_t n = read(f->fd, buf, len);
        if (n >= 0)
            return n;
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return uv_translate_sys_error(errno);
    }
}

/* A file that can block goes to the loop; one epoll refuses (/dev/zero,
 * /dev/urandom: they never block) stays on the thread pool, blocking. */
static void choose_reader(async_file *f)
{
    struct stat st;
    if (fstat(f->fd, &st) != 0 || S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))
        return;
    uv_poll_t *p = malloc(sizeof *p);
    if (p && uv_poll_init(async_loop(), p, f->fd) == 0) {
        f->poll = p;
        return;
    }
    free(p);
    int flags = fcntl(f->fd, F_GETFL);
    if (flags >= 0)
        fcntl(f->fd, F_SETFL, flags & ~O_NONBLOCK);
}

static void on_poll_closed(uv_handle_t *h)
{
    async_task *t = h->data;
    free(h);
    async__wake(t, 0);
}

/* ------------------------------------------------------------ the calls */

#undef async_file_open
int async_file_open(async_file *f, const char *path)
{
    return async_file_open_at(f, path, NULL, 0);
}

int async_file_open_at(async_file *f, const char *path, const char *file, int line)
{
    f->fd = -1;
    f->offset = 0;
    f->poll = NULL;
    f->reader = NULL;
    int rc = async__check();
    if (!rc)
        rc = async__workers_fit();
    if (rc)
        return rc;
    fs_call c = { .task = async__current() };
    c.req.data = &c;
    /* O_NONBLOCK: a FIFO opens without waiting for a writer (uncancellable
     * in the thread pool); regular files ignore it. */
    int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
    wait_note note = { ASYNC_ON_FILE_OPEN, f, path, -1, 0, file, line };
    rc = (int)fs_await(&c, uv_fs_open(async_loop(), &c.req, path, flags, 0, fs_done), &note);
    if (rc < 0)
        return rc;
    f->fd = rc;
    choose_reader(f);
    return 0;
}

#undef async_file_read
ssize_t async_file_read(async_file *f, void *buf, size_t len)
{
    return async_file_read_at(f, buf, len, NULL, 0);
}

/* Two tasks inside one file: the second would take the first's place on
 * the poll handle (the first never woken), or close the fd under its read. */
static void busy(const async_file *f, const char *call, const char *asyncio,
                 const char *file, int line)
{
    async__misuse(file, line, "%s: task '%s' is inside async_file_read on this file%s: let "
                  "its read return first, or cancel it", call, async_task_name(f->reader),
                  asyncio);
}

static ssize_t read_now(async_file *f, void *buf, size_t len, const char *file, int line);

ssize_t async_file_read_at(async_file *f, void *buf, size_t len, const char *file, int line)
{
    if (f->fd < 0)
        return UV_EBADF;
    if (f->reader)
        busy(f, "async_file_read", " (asyncio: already waiting for incoming data)", file, line);
    f->reader = async__current();
    ssize_t n = read_now(f, buf, len, file, line);
    f->reader = NULL;
    return n;
}

static ssize_t read_now(async_file *f, void *buf, size_t len, const char *file, int line)
{
    int rc = async__check();
    if (rc)
        return rc;
    wait_note note = { ASYNC_ON_FILE_READ, f, NULL, f->fd, len, file, line };
    if (f->poll) {
        ssize_t n = poll_read(f, buf, len, &note);
        if (n > 0)
            f->offset += n;
        return n;
    }
    fs_call c = { .task = async__current() };
    c.req.data = &c;
    uv_buf_t b = uv_buf_init(buf, (unsigned)(len > 1u << 30 ? 1u << 30 : len));
    /* Offset -1: read where the file stands, so pipes and FIFOs work too. */
    ssize_t n = fs_await(&c, uv_fs_read(async_loop(), &c.req, f->fd, &b, 1, -1, fs_done), &note);
    if (n > 0)
        f->offset += n;
    else if (n == UV_ECANCELED && c.req.result > 0)
        f->offset += c.req.result;    /* read, then cancelled: the bytes are gone */
    return n;
}

/* Closing is cleanup: it must happen even in a cancelled task, so it is
 * shielded, and it is not cancellable (a half-closed fd helps no one). */
#undef async_file_close
int async_file_close(async_file *f)
{
    return async_file_close_at(f, NULL, 0);
}

int async_file_close_at(async_file *f, const char *file, int line)
{
    if (f->fd < 0)
        return 0;
    if (f->reader)
        busy(f, "async_file_close", "", file, line);
    wait_note note = { ASYNC_ON_FILE_CLOSE, f, NULL, f->fd, 0, file, line };
    async_shield shield;
    async_shield_enter(&shield);
    if (f->poll) {                    /* the handle goes first, then the fd */
        uv_handle_t *h = f->poll;
        h->data = async__current();
        uv_close(h, on_poll_closed);
        note_wait(&note);
        async__park(NULL, NULL);
        f->poll = NULL;
    }
    fs_call c = { .task = async__current() };
    c.req.data = &c;
    int rc = uv_fs_close(async_loop(), &c.req, f->fd, fs_done);
    if (rc == 0) {
        note_wait(&note);
        rc = (int)async__park(NULL, NULL);
        uv_fs_req_cleanup(&c.req);
    }
    async_shield_exit(&shield);
    f->fd = -1;
    return rc;
}

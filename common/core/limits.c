/* limits.c: the process limits libuv does not report but aborts on, checked
 * before it meets them, so that the abort (or the error) comes after a line
 * naming the resource that ran out. */
#include "task.h"
#include "resource.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

/* The first loop of a process takes a pipe for signals and aborts if it
 * cannot: ask for three descriptors (that pipe and the loop's epoll) first,
 * so that running out of them is an error with a name. */
int async__descriptors_left(void)
{
    int p[2];
    if (pipe(p) != 0)
        return uv_translate_sys_error(errno);
    int third = dup(p[0]);
    int err = third < 0 ? errno : 0;
    close(p[0]);
    close(p[1]);
    if (third >= 0)
        close(third);
    return err ? uv_translate_sys_error(err) : 0;
}

/* Where libuv would abort on a process limit, a line naming it first. */
int async__loop_init(uv_loop_t *loop)
{
    int rc = async__descriptors_left();
    if (!rc)
        rc = uv_loop_init(loop);
    if (rc)
        fprintf(stderr, "async: the loop cannot start: %s%s\n", uv_strerror(rc),
                rc == UV_EMFILE ? " (raise ulimit -n)" : "");
    return rc;
}

/* libuv's worker threads (file reads, async_to_thread) start at the first
 * such call, each with a stack of RLIMIT_STACK (8 MiB), and libuv aborts if
 * one cannot be made. Under an address-space limit (ulimit -v, prlimit
 * --as), see first whether they fit: if not, one line and UV_ENOMEM. */
int async__workers_fit(void)
{
    static int started;
    struct rlimit as, stack;
    if (started || getrlimit(RLIMIT_AS, &as) != 0 || as.rlim_cur == RLIM_INFINITY)
        return 0;
    size_t each = 8u << 20;
    if (getrlimit(RLIMIT_STACK, &stack) == 0 && stack.rlim_cur != RLIM_INFINITY &&
        stack.rlim_cur > 0)
        each = (size_t)stack.rlim_cur;
    const char *env = getenv("UV_THREADPOOL_SIZE");
    long threads = env && atol(env) > 0 ? atol(env) : 4;
    size_t need = (size_t)threads * (each + (64u << 10));
    void *p = mmap(NULL, need, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
        munmap(p, need);
        started = 1;             /* the caller's request starts them now */
        return 0;
    }
    fprintf(stderr, "async: the address-space limit (ulimit -v) leaves no room for libuv's %ld "
                    "worker threads (%zu MiB of stack each, for file reads and "
                    "async_to_thread): raise ulimit -v or lower ulimit -s\n",
            threads, each >> 20);
    return UV_ENOMEM;
}

/* output.c: checking stdout's writes (see wb_output.h). */
#include "wb_output.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <uv.h>

static const char *program = "program";

/* A closed pipe: die of SIGPIPE, as a program that never ignored it would
 * have at its first write; anything else: say what and exit 1. _exit, not
 * exit: stdout is broken, and the atexit handlers (this one too) must not
 * run again from inside a task. */
static void fail(int err)
{
    if (err == EPIPE) {
        sigset_t pipe_only;
        sigemptyset(&pipe_only);
        sigaddset(&pipe_only, SIGPIPE);
        signal(SIGPIPE, SIG_DFL);
        pthread_sigmask(SIG_UNBLOCK, &pipe_only, NULL);
        raise(SIGPIPE);
        _exit(128 + SIGPIPE);        /* not reached */
    }
    fprintf(stderr, "%s: cannot write to stdout: %s\n", program,
            uv_strerror(uv_translate_sys_error(err)));
    _exit(1);
}

/* A pipe or socket whose reader has gone: poll says so on the writing end,
 * whatever errno holds by now. */
static int reader_gone(void)
{
    struct pollfd p = { .fd = 1, .events = POLLOUT };
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

/* Else errno, read just after the failed write, says why (stdio drops the
 * unwritten bytes, so the write cannot be tried again for a fresh cause). */
static int write_error(void)
{
    if (reader_gone())
        return EPIPE;
    return errno ? errno : EIO;
}

void wb_output_check(void)
{
    if (ferror(stdout))
        fail(write_error());
}

void wb_output_flush(void)
{
    errno = 0;
    fflush(stdout);
    wb_output_check();
}

static void check_at_exit(void)
{
    wb_output_flush();
}

/* libuv asserts that the descriptors it opens are past stderr's: a program
 * started with one of 0-2 closed would die in an assertion. */
static void stdio_open(void)
{
    if (fcntl(0, F_GETFD) < 0 && errno == EBADF)
        open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fcntl(1, F_GETFD) < 0 && errno == EBADF) {
        if (fcntl(2, F_GETFD) < 0)
            _exit(1);                /* nowhere to say anything */
        fail(EBADF);
    }
    if (fcntl(2, F_GETFD) < 0 && errno == EBADF)
        open("/dev/null", O_WRONLY | O_CLOEXEC);
}

void wb_output_init(const char *prog)
{
    static int registered;
    program = prog;
    stdio_open();
    if (!registered && atexit(check_at_exit) == 0)
        registered = 1;
}

int wb_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    wb_output_check();
    return n;
}

/* support.c: subprocesses, forks and clocks for the test suites. */
#include "support.h"
#include "platform.h"   /* ASYNC_ASAN */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

const char *test_bin(const char *name)
{
    static char paths[8][512];
    static int next;
    const char *bin = getenv("BIN");
    char *p = paths[next++ % 8];
    snprintf(p, sizeof paths[0], "%s/%s", bin && *bin ? bin : ".", name);
    return p;
}

void skip_unless_spawn_works(void)
{
    const char *why = getenv("TEST_NO_SPAWN");
    if (why && *why) {
        print_message("skipped: no new processes or threads here (%s)\n", why);
        skip();
    }
}

double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int under_emulator(void)
{
    const char *runner = getenv("TEST_RUNNER");
    return runner && *runner;
}

int built_with_asan(void)
{
#ifdef ASYNC_ASAN
    return 1;
#else
    return 0;
#endif
}

int under_valgrind(void)
{
    if (under_emulator())                           /* as slow, or slower */
        return 1;
#ifdef RUNNING_ON_VALGRIND
    if (RUNNING_ON_VALGRIND)
        return 1;
#endif
    const char *v = getenv("LD_PRELOAD");
    return v && strstr(v, "valgrind") != NULL;
}

int count_chart_rows(const char *text, char mark, const char *status)
{
    char end[64];
    snprintf(end, sizeof end, "| %s", status);
    int n = 0;
    for (const char *p = text; (p = strstr(p, end)); p++) {
        const char *q = p - 1;
        while (q > text && *q == ' ')
            q--;
        n += *q == mark;
    }
    return n;
}

int count_lines_with(const char *text, const char *needle)
{
    int n = 0;
    const char *p = text;
    while (p && *p) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *hit = strstr(p, needle);
        if (hit && hit < p + len)
            n++;
        p = end ? end + 1 : NULL;
    }
    return n;
}

typedef struct buffer {
    char *data;
    size_t len, cap;
} buffer;

static void buffer_add(buffer *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
        assert_non_null(b->data);
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

static int drain(int fd, buffer *b)
{
    char chunk[4096];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n > 0)
        buffer_add(b, chunk, (size_t)n);
    return n > 0 || (n < 0 && errno == EINTR);
}

static int exit_status(int st)
{
    return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

/* Where the child's stdout goes: our pipe (captured), a file, or a pipe
 * whose reader has already gone. */
enum { OUT_CAPTURED, OUT_FILE, OUT_CLOSED_PIPE };

static void redirect_stdout(int mode, const char *path, int captured)
{
    int fd = captured;
    if (mode == OUT_FILE) {
        fd = open(path, O_WRONLY);
    } else if (mode == OUT_CLOSED_PIPE) {
        int p[2];
        if (pipe(p) == 0) {
            close(p[0]);
            fd = p[1];
        }
    }
    if (fd < 0)
        _exit(126);
    dup2(fd, 1);
    if (fd != captured) {       /* our pipe must see its end when the child ends */
        close(fd);
        close(captured);
    }
}

static proc_result run_with(char *const argv[], const char *env, double limit,
                            double interrupt_after, int out_mode, const char *out_path);

proc_result run_program(char *const argv[], const char *env, double limit, double interrupt_after)
{
    return run_with(argv, env, limit, interrupt_after, OUT_CAPTURED, NULL);
}

proc_result run_program_stdout(char *const argv[], const char *env, double limit,
                               const char *stdout_path)
{
    return run_with(argv, env, limit, 0, stdout_path ? OUT_FILE : OUT_CLOSED_PIPE, stdout_path);
}

static proc_result run_with(char *const argv[], const char *env, double limit,
                            double interrupt_after, int out_mode, const char *out_path)
{
    int out[2], err[2];
    proc_result r = { 0 };
    skip_unless_spawn_works();
    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(err), 0);
    double start = now_seconds();
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        redirect_stdout(out_mode, out_path, out[1]);
        dup2(err[1], 2);
        close(out[0]); close(err[0]);
        setpgid(0, 0);
        if (env)
            putenv((char *)env);
        /* The workbook's own programs run under the emulator (e.g.
         * qemu-aarch64); the machine's tools (python3) run as they are. */
        const char *runner = getenv("TEST_RUNNER");
        const char *bin = getenv("BIN");
        size_t bin_len = bin ? strlen(bin) : 0;
        int ours = bin_len && strncmp(argv[0], bin, bin_len) == 0 && argv[0][bin_len] == '/';
        if (runner && *runner && ours) {
            char *with[16] = { (char *)runner };
            for (int i = 0; argv[i] && i < 14; i++)
                with[i + 1] = argv[i];
            execvp(runner, with);
        }
        execv(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(out[1]); close(err[1]);
    buffer bo = { 0 }, be = { 0 };
    buffer_add(&bo, "", 0);
    buffer_add(&be, "", 0);
    int open_fds = 2, interrupted = 0;
    struct pollfd fds[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };
    while (open_fds > 0) {
        double elapsed = now_seconds() - start;
        if (interrupt_after > 0 && !interrupted && elapsed >= interrupt_after) {
            kill(pid, SIGINT);
            interrupted = 1;
        }
        if (elapsed > limit) {
            kill(-pid, SIGKILL);
            r.timed_out = 1;
            break;
        }
        if (poll(fds, 2, 10) <= 0)
            continue;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP))) {
                if (!drain(fds[i].fd, i ? &be : &bo)) {
                    close(fds[i].fd);
                    fds[i].fd = -1;
                    open_fds--;
                }
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0)
            close(fds[i].fd);
    int st = 0;
    waitpid(pid, &st, 0);
    r.seconds = now_seconds() - start;
    r.status = exit_status(st);
    r.out = bo.data;
    r.err = be.data;
    return r;
}

void proc_result_free(proc_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

int run_forked(async_fn fn, void *arg, char **err_out)
{
    int err[2];
    skip_unless_spawn_works();
    assert_int_equal(pipe(err), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(err[0]);
        dup2(err[1], 2);
        /* a program of its own: not cmocka's handlers, which would longjmp
         * back into the test runner from a fault (qemu-user did) */
        const int faults[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
        for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
            signal(faults[i], SIG_DFL);
        int rc = async_run(fn, arg);
        fflush(NULL);
        _exit(rc == 0 ? 0 : 1);
    }
    close(err[1]);
    buffer be = { 0 };
    buffer_add(&be, "", 0);
    while (drain(err[0], &be))
        ;
    close(err[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    if (err_out)
        *err_out = be.data;
    else
        free(be.data);
    return exit_status(st);
}

/* check.h: what every exercise's check needs, and nothing that prints hex.
 *
 * A check.c defines `static void check(void)` and includes this file first.
 * check() runs the learner's code (through async_run) and judges what it did
 * with EXPECT(condition, "what was expected, what happened", ...): the first
 * EXPECT that fails prints its sentence, points at `make hint N` and ends the
 * program with status 1. Errors are printed by name (status_name), times in
 * seconds. The whole check is bounded: after CHECK_SECONDS a line says the
 * exercise did not finish, and the program ends with status 1.
 *
 * EXERCISE_N (the exercise's number) comes from the build (-DEXERCISE_N=3).
 */
#ifndef EXERCISE_CHECK_H
#define EXERCISE_CHECK_H

#include "async.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef EXERCISE_N
#define EXERCISE_N 0
#endif
#define CHECK_SECONDS 10

static void check(void);

/* "UV_ECANCELED (operation canceled)", "0 (success)", "3 (a count)": a
 * status as the learner should read it. Four buffers, so that one printf can
 * name two or three statuses. */
static inline const char *status_name(int rc)
{
    static char buf[4][96];
    static int next;
    char *b = buf[next++ % 4];
    if (rc == 0)
        snprintf(b, sizeof buf[0], "0 (success)");
    else if (rc < 0)
        snprintf(b, sizeof buf[0], "UV_%s (%s)", uv_err_name(rc), uv_strerror(rc));
    else
        snprintf(b, sizeof buf[0], "%d", rc);
    return b;
}

static inline void check_hint_line(void)
{
    printf("  stuck? `make hint %d` shows the next hint (one at a time)\n", EXERCISE_N);
}

/* The first failed expectation ends the check: later ones would only repeat
 * its cause in other words. */
static void check_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("exercise %d: not yet: ", EXERCISE_N);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    check_hint_line();
    fflush(stdout);
    exit(1);
}

#define EXPECT(cond, ...)               \
    do {                                \
        if (!(cond))                    \
            check_fail(__VA_ARGS__);    \
    } while (0)

/* Runs fn(arg) as async_run's main task; a main that fails is the check's
 * own failure, named. */
static inline void check_run(async_fn fn, void *arg)
{
    int rc = async_run(fn, arg);
    EXPECT(rc == 0, "the check's main task ended with %s (a task of yours may have "
           "cancelled it, or a cancellation was passed up too far)", status_name(rc));
}

static char check_timeout_msg[256];

static void check_timed_out(int sig)
{
    (void)sig;
    ssize_t n = write(1, check_timeout_msg, strlen(check_timeout_msg));
    (void)n;
    _exit(1);
}

/* The core reports what a run left behind (a generator never closed, a task
 * never awaited) on stderr once async_run ends: a mistake, but one no counter
 * in the check sees. So the check runs in a child whose output comes through
 * a pipe: every line is passed on at once (also when the child crashes or the
 * core aborts, so its message is never lost), and a copy is kept to look for
 * those reports once the child has passed. */
static const char *const check_leftovers[][2] = {
    { "was never closed", "a generator you created was never closed (the core's "
      "'async:' line above names it): expected async_generator_close on every way out, "
      "also when its producer failed" },
    { "was never awaited", "a task was never awaited (the core's 'async:' line above "
      "names it): expected every task you start to be awaited, or in a group that is "
      "waited for" },
    { "still pending when main returned", "a task was still running when the check "
      "ended (the core's 'async:' line above names it): expected every task you start "
      "to be finished, or cancelled, before your function returns" },
};

static void check_in_child(void)
{
    snprintf(check_timeout_msg, sizeof check_timeout_msg,
             "exercise %d: not yet: your exercise did not finish within %d s: is a task "
             "waiting for something that never comes?\n"
             "  stuck? `make hint %d` shows the next hint (one at a time)\n",
             EXERCISE_N, CHECK_SECONDS, EXERCISE_N);
    async_set_debug(1);     /* the core names awaits after UV_ECANCELED, and more */
    signal(SIGALRM, check_timed_out);
    alarm(CHECK_SECONDS);
    check();
    fflush(stdout);
    exit(0);
}

/* The check is run by `make check-exercise N`, without arguments; run by
 * hand, it answers --help and refuses anything else, as the programs do. */
static void check_arguments(int argc, char **argv)
{
    if (argc < 2)
        return;
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        printf("usage: %s\n  runs exercise %d's check on your exercise.c (make check-exercise "
               "%d builds and runs it)\n", argv[0], EXERCISE_N, EXERCISE_N);
        exit(fflush(stdout) == 0 ? 0 : 1);
    }
    fprintf(stderr, "%s: %s '%s' (the check takes no arguments: make check-exercise %d)\n",
            argv[0], argv[1][0] == '-' ? "unknown flag" : "unexpected argument", argv[1],
            EXERCISE_N);
    exit(2);
}

/* The check's words must reach the learner: a full disk is said on stderr
 * and fails the check (a closed pipe ends it by SIGPIPE, as grep). */
static void check_output_failed(void)
{
    fprintf(stderr, "exercise %d: cannot write to stdout: %s\n", EXERCISE_N,
            uv_strerror(uv_translate_sys_error(errno)));
    exit(1);
}

int main(int argc, char **argv)
{
    check_arguments(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    int fds[2];
    if (pipe(fds) != 0)
        check_in_child();                    /* no pipe: run here, unwatched */
    fflush(stdout);
    fflush(stderr);
    pid_t child = fork();
    if (child < 0)
        check_in_child();
    if (child == 0) {
        close(fds[0]);
        dup2(fds[1], 1);                     /* both, so that the core's lines */
        dup2(fds[1], 2);                     /* and the check's keep their order */
        close(fds[1]);
        check_in_child();
    }
    close(fds[1]);
    static char seen[1 << 16];
    size_t kept = 0;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) != 0) {
        if (n < 0)
            continue;                        /* EINTR */
        for (ssize_t done = 0, w; done < n; done += w)
            if ((w = write(1, buf + done, (size_t)(n - done))) < 0) {
                if (errno != EINTR)
                    check_output_failed();       /* the child dies of SIGPIPE */
                w = 0;
            }
        if (kept + (size_t)n >= sizeof seen)
            kept = 0;                        /* the reports come last: keep the tail */
        memcpy(seen + kept, buf, (size_t)n);
        kept += (size_t)n;
    }
    seen[kept] = 0;
    int status;
    while (waitpid(child, &status, 0) < 0)
        ;
    if (WIFSIGNALED(status)) {               /* the same end, for the caller to name */
        signal(WTERMSIG(status), SIG_DFL);
        raise(WTERMSIG(status));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    for (size_t i = 0; i < sizeof check_leftovers / sizeof check_leftovers[0]; i++)
        EXPECT(!strstr(seen, check_leftovers[i][0]), "%s", check_leftovers[i][1]);
    printf("exercise %d passes\n", EXERCISE_N);
    if (fflush(stdout) != 0 || ferror(stdout))
        check_output_failed();
    return 0;
}

#endif

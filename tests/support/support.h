/* support.h: helpers shared by every test suite. */
#ifndef TEST_SUPPORT_H
#define TEST_SUPPORT_H

#include <stddef.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>

#include "async.h"

/* What a finished subprocess left: its output and how it ended. */
typedef struct proc_result {
    char *out;          /* stdout, NUL-terminated */
    char *err;          /* stderr, NUL-terminated */
    int status;         /* exit status, or 128 + signal number */
    int timed_out;      /* killed after the time limit */
    double seconds;     /* wall time */
} proc_result;

/* Path of a built program: "$BIN/name" (BIN defaults to "."). */
const char *test_bin(const char *name);

/* Runs argv (argv[0] is a path) with an optional environment addition
 * ("NAME=value" or NULL), feeding no stdin, killing it after limit seconds.
 * If interrupt_after > 0, sends SIGINT after that many seconds. */
proc_result run_program(char *const argv[], const char *env, double limit,
                        double interrupt_after);
void proc_result_free(proc_result *r);

/* The same with stdout written to stdout_path (e.g. "/dev/full"; r.out stays
 * empty), or, with NULL, to a pipe whose reading end is already closed (as
 * after `| head -c1`). */
proc_result run_program_stdout(char *const argv[], const char *env, double limit,
                               const char *stdout_path);

/* Runs fn(arg) under async_run in a forked child, capturing its stderr;
 * returns the child's exit status (async_run's status as 0/1, or 128+signal). */
int run_forked(async_fn fn, void *arg, char **err_out);

/* 1 when running under valgrind or an emulator (TEST_RUNNER, e.g.
 * qemu-aarch64): suites scale their counts down and widen their margins. */
int under_valgrind(void);

/* 1 in a build with AddressSanitizer (make asan). */
int built_with_asan(void);

/* 1 under an emulator only (TEST_RUNNER set). */
int under_emulator(void);

/* Skips the current test (with the reason printed) where new processes or
 * threads cannot be made: set TEST_NO_SPAWN=why for such a runner (an
 * emulator whose fork() or pthread_create() does not work). */
void skip_unless_spawn_works(void);

/* Seconds on a monotonic clock. */
double now_seconds(void);

/* Timeline rows whose bar ends in `mark` ('x', '!', '|') with that status:
 * "...x| cancelled", or "...x   | cancelled" when the run's end is drawn some
 * columns later (a loaded machine, an emulator). */
int count_chart_rows(const char *text, char mark, const char *status);

/* Counts lines of text containing needle. */
int count_lines_with(const char *text, const char *needle);

#endif

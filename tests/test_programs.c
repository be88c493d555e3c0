/* test_programs.c: what every program of the workbook (the steps and the
 * mistakes) does with its command line and its output, the same way:
 * --help on stdout with status 0; an unknown flag refused in one line on
 * stderr with status 2; a full disk named in one line with status 1; a
 * reader that went away ends the program at once by SIGPIPE, as grep. */
#include "support.h"

#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_PROGRAMS = 64 };

static const char *steps[] = { "step1", "step2", "step3", "step4", "step5" };

/* The steps and every mistake-* program built beside them. */
static int programs(char names[][64])
{
    int n = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        snprintf(names[n++], 64, "%s", steps[i]);
    const char *bin = getenv("BIN");
    DIR *d = opendir(bin && *bin ? bin : ".");
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) && n < MAX_PROGRAMS;)
        if (strncmp(e->d_name, "mistake-", 8) == 0 && access(test_bin(e->d_name), X_OK) == 0)
            snprintf(names[n++], 64, "%.63s", e->d_name);
    closedir(d);
    assert_true(n >= (int)(sizeof steps / sizeof steps[0]) + 7);   /* the seven mistakes */
    return n;
}

static proc_result run(const char *name, char *a1, char *a2)
{
    char *argv[] = { (char *)test_bin(name), a1, a2, NULL };
    return run_program(argv, NULL, 30, 0);
}

static void help_goes_to_stdout_with_status_0(void **state)
{
    (void)state;
    char names[MAX_PROGRAMS][64];
    int n = programs(names);
    for (int i = 0; i < n; i++) {
        for (int h = 0; h < 2; h++) {
            proc_result r = run(names[i], h ? "-h" : "--help", NULL);
            char usage[80];
            snprintf(usage, sizeof usage, "usage: %.63s", names[i]);
            if (r.status != 0 || strncmp(r.out, usage, strlen(usage)) != 0 || r.err[0])
                print_message("%s --help: status %d, out '%s', err '%s'\n", names[i], r.status,
                              r.out, r.err);
            assert_int_equal(r.status, 0);
            assert_memory_equal(r.out, usage, strlen(usage));
            assert_string_equal(r.err, "");
            proc_result_free(&r);
        }
    }
}

/* "--bogus", also after a flag the program knows, and a stray argument for
 * the programs that take none. */
static void an_unknown_flag_is_one_line_on_stderr_with_status_2(void **state)
{
    (void)state;
    char names[MAX_PROGRAMS][64];
    int n = programs(names);
    for (int i = 0; i < n; i++) {
        int mistake = strncmp(names[i], "mistake-", 8) == 0;
        char *cases[][2] = { { "--bogus", NULL }, { "-x", NULL },
                             { mistake ? "stray" : "--timeline", mistake ? NULL : "--bogus" } };
        for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
            proc_result r = run(names[i], cases[k][0], cases[k][1]);
            const char *bad = cases[k][1] ? cases[k][1] : cases[k][0];
            char want[256];
            snprintf(want, sizeof want, "%.63s: %s '%.20s' (%.63s --help ", names[i],
                     bad[0] == '-' ? "unknown flag" : "unexpected argument", bad, names[i]);
            if (r.status != 2 || !strstr(r.err, want) || count_lines_with(r.err, "") != 1)
                print_message("%s %s: status %d, err '%s'\n", names[i], bad, r.status, r.err);
            assert_int_equal(r.status, 2);
            assert_int_equal(count_lines_with(r.err, ""), 1);
            assert_memory_equal(r.err, want, strlen(want));
            assert_string_equal(r.out, "");
            proc_result_free(&r);
        }
    }
}

/* Arguments that make each program short but still print something. */
static void quick_argv(const char *name, char *argv[8])
{
    int n = 0;
    argv[n++] = (char *)test_bin(name);
    if (strcmp(name, "step5") == 0) {
        static char *quick[] = { "--timeout", "0.2", "--cancel-after", "0.1", "--slow", "1" };
        for (int i = 0; i < 6; i++)
            argv[n++] = quick[i];
    }
    argv[n] = NULL;
}

static void a_full_disk_is_one_line_and_status_1(void **state)
{
    (void)state;
    char names[MAX_PROGRAMS][64];
    int n = programs(names);
    for (int i = 0; i < n; i++) {
        char *argv[8];
        quick_argv(names[i], argv);
        proc_result r = run_program_stdout(argv, NULL, 60, "/dev/full");
        char want[128];
        snprintf(want, sizeof want, "%.63s: cannot write to stdout: no space left on device\n",
                 names[i]);
        if (r.status != 1 || !strstr(r.err, want))
            print_message("%s > /dev/full: status %d, err '%s'\n", names[i], r.status, r.err);
        assert_int_equal(r.status, 1);
        assert_non_null(strstr(r.err, want));
        assert_int_equal(count_lines_with(r.err, "cannot write"), 1);
        proc_result_free(&r);
    }
}

/* Status 128 + SIGPIPE (a shell's 141) and nothing said: grep's way. */
static void a_reader_gone_ends_the_program_quietly_by_sigpipe(void **state)
{
    (void)state;
    char names[MAX_PROGRAMS][64];
    int n = programs(names);
    for (int i = 0; i < n; i++) {
        char *argv[8];
        quick_argv(names[i], argv);
        proc_result r = run_program_stdout(argv, NULL, 60, NULL);
        if (r.status != 128 + SIGPIPE || strstr(r.err, "cannot write"))
            print_message("%s | (closed): status %d, err '%s'\n", names[i], r.status, r.err);
        assert_int_equal(r.status, 128 + SIGPIPE);
        assert_null(strstr(r.err, "cannot write"));
        proc_result_free(&r);
    }
}

/* `| head -c1` for real, through bash: each step ends in time (status 0 if it
 * had written everything before head left, else 141). step4 on a never-ending
 * input (yes) must stop as soon as head has gone: before, it read for ever. */
static void piped_into_head_every_step_ends(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        char *quick[8];
        quick_argv(steps[i], quick);
        /* TEST_RUNNER (qemu-aarch64 under make cross-test) runs our program. */
        char script[256] = "${TEST_RUNNER:+$TEST_RUNNER} \"$0\" \"$@\" | head -c1 >/dev/null; "
                           "echo \"${PIPESTATUS[0]}\"";
        char *argv[12] = { "/bin/bash", "-c", script };
        int k = 3;
        for (int j = 0; quick[j]; j++)
            argv[k++] = quick[j];
        argv[k] = NULL;
        proc_result r = run_program(argv, NULL, 60, 0);
        int status = atoi(r.out);
        if (r.timed_out || (status != 0 && status != 128 + SIGPIPE))
            print_message("%s | head -c1: status %d, err '%s'\n", steps[i], status, r.err);
        assert_false(r.timed_out);
        assert_true(status == 0 || status == 128 + SIGPIPE);
        assert_null(strstr(r.err, "cannot write"));
        proc_result_free(&r);
    }
    char *endless[] = { "/bin/bash", "-c",
                        "yes 'an ERROR line' | ${TEST_RUNNER:+$TEST_RUNNER} \"$0\" /dev/stdin "
                        "| head -c1 >/dev/null; "
                        "echo \"${PIPESTATUS[1]}\"", (char *)test_bin("step4"), NULL };
    proc_result r = run_program(endless, NULL, 30, 0);
    print_message("yes | step4 /dev/stdin | head -c1: step4's status %s", r.out);
    assert_false(r.timed_out);
    assert_int_equal(atoi(r.out), 128 + SIGPIPE);
    assert_string_equal(r.err, "");
    proc_result_free(&r);
}

/* ASYNC_TRACE's file on a full disk: a line naming it, and a failed run. */
/* The core's knobs read as given or refused: a stack size of "64k" once
 * fell back to the default without a word. */
static void a_knob_set_to_what_it_cannot_be_is_refused(void **state)
{
    (void)state;
    static const struct { const char *env, *said; } cases[] = {
        { "ASYNC_STACK_SIZE=64k", "async: ASYNC_STACK_SIZE=64k: not a whole number of bytes "
                                  "from 16384 to 1073741824\n" },
        { "ASYNC_STACK_SIZE=1000", "async: ASYNC_STACK_SIZE=1000: not a whole number" },
        { "ASYNC_GUARDED_STACKS=-1", "async: ASYNC_GUARDED_STACKS=-1: not a whole number of "
                                     "stacks from 0 to 1048576\n" },
        { "ASYNC_PREFAULT=yes", "async: ASYNC_PREFAULT=yes: not 0 (no helper thread) or 1\n" },
    };
    char *argv[] = { (char *)test_bin("step1"), NULL };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        proc_result r = run_program(argv, cases[i].env, 30, 0);
        if (r.status != 2 || !strstr(r.err, cases[i].said))
            print_error("%s: status %d, stderr: %s\n", cases[i].env, r.status, r.err);
        assert_int_equal(r.status, 2);
        assert_non_null(strstr(r.err, cases[i].said));
        proc_result_free(&r);
    }
    proc_result r = run_program(argv, "ASYNC_STACK_SIZE=1048576", 30, 0);   /* a good one */
    assert_int_equal(r.status, 0);
    proc_result_free(&r);
}

static void a_trace_that_cannot_be_written_fails_the_run(void **state)
{
    (void)state;
    char *argv[] = { (char *)test_bin("step1"), NULL };
    proc_result r = run_program(argv, "ASYNC_TRACE=/dev/full", 30, 0);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "async: ASYNC_TRACE=/dev/full: cannot write the trace: "
                                  "no space left on device\n"));
    proc_result_free(&r);
    char *step2[] = { (char *)test_bin("step2"), NULL };    /* the group did not fail */
    r = run_program(step2, "ASYNC_TRACE=/dev/full", 30, 0);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "step2: no space left on device\n"));
    assert_null(strstr(r.err, "the group failed"));
    proc_result_free(&r);
    r = run_program(argv, "ASYNC_TRACE=/nonexistent/trace.json", 30, 0);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "/nonexistent/trace.json: cannot write the trace: "
                                  "no such file or directory\n"));
    proc_result_free(&r);
    /* step4 read its log well: the error is the trace's, not the log file's
     * (it said "step4: step4-generators/server.log: no such file or directory"),
     * and the count it made is printed */
    char *step4[] = { (char *)test_bin("step4"), "--count", NULL };
    r = run_program(step4, "ASYNC_TRACE=/nonexistent/trace.json", 30, 0);
    print_message("step4 --count, trace lost: status %d, out '%s', err '%s'\n", r.status, r.out,
                  r.err);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "step4: no such file or directory\n"));
    assert_null(strstr(r.err, "server.log"));
    assert_true(atoi(r.out) > 0);
    proc_result_free(&r);
    char *step3[] = { (char *)test_bin("step3"), NULL };    /* the crawl did not fail */
    r = run_program(step3, "ASYNC_TRACE=/dev/full", 30, 0);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "step3: no space left on device\n"));
    assert_null(strstr(r.err, "the crawl failed"));
    proc_result_free(&r);
}

/* A run that cannot happen (the loop cannot start with 4 descriptors, the
 * test's own pipes closed first) or
 * whose trace cannot be written: every program says why and fails. The
 * mistakes used to print a verdict on zeros ("the loop froze for 0 ms") and
 * exit 0. */
static void a_run_that_fails_fails_every_program(void **state)
{
    (void)state;
    char names[MAX_PROGRAMS][64];
    int n = programs(names);
    for (int i = 0; i < n; i++) {
        char *argv[8];
        quick_argv(names[i], argv);
        char *limited[12] = { "/bin/bash", "-c",
                              ("for fd in 3 4 5 6 7 8 9; do eval \"exec $fd>&-\"; done; "
                               "ulimit -n 4 && exec ${TEST_RUNNER:+$TEST_RUNNER} \"$0\" \"$@\"") };
        for (int k = 0; argv[k]; k++)
            limited[k + 3] = argv[k];
        for (int k = 0; k < 2; k++) {
            proc_result r = k == 0 ? run_program(limited, NULL, 60, 0)
                                   : run_program(argv, "ASYNC_TRACE=/dev/full", 60, 0);
            const char *want = k == 0 ? "too many open files" : "no space left on device";
            if (r.status != 1 || !strstr(r.err, want))
                print_message("%s (%s): status %d, out '%s', err '%s'\n", names[i],
                              k == 0 ? "ulimit -n 4" : "ASYNC_TRACE=/dev/full", r.status, r.out,
                              r.err);
            assert_false(r.timed_out);
            assert_int_equal(r.status, 1);
            assert_non_null(strstr(r.err, want));
            proc_result_free(&r);
        }
    }
}


/* --timeline=FILE where FILE is also the input: the input is read whole
 * (FILE was emptied when the flag was read, so step4 counted 0 matches and
 * the log was lost), and FILE holds the chart at the end, as asked. */
static void a_timeline_file_that_is_the_input_is_read_first(void **state)
{
    (void)state;
    char path[64], flag[80];
    snprintf(path, sizeof path, "/tmp/test_programs.%d.log", (int)getpid());
    snprintf(flag, sizeof flag, "--timeline=%s", path);
    char *copy[] = { "/bin/cp", "step4-generators/server.log", path, NULL };
    proc_result r = run_program(copy, NULL, 10, 0);
    assert_int_equal(r.status, 0);
    proc_result_free(&r);
    char *count[] = { (char *)test_bin("step4"), "--count", path, NULL };
    r = run_program(count, NULL, 30, 0);
    long want = atol(r.out);
    proc_result_free(&r);
    assert_true(want > 0);
    char *argv[] = { (char *)test_bin("step4"), "--count", path, flag, NULL };
    r = run_program(argv, NULL, 30, 0);
    print_message("step4 --count LOG --timeline=LOG: status %d, out '%s'\n", r.status, r.out);
    assert_int_equal(r.status, 0);
    assert_int_equal(atol(r.out), want);
    proc_result_free(&r);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[128] = "";
    while (fgets(line, sizeof line, f) && line[0] == '\n')
        ;
    fclose(f);
    unlink(path);
    assert_memory_equal(line, "timeline: ", strlen("timeline: "));
}

/* bash -c: the test's own descriptors closed, then `ulimit LIMIT`, then PROG. */
static proc_result run_limited(const char *limit, const char *prog)
{
    char script[256];
    snprintf(script, sizeof script, "for fd in 3 4 5 6 7 8 9; do eval \"exec $fd>&-\"; done; "
             "ulimit %s && exec ${TEST_RUNNER:+$TEST_RUNNER} \"$0\"", limit);
    char *argv[] = { "/bin/bash", "-c", script, (char *)test_bin(prog), NULL };
    return run_program(argv, NULL, 60, 0);
}

/* step3's crawl of its demo server, with fewer and fewer descriptors: every
 * run that fails names the cause (too many open files, no descriptor left),
 * whichever side ran out first. Between 31 and 37 here the demo server ran
 * out first, and libuv's way out (accept the connection and close it at
 * once) left the crawler with a bare "connection reset by peer". */
static void running_out_of_descriptors_is_named_at_every_limit(void **state)
{
    (void)state;
    int step = under_valgrind() || under_emulator() ? 4 : 1;
    for (int n = 8; n <= 48; n += step) {
        char limit[32];
        snprintf(limit, sizeof limit, "-n %d", n);
        proc_result r = run_limited(limit, "step3");
        int named = strstr(r.err, "too many open files") || strstr(r.err, "file descriptor");
        if (r.status != 0 && !named)
            print_message("step3 under ulimit -n %d: status %d, err '%s'\n", n, r.status, r.err);
        assert_false(r.timed_out);
        assert_true(r.status == 0 || (r.status == 1 && named));
        proc_result_free(&r);
    }
}

/* A half of a mistake that could not do its work measured nothing: the
 * program says which call failed and why, and prints no verdict. Before,
 * mistake-blocking-http with too few descriptors printed "took 0.00 s ...
 * freezing the loop 0 ms at a time" and exited 1 without a word, and
 * mistake-permit-never-released out of memory blamed the deadlock check
 * ("... until the deadlock check cancelled them (ENOMEM)"). */
static void a_mistake_that_could_not_run_says_why(void **state)
{
    (void)state;
    proc_result r = run_limited("-n 16", "mistake-blocking-http");
    print_message("mistake-blocking-http, ulimit -n 16: status %d, err '%s'\n", r.status, r.err);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "mistake-blocking-http: the "));
    assert_non_null(strstr(r.err, " failed: "));
    assert_null(strstr(r.out, "verdict"));
    proc_result_free(&r);
    if (under_valgrind() || under_emulator() || (getenv("SAN") && *getenv("SAN"))) {
        print_message("skipped: ulimit -v: the sanitizer's or the tool's memory, not the "
                      "program's, would run out\n");
        return;
    }
    r = run_limited("-v 30720", "mistake-permit-never-released");
    print_message("mistake-permit-never-released, ulimit -v 30 MiB: status %d, err '%s'\n",
                  r.status, r.err);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "mistake-permit-never-released: the run of the wrong way "
                                  "failed: not enough memory\n"));
    assert_null(strstr(r.out, "wrong: took"));
    proc_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_goes_to_stdout_with_status_0),
        cmocka_unit_test(an_unknown_flag_is_one_line_on_stderr_with_status_2),
        cmocka_unit_test(a_full_disk_is_one_line_and_status_1),
        cmocka_unit_test(a_reader_gone_ends_the_program_quietly_by_sigpipe),
        cmocka_unit_test(piped_into_head_every_step_ends),
        cmocka_unit_test(a_knob_set_to_what_it_cannot_be_is_refused),
        cmocka_unit_test(a_trace_that_cannot_be_written_fails_the_run),
        cmocka_unit_test(a_run_that_fails_fails_every_program),
        cmocka_unit_test(a_mistake_that_could_not_run_says_why),
        cmocka_unit_test(running_out_of_descriptors_is_named_at_every_limit),
        cmocka_unit_test(a_timeline_file_that_is_the_input_is_read_first),
    };
    return cmocka_run_group_tests_name("programs: flags and output", tests, NULL, NULL);
}

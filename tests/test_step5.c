/* test_step5.c: ./step5's timings, cleanup and Ctrl-C. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

static double at(const char *out, const char *message)
{
    const char *hit = strstr(out, message);
    if (!hit)
        return -1;
    const char *line = hit;
    while (line > out && line[-1] != '\n')
        line--;
    return atof(line + 1);   /* "[ 5.00 s] ..." */
}

static void the_default_run_times_out_at_5_and_cancels_at_6(void **state)
{
    (void)state;
    if (under_valgrind()) {   /* the short runs below cover the same code */
        print_message("skipped: 5 s timings, not judged under valgrind or an emulator\n");
        skip();
    }
    char *argv[] = { (char *)test_bin("step5"), NULL };
    proc_result r = run_program(argv, NULL, 30, 0);
    assert_int_equal(r.status, 0);
    double timed_out = at(r.out, "Operation timed out");
    double cancelled = at(r.out, "Task was cancelled");
    print_message("timed out at %.2f s, cancelled at %.2f s\n", timed_out, cancelled);
    assert_true(timed_out >= 4.99 && timed_out <= 5.1);
    assert_true(cancelled - timed_out >= 0.99 && cancelled - timed_out <= 1.1);
    assert_int_equal(count_lines_with(r.out, "cancelled, cleanup ran"), 2);
    proc_result_free(&r);
}

static void short_flags_keep_the_order_and_the_cleanup(void **state)
{
    (void)state;
    char *argv[] = { (char *)test_bin("step5"), "--timeout", "0.3", "--cancel-after", "0.2", NULL };
    proc_result r = run_program(argv, NULL, 30, 0);
    assert_int_equal(r.status, 0);
    double timed_out = at(r.out, "Operation timed out");
    double cancelled = at(r.out, "Task was cancelled");
    assert_true(timed_out >= 0.29 && timed_out < 0.3 + (under_valgrind() ? 2 : 0.2));
    assert_true(cancelled > timed_out + 0.19);
    assert_true(at(r.out, "cancelled, cleanup ran") <= timed_out);
    proc_result_free(&r);
}

static void a_fast_operation_beats_its_timeout(void **state)
{
    (void)state;
    char *argv[] = { (char *)test_bin("step5"), "--timeout", "1", "--slow", "0.05",
                     "--cancel-after", "0.2", NULL };
    proc_result r = run_program(argv, NULL, 30, 0);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.out, "timed out"));
    assert_non_null(strstr(r.out, "slow_operation returned \"done\""));
    assert_non_null(strstr(r.out, "the task finished first"));
    proc_result_free(&r);
}

static void ctrl_c_runs_every_cleanup_and_exits_130(void **state)
{
    (void)state;
    char *argv[] = { (char *)test_bin("step5"), NULL };
    proc_result r = run_program(argv, NULL, 30, under_valgrind() ? 3 : 0.5);
    assert_int_equal(r.status, 130);
    assert_int_equal(count_lines_with(r.out, "cancelled, cleanup ran"), 1);
    assert_null(strstr(r.out, "timed out"));
    assert_true(r.seconds < (under_valgrind() ? 20 : 2));
    proc_result_free(&r);
}

/* Ctrl-C in the second half, while main sleeps beside the running task: both
 * cleanups ran (the timed-out call's and the task's), and the exit is 130.
 * No "Task was cancelled": in the Python, the CancelledError comes out of
 * `await asyncio.sleep(1)`, before the try that prints it. */
static void ctrl_c_while_the_task_runs_cleans_it_up_too(void **state)
{
    (void)state;
    char *argv[] = { (char *)test_bin("step5"), "--timeout", "0.2", "--cancel-after", "10", NULL };
    proc_result r = run_program(argv, NULL, 30, under_valgrind() ? 4 : 0.6);
    assert_int_equal(r.status, 130);
    assert_non_null(strstr(r.out, "Operation timed out"));
    assert_int_equal(count_lines_with(r.out, "cancelled, cleanup ran"), 2);
    assert_null(strstr(r.out, "Task was cancelled"));
    assert_true(r.seconds < (under_valgrind() ? 20 : 2));
    proc_result_free(&r);
}

static void bad_flags_get_one_line(void **state)
{
    (void)state;
    char *bad[][2] = { { "--timeout", "-1" }, { "--slow", "abc" }, { "--cancel-after", "nan" },
                       { "--timeout", "1e99" }, { "--what", NULL }, { "--slow", NULL },
                       { "--slow", "0x0" } };    /* C's hex floats are not Python's */
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *argv[] = { (char *)test_bin("step5"), bad[i][0], bad[i][1], NULL };
        proc_result r = run_program(argv, NULL, 10, 0);
        assert_int_equal(r.status, 2);
        assert_int_equal(count_lines_with(r.err, "step5:"), 1);
        assert_string_equal(r.out, "");
        proc_result_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_flags_keep_the_order_and_the_cleanup),
        cmocka_unit_test(a_fast_operation_beats_its_timeout),
        cmocka_unit_test(ctrl_c_runs_every_cleanup_and_exits_130),
        cmocka_unit_test(ctrl_c_while_the_task_runs_cleans_it_up_too),
        cmocka_unit_test(bad_flags_get_one_line),
        cmocka_unit_test(the_default_run_times_out_at_5_and_cancels_at_6),
    };
    return cmocka_run_group_tests_name("step 5", tests, NULL, NULL);
}

/* test_step3.c: ./step3 end to end: the demo crawl, the limit, every kind of
 * bad URL, --keep-going, -i FILE, bad flags, Ctrl-C. */
#include "wb_demo_server.h"
#include "support.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static wb_demo_server *demo;

static const char *url(const char *path)
{
    static char urls[8][128];
    static int next;
    char *u = urls[next++ % 8];
    snprintf(u, sizeof urls[0], "http://127.0.0.1:%d%s", wb_demo_server_port(demo), path);
    return u;
}

static proc_result step3(const char *a1, const char *a2, const char *a3, const char *a4,
                         double interrupt_after)
{
    char *argv[] = { (char *)test_bin("step3"), (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL };
    return run_program(argv, NULL, 60, interrupt_after);
}

static double number_after(const char *text, const char *marker)
{
    const char *p = strstr(text, marker);
    return p ? atof(p + strlen(marker)) : -1;
}

static void the_demo_crawl_proves_the_lesson(void **state)
{
    (void)state;
    proc_result r = step3(NULL, NULL, NULL, NULL, 0);
    assert_int_equal(r.status, 0);
    assert_int_equal(count_lines_with(r.out, "  200 "), 50);
    assert_non_null(strstr(r.out, "crawled 50 of 50 pages"));
    assert_non_null(strstr(r.out, "at most 10 in flight"));
    assert_non_null(strstr(r.out, "measured: 10 in flight by the crawler, 10 by the demo server"));
    double took = number_after(r.out, "bytes) in ");
    double serial = number_after(r.out, "would take about ");
    print_message("crawl took %.2f s, one by one %.2f s\n", took, serial);
    assert_true(took >= 0.49 && took < (under_valgrind() ? 10 : 1.5));
    assert_true(serial >= 4.9);
    proc_result_free(&r);
}

static void one_at_a_time_takes_fifty_times_as_long(void **state)
{
    (void)state;
    if (under_valgrind()) {
        print_message("skipped: a timing ratio, not judged under valgrind or an emulator\n");
        skip();
    }
    proc_result r = step3("--max-concurrent", "1", NULL, NULL, 0);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "at most 1 in flight"));
    double took = number_after(r.out, "bytes) in ");
    assert_true(took >= 4.9 && took < 8);
    proc_result_free(&r);
}

/* TUTORIAL: `--timeout 0.05`, shorter than the demo's 0.1 s pages: the first
 * request to time out stops the crawl (one line, exit 1) and the group
 * cancels the other 49, which the last line counts: the 9 other GETs and the
 * 40 tasks in line for a permit (each task reaches its acquire before the
 * first timer can fire, so the split holds on a loaded machine too); with
 * --keep-going every one of the 50 times out. */
static void a_short_timeout_stops_the_crawl_unless_keep_going(void **state)
{
    (void)state;
    proc_result r = step3("--timeout", "0.05", NULL, NULL, 0);
    assert_int_equal(r.status, 1);
    assert_int_equal(count_lines_with(r.err, "no full answer within --timeout 0.05 s"), 1);
    assert_int_equal(count_lines_with(r.out, "  200 "), 0);
    assert_int_equal(count_lines_with(r.out, "stopped after "), 1);
    assert_non_null(strstr(r.out, " by the first failure: 0 of 50 pages crawled, 1 failed, 49 "
                           "cancelled (9 during their GET, 40 still waiting for the semaphore)\n"));
    proc_result_free(&r);
    r = step3("--timeout", "0.05", "--keep-going", NULL, 0);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "step3: 50 of 50 URLs failed:"));
    assert_int_equal(count_lines_with(r.err, "no full answer within --timeout 0.05 s"), 50);
    proc_result_free(&r);
}

static void a_failing_url_cancels_the_others_and_is_named(void **state)
{
    (void)state;
    const char *cases[][2] = {
        { "http://127.0.0.1:1/", "connection refused" },
        { "http://nonexistent.invalid/", "unknown node or service" },
        { "htp:/bad url", "invalid argument" },
        { "/status/500", "HTTP 500" },
        { "/hang", "connection timed out (no full answer within --timeout 0.3 s)" },
        { "/stall", "connection timed out (no full answer within --timeout 0.3 s)" },
        { "/drop", "protocol error" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *bad = cases[i][0][0] == '/' ? url(cases[i][0]) : cases[i][0];
        proc_result r = step3(bad, url("/delay/3000"), "--timeout", "0.3", 0);
        assert_int_equal(r.status, 1);
        assert_int_equal(count_lines_with(r.err, "step3:"), 1);
        assert_non_null(strstr(r.err, bad));
        assert_non_null(strstr(r.err, cases[i][1]));
        assert_non_null(strstr(r.out, "0 of 2 pages crawled, 1 failed, 1 cancelled (during their GET)\n"));
        assert_true(r.seconds < (under_valgrind() ? 20 : 2.5));   /* the 3 s page was cancelled */
        proc_result_free(&r);
    }
}

static void keep_going_reports_every_failure(void **state)
{
    (void)state;
    proc_result r = step3(url("/page/1"), "http://127.0.0.1:1/", url("/status/404"), "--keep-going", 0);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.out, "crawled 1 of 3 pages"));
    assert_non_null(strstr(r.err, "2 of 3 URLs failed"));
    assert_non_null(strstr(r.err, "HTTP 404"));
    assert_non_null(strstr(r.err, "connection refused"));
    proc_result_free(&r);
}

static void urls_from_a_file(void **state)
{
    (void)state;
    char path[] = "/tmp/async-urls-XXXXXX";
    int fd = mkstemp(path);
    dprintf(fd, "# pages\n\n%s\n  %s  \r\n", url("/page/1"), url("/page/2"));
    close(fd);
    proc_result r = step3("-i", path, NULL, NULL, 0);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "crawled 2 of 2 pages"));
    assert_null(strstr(r.out, "seconds "));
    proc_result_free(&r);
    r = step3("-i", path, "--seconds", NULL, 0);     /* bench/'s figure: the crawl's time */
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "crawled 2 of 2 pages"));
    double secs = number_after(r.out, "\nseconds ");
    assert_true(secs >= 0.099 && secs < (under_valgrind() ? 10 : 1.5));   /* two 0.1 s pages at once */
    assert_non_null(strstr(r.out, " pages 2\n"));
    proc_result_free(&r);
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_int_equal(write(fd, "\x01\x02binary\0junk\n", 14), 14);
    close(fd);
    r = step3("-i", path, NULL, NULL, 0);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, ": line 1: not a URL"));
    proc_result_free(&r);
    unlink(path);
    r = step3("-i", "/nonexistent/urls.txt", NULL, NULL, 0);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "/nonexistent/urls.txt: no such file"));
    proc_result_free(&r);
}

static void bad_flags_get_one_line(void **state)
{
    (void)state;
    const char *bad[][2] = { { "--max-concurrent", "0" }, { "--max-concurrent", "1000000" },
                             { "--timeout", "-2" }, { "--timeout", "soon" }, { "--fast", NULL },
                             { "-i", NULL } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        proc_result r = step3(bad[i][0], bad[i][1], NULL, NULL, 0);
        assert_int_equal(r.status, 2);
        assert_int_equal(count_lines_with(r.err, "step3:"), 1);
        assert_string_equal(r.out, "");
        proc_result_free(&r);
    }
}

static void ctrl_c_during_a_crawl_exits_130_promptly(void **state)
{
    (void)state;
    proc_result r = step3(url("/delay/10000"), url("/delay/10000"), NULL, NULL,
                          under_valgrind() ? 3 : 0.3);
    assert_int_equal(r.status, 130);
    assert_true(r.seconds < (under_valgrind() ? 15 : 2));
    assert_null(strstr(r.err, "never awaited"));
    assert_null(strstr(r.err, "still pending"));
    proc_result_free(&r);
}

static int setup(void **state)
{
    (void)state;
    demo = wb_demo_server_start(NULL);
    return demo ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    wb_demo_server_stop(demo);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_demo_crawl_proves_the_lesson),
        cmocka_unit_test(a_short_timeout_stops_the_crawl_unless_keep_going),
        cmocka_unit_test(a_failing_url_cancels_the_others_and_is_named),
        cmocka_unit_test(keep_going_reports_every_failure),
        cmocka_unit_test(urls_from_a_file),
        cmocka_unit_test(bad_flags_get_one_line),
        cmocka_unit_test(ctrl_c_during_a_crawl_exits_130_promptly),
        cmocka_unit_test(one_at_a_time_takes_fifty_times_as_long),
    };
    return cmocka_run_group_tests_name("step 3", tests, setup, teardown);
}

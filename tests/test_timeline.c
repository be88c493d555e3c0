/* test_timeline.c: --timeline charts and ASYNC_TRACE files show what
 * happened: step 3's semaphore limit, step 2's cancellations, one track per
 * task in valid JSON. */
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Rows of a chart: the text between the two '|' of each task row. */
static int chart_rows(const char *out, char rows[][128], int max)
{
    int n = 0;
    const char *p = strstr(out, "timeline:");
    while (p && (p = strchr(p, '\n')) && n < max) {
        p++;
        const char *open = strchr(p, '|'), *eol = strchr(p, '\n');
        if (!open || !eol || open > eol)
            continue;
        const char *close = memchr(open + 1, '|', (size_t)(eol - open - 1));
        if (!close || close - open - 1 >= 128)
            continue;
        if (strncmp(p, "          |", 11) == 0)
            continue;                              /* the legend */
        memcpy(rows[n], open + 1, (size_t)(close - open - 1));
        rows[n][close - open - 1] = 0;
        n++;
    }
    return n;
}

static void step3_timeline_never_shows_more_than_the_limit_busy(void **state)
{
    (void)state;
    char *argv[] = { (char *)test_bin("step3"), "--timeline", NULL };
    proc_result r = run_program(argv, NULL, 60, 0);
    assert_int_equal(r.status, 0);
    static char rows[64][128];
    int n = chart_rows(r.out, rows, 64);
    assert_int_equal(n, 51);                       /* main and 50 fetches */
    int most = 0;
    size_t width = strlen(rows[0]);
    for (size_t c = 0; c < width; c++) {
        int busy = 0;
        for (int i = 0; i < n; i++)
            busy += rows[i][c] == '#' || rows[i][c] == '=';
        if (busy > most)
            most = busy;
    }
    print_message("at most %d rows busy in one column\n", most);
    assert_true(most <= 10);
    assert_true(most >= 9);                        /* and the limit is used */
    proc_result_free(&r);
}

static void step2_timeline_shows_the_siblings_cancelled_at_50_ms(void **state)
{
    (void)state;
    char *argv[] = { (char *)test_bin("step2"), "--fail", "3", "--timeline", NULL };
    proc_result r = run_program(argv, NULL, 60, 0);
    assert_int_equal(r.status, 1);
    assert_int_equal(count_chart_rows(r.out, 'x', "cancelled"), 4);
    assert_non_null(strstr(r.out, "fetch_user(3) #4"));
    const char *axis = strstr(r.out, " 0 s ");     /* "0 s ...... 0.05 s": the time axis */
    assert_non_null(axis);
    axis += 5;
    while (*axis == ' ')
        axis++;
    double span = atof(axis);
    assert_true(span >= 0.04 && span < 0.2);       /* the chart ends at the 50 ms failure */
    proc_result_free(&r);
}

static void the_trace_is_json_with_one_track_per_task(void **state)
{
    (void)state;
    char path[] = "/tmp/async-trace-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    char env[128];
    snprintf(env, sizeof env, "ASYNC_TRACE=%s", path);
    char *argv[] = { (char *)test_bin("step2"), NULL };
    proc_result r = run_program(argv, env, 60, 0);
    assert_int_equal(r.status, 0);
    proc_result_free(&r);
    if (access("/usr/bin/python3", X_OK) != 0) {
        unlink(path);
        print_message("skipped: no /usr/bin/python3 to parse the JSON\n");
        skip();
    }
    char script[512];
    snprintf(script, sizeof script,
             "import json; d = json.load(open('%s')); "
             "tracks = {e['tid'] for e in d['traceEvents'] if e['ph'] == 'M'}; "
             "slices = {e['tid'] for e in d['traceEvents'] if e['ph'] == 'X'}; "
             "print(len(tracks), len(slices))", path);
    char *py[] = { "/usr/bin/python3", "-c", script, NULL };
    r = run_program(py, NULL, 60, 0);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "6 6\n");           /* main and five fetches, each its track */
    proc_result_free(&r);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(step3_timeline_never_shows_more_than_the_limit_busy),
        cmocka_unit_test(step2_timeline_shows_the_siblings_cancelled_at_50_ms),
        cmocka_unit_test(the_trace_is_json_with_one_track_per_task),
    };
    return cmocka_run_group_tests_name("timelines and traces", tests, NULL, NULL);
}

/* Exercise 5's check: at most k at once, every job tried, failures counted. */
#include "check.h"
#include "exercise.h"
#include "given.h"

typedef struct result { int rc, failed; double took; } result;

static int run_all(void *arg)
{
    result *r = arg;
    double start = async_time();
    r->rc = convert_all(30, 4, &r->failed);
    r->took = async_time() - start;
    return 0;
}

static void check(void)
{
    result r = { .failed = -1 };
    check_run(run_all, &r);
    EXPECT(r.rc != UV_EIO, "convert_all(30, 4) returned %s: expected a failed job to be "
           "counted, and the others to go on", status_name(r.rc));
    EXPECT(given_calls == 30, "only %d of the 30 jobs were tried (convert_all returned %s): "
           "expected all 30; the others waited for a permit that never came (was every "
           "permit given back, also by a job that failed?)", given_calls, status_name(r.rc));
    EXPECT(r.rc == 0, "convert_all(30, 4) returned %s: expected 0 (success)", status_name(r.rc));
    EXPECT(given_most_running <= 4, "%d conversions ran at the same moment: expected never "
           "more than 4", given_most_running);
    EXPECT(given_most_running == 4 && r.took < 0.45, "never more than %d conversion%s at a "
           "time: expected 4 at a time (took %.2f s instead of about 0.16 s)",
           given_most_running, given_most_running == 1 ? "" : "s", r.took);
    EXPECT(r.failed == 4, "*failed is %d: expected 4 (jobs 3, 10, 17 and 24 fail)", r.failed);
}

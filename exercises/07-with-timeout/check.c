#include "check.h"
#include "exercise.h"

typedef struct result { int fast_rc, slow_rc; double took; } result;

static int run(void *arg)
{
    result *r = arg;
    double quick = 0.01, long_one = 2;
    r->fast_rc = with_timeout(slow, &quick, 0.5);
    double start = async_time();
    r->slow_rc = with_timeout(slow, &long_one, 0.1);
    r->took = async_time() - start;
    return 0;
}

static void in_time_or_timed_out(void **state)
{
    (void)state;
    result r = { -1, -1, 0 };
    assert_int_equal(async_run(run, &r), 0);
    assert_int_equal(r.fast_rc, 0);
    assert_int_equal(r.slow_rc, UV_ETIMEDOUT);
    assert_true(r.took >= 0.099 && r.took < 1.0);
}

CHECK_MAIN(in_time_or_timed_out)

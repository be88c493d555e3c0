#include "check.h"
#include "exercise.h"

typedef struct result { fetch_call calls[8]; int rc; double took; } result;

static int run(void *arg)
{
    result *r = arg;
    for (int i = 0; i < 8; i++)
        r->calls[i].id = i + 1;
    double start = async_time();
    r->rc = fetch_all(r->calls, 8);
    r->took = async_time() - start;
    return 0;
}

static void eight_fetches_take_the_time_of_one(void **state)
{
    (void)state;
    result r = { 0 };
    assert_int_equal(async_run(run, &r), 0);
    assert_int_equal(r.rc, 0);
    for (int i = 0; i < 8; i++)
        assert_true(r.calls[i].done);
    assert_true(r.took < 0.2);          /* concurrent: not 8 x 0.1 s */
}

CHECK_MAIN(eight_fetches_take_the_time_of_one)

#include "check.h"
#include "exercise.h"

typedef struct result { user u[2]; int rc; double took; } result;

static int run(void *arg)
{
    result *r = arg;
    double start = async_time();
    r->rc = fetch_two(7, 9, r->u);
    r->took = async_time() - start;
    return 0;
}

static void fetches_both_in_order(void **state)
{
    (void)state;
    result r = { 0 };
    assert_int_equal(async_run(run, &r), 0);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.u[0].id, 7);
    assert_string_equal(r.u[1].name, "User 9");
    assert_true(r.took >= 0.099);      /* one after the other: 2 x 50 ms */
}

CHECK_MAIN(fetches_both_in_order)

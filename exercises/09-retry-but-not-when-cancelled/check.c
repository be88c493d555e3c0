#include "check.h"
#include "exercise.h"

typedef struct result { user u; int rc; double took; int calls_at_cancel, calls_after; } result;

static int succeed(void *arg)
{
    result *r = arg;
    double start = async_time();
    r->rc = fetch_with_retry(5, &r->u);
    r->took = async_time() - start;
    return 0;
}

static int call(void *arg)
{
    result *r = arg;
    double start = async_time();
    r->rc = fetch_with_retry(5, &r->u);
    r->took = async_time() - start;
    return r->rc;
}

static int cancel_it(void *arg)
{
    result *r = arg;
    async_task *t = async_create_task(call, r);
    async_sleep(0.04);                  /* inside the 20 ms wait after the first try */
    r->calls_at_cancel = flaky_calls;
    async_cancel(t);
    async_await(t);
    async_sleep(0.1);                   /* would a retry still be going on? */
    r->calls_after = flaky_calls;
    return 0;
}

static void retries_until_it_works_but_not_when_cancelled(void **state)
{
    (void)state;
    result r = { { 0, "" }, -1, 0, 0, 0 };
    flaky_calls = 0;
    assert_int_equal(async_run(succeed, &r), 0);
    assert_int_equal(r.rc, 0);
    assert_int_equal(flaky_calls, 3);
    assert_string_equal(r.u.name, "User 5");
    assert_true(r.took >= 0.129);       /* 3 x 30 ms + 2 x 20 ms */

    result c = { { 0, "" }, -1, 0, 0, 0 };
    flaky_calls = 0;
    assert_int_equal(async_run(cancel_it, &c), 0);
    assert_int_equal(c.rc, UV_ECANCELED);
    assert_int_equal(c.calls_at_cancel, 1);
    assert_int_equal(c.calls_after, 1); /* no try after the cancel */
    assert_true(c.took < 0.05);         /* returned at the cancel (40 ms) */
}

CHECK_MAIN(retries_until_it_works_but_not_when_cancelled)

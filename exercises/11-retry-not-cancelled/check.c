/* Exercise 11's check: retries that work, give up, and stop when cancelled. */
#include "check.h"
#include "exercise.h"
#include "given.h"

typedef struct result { user u; int rc; double took, cancel_at; int calls_at_cancel, calls_after; } result;

static int fetch(void *arg)
{
    result *r = arg;
    double start = async_time();
    r->rc = fetch_with_retry(5, &r->u);
    r->took = async_time() - start;
    return r->rc;
}

static int fetch_main(void *arg)
{
    fetch(arg);
    return 0;
}

static int cancel_it(void *arg)
{
    result *r = arg;
    async_task *t = async_create_task(fetch, r);
    async_sleep(r->cancel_at);
    r->calls_at_cancel = given_calls;
    async_cancel(t);
    async_await(t);
    async_sleep(0.15);                  /* would a retry still be going on? */
    r->calls_after = given_calls;
    return 0;
}

static void check_cancel(double at, const char *during)
{
    given_calls = 0;
    result c = { .rc = 1, .cancel_at = at };
    check_run(cancel_it, &c);
    EXPECT(c.calls_after == c.calls_at_cancel, "cancelled at %.2f s (%s), fetch_with_retry "
           "made %d more call%s of flaky_fetch after the cancel: expected none (a "
           "cancellation is not a failure to retry)", at, during,
           c.calls_after - c.calls_at_cancel, c.calls_after - c.calls_at_cancel == 1 ? "" : "s");
    EXPECT(c.rc == UV_ECANCELED, "cancelled at %.2f s (%s), fetch_with_retry returned %s: "
           "expected %s", at, during, status_name(c.rc), status_name(UV_ECANCELED));
    EXPECT(c.took < at + 0.1, "cancelled at %.2f s (%s), fetch_with_retry returned at "
           "%.2f s: expected it at once", at, during, c.took);
}

static void check(void)
{
    result r = { .rc = 1 };
    check_run(fetch_main, &r);
    EXPECT(r.rc == 0, "with flaky_fetch failing twice and then working, fetch_with_retry "
           "returned %s after %d call%s: expected 0 (success) on the third", status_name(r.rc),
           given_calls, given_calls == 1 ? "" : "s");
    EXPECT(given_calls == 3, "flaky_fetch was called %d times: expected 3 (it works on the "
           "third)", given_calls);
    EXPECT(r.took >= 0.125, "the three tries took %.2f s: expected a 20 ms pause between two "
           "tries (3 x 30 ms + 2 x 20 ms = 0.13 s)", r.took);

    given_calls = 0;
    given_always_fail = 1;
    result f = { .rc = 1 };
    check_run(fetch_main, &f);
    EXPECT(given_calls == 3, "with flaky_fetch always failing, it was called %d times: "
           "expected 3 tries, no more", given_calls);
    EXPECT(f.rc == UV_EAGAIN, "with flaky_fetch always failing, fetch_with_retry returned %s: "
           "expected the last error, %s", status_name(f.rc), status_name(UV_EAGAIN));
    given_always_fail = 0;

    check_cancel(0.015, "during the first try");
    check_cancel(0.04, "during the pause after the first try");
}

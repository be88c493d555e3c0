/* Exercise 10's check: connections closed, cancellation passed on, at once. */
#include "check.h"
#include "exercise.h"
#include "given.h"

typedef struct result { double seconds; int rc; double cancelled_at, stopped_at; } result;

static int query(void *arg)
{
    result *r = arg;
    r->rc = run_query(r->seconds);
    r->stopped_at = async_time();
    return r->rc;
}

static int short_one(void *arg)
{
    query(arg);
    return 0;
}

static int cancel_a_long_one(void *arg)
{
    result *r = arg;
    async_task *t = async_create_task(query, r);
    async_sleep(0.05);
    r->cancelled_at = async_time();
    async_cancel(t);
    async_await(t);
    return 0;
}

static void check(void)
{
    result s = { .seconds = 0.02 };
    check_run(short_one, &s);
    EXPECT(s.rc == 0, "run_query(0.02) returned %s: expected 0 (success)", status_name(s.rc));
    EXPECT(given_opened == 1 && given_closed == 1, "run_query(0.02) opened %d connection%s "
           "and closed %d: expected one opened and closed", given_opened,
           given_opened == 1 ? "" : "s", given_closed);

    given_opened = given_closed = given_close_cancelled = 0;
    result l = { .seconds = 2 };
    check_run(cancel_a_long_one, &l);
    EXPECT(l.stopped_at - l.cancelled_at < 0.5, "run_query(2), cancelled at 0.05 s, went on "
           "for %.2f s more: expected it to stop at once (only the cleanup may finish)",
           l.stopped_at - l.cancelled_at);
    EXPECT(given_close_cancelled == 0, "cancelled during its query, run_query called "
           "conn_close, but conn_close's own await was cancelled too (it returned %s) and "
           "the connection stayed open", status_name(UV_ECANCELED));
    EXPECT(given_closed == given_opened, "cancelled during its query, run_query returned "
           "without closing its connection (%d opened, %d closed): expected it closed on "
           "every way out", given_opened, given_closed);
    EXPECT(l.rc == UV_ECANCELED, "cancelled during its query, run_query returned %s: "
           "expected %s passed on, so that its caller knows", status_name(l.rc),
           status_name(UV_ECANCELED));
}

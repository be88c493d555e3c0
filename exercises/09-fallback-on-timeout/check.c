/* Exercise 9's check: fast, slow and refusing primaries; a cancellation and
 * a deadline from outside. */
#include "check.h"
#include "exercise.h"
#include "given.h"

typedef struct result { int key, rc, value; double patience, took; } result;

static int ask(void *arg)
{
    result *r = arg;
    double start = async_time();
    r->rc = lookup(r->key, r->patience, &r->value);
    r->took = async_time() - start;
    return r->rc;
}

static int ask_main(void *arg)
{
    ask(arg);
    return 0;
}

/* The caller goes on after lookup: a timeout scope lookup left open would
 * still fire, and cancel the caller's own await. */
static int ask_then_go_on(void *arg)
{
    result *r = arg;
    ask(r);
    int later = async_sleep(r->patience + 0.1);
    EXPECT(later == 0, "after lookup(%d) returned %s, its caller's next await was cancelled "
           "(%s) at the end of lookup's patience: lookup left its timeout scope open (is "
           "async_timeout_exit reached on every way out?)", r->key, status_name(r->rc),
           status_name(later));
    return 0;
}

static void reset(double delay, int error)
{
    given_primary_delay = delay;
    given_primary_error = error;
    given_primary_calls = given_primary_cancelled = given_backup_calls = 0;
}

static int cancelled_from_outside(void *arg)
{
    result *r = arg;
    async_task *t = async_create_task(ask, r);
    async_sleep(0.05);
    async_cancel(t);
    async_await(t);
    return 0;
}

static int under_callers_deadline(void *arg)
{
    result *r = arg;
    async_timeout deadline;
    async_timeout_enter(&deadline, 0.05);
    ask(r);
    async_timeout_exit(&deadline, r->rc);
    return 0;
}

static void check(void)
{
    result fast = { .key = 4, .patience = 0.2 };
    reset(0.02, 0);
    check_run(ask_then_go_on, &fast);
    EXPECT(fast.rc == 0 && fast.value == 40 && given_backup_calls == 0, "with the primary "
           "answering in 0.02 s, lookup(4) returned %s with %d (backup asked %d times): "
           "expected the primary's 40", status_name(fast.rc), fast.value, given_backup_calls);

    result slow = { .key = 5, .patience = 0.1 };
    reset(3, 0);
    check_run(ask_main, &slow);
    EXPECT(slow.took < 1, "with the primary taking 3 s, lookup(5) with a patience of 0.1 s "
           "took %.2f s: expected to give up on it after 0.1 s", slow.took);
    EXPECT(slow.rc == 0 && slow.value == 51, "with the primary too slow, lookup(5) returned "
           "%s with %d: expected the backup's answer, 51", status_name(slow.rc), slow.value);
    EXPECT(given_primary_cancelled == 1, "with the primary too slow, its wait was not "
           "cancelled: expected lookup to stop waiting for it");

    result refused = { .key = 6, .patience = 0.2 };
    reset(0.02, UV_ECONNREFUSED);
    check_run(ask_main, &refused);
    EXPECT(given_backup_calls == 0 && refused.rc == UV_ECONNREFUSED, "with the primary "
           "refusing (%s), lookup(6) returned %s and asked the backup %d times: expected "
           "the primary's error as it is (only a timeout sends lookup to the backup)",
           status_name(UV_ECONNREFUSED), status_name(refused.rc), given_backup_calls);

    result cancelled = { .key = 7, .patience = 1 };
    reset(3, 0);
    check_run(cancelled_from_outside, &cancelled);
    EXPECT(given_backup_calls == 0, "lookup(7) was cancelled by its caller at 0.05 s, and "
           "asked the backup anyway: a cancellation from outside is not a timeout");
    EXPECT(cancelled.rc == UV_ECANCELED, "lookup(7), cancelled by its caller, returned %s: "
           "expected %s passed on", status_name(cancelled.rc), status_name(UV_ECANCELED));

    result outer = { .key = 8, .patience = 1 };
    reset(3, 0);
    check_run(under_callers_deadline, &outer);
    EXPECT(given_backup_calls == 0 && outer.rc == UV_ECANCELED, "under its caller's deadline "
           "of 0.05 s (shorter than its own patience, 1 s), lookup(8) returned %s and asked "
           "the backup %d times: expected %s, no backup (the deadline is the caller's, not "
           "lookup's)", status_name(outer.rc), given_backup_calls, status_name(UV_ECANCELED));
}

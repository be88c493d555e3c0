#include "check.h"
#include "exercise.h"

typedef struct result { int failed[8]; int count; } result;

static int run(void *arg)
{
    result *r = arg;
    fetch_call calls[7];
    for (int i = 0; i < 7; i++)
        calls[i].id = i + 1;          /* 3 and 6 fail */
    r->count = failed_fetches(calls, 7, r->failed);
    return 0;
}

static void both_failures_are_reported_with_their_ids(void **state)
{
    (void)state;
    result r = { { 0 }, 0 };
    assert_int_equal(async_run(run, &r), 0);
    assert_int_equal(r.count, 2);
    assert_true((r.failed[0] == 3 && r.failed[1] == 6) || (r.failed[0] == 6 && r.failed[1] == 3));
}

CHECK_MAIN(both_failures_are_reported_with_their_ids)

/* sleep.c: asyncio.sleep, the smallest await: a deadline in the timer heap,
 * a park, and a wake from the timer (or from a cancel). */
#include "task.h"

/* A cancel that came while the sleep was pending wins (run_cancel_hooks): a
 * timeout scope armed before a sleep with the same deadline, whose timer
 * fires first in the same turn, times the block out, as in asyncio. */
static void sleep_fire(async_timer_node *n)
{
    async__wake((async_task *)((char *)n - offsetof(async_task, timer)), 0);
}

static void sleep_cancel(void *ctx)
{
    async_task *t = ctx;
    async__timer_stop(&t->timer);
    async__wake(t, UV_ECANCELED);
}

int async_sleep_at(double seconds, const char *file, int line)
{
    async__on_loop("async_sleep");
    int rc = async__check();       /* UV_EINVAL outside async_run */
    if (rc)
        return rc;
    async_task *t = async__current();
    if (!(seconds > 0)) {          /* 0 or negative: just yield */
        if (seconds != seconds)    /* NaN: asyncio would never wake; say so instead */
            async__misuse(file, line, "async_sleep(nan): the seconds are not a number");
        return async__yield();
    }
    if (seconds > 1e9)
        seconds = 1e9;             /* ~31 years: keeps the nanoseconds in range */
    rc = async__timer_start(&t->timer, async__now_ns() + (uint64_t)(seconds * 1e9), sleep_fire);
    async__wait_set(t, ASYNC_ON_SLEEP, NULL, file, line);
    t->wait.detail.until_ns = t->timer.deadline_ns;
    return rc ? rc : async__park(sleep_cancel, t);
}

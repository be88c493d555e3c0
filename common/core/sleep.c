/* sleep.c: asyncio.sleep, the smallest await: a deadline in the timer heap,
 * a park, and a wake from the timer (or from a cancel). */
#include "task.h"

static void sleep_fire(async_timer_node *n)
{
    async_task *t = (async_task *)((char *)n - offsetof(async_task, timer));
    async__wake(t, 0);
}

static void sleep_cancel(void *ctx)
{
    async_task *t = ctx;
    async__timer_stop(&t->timer);
    async__wake(t, UV_ECANCELED);
}

int async_sleep(double seconds)
{
    async_task *t = async__current();
    if (!t)
        return UV_EINVAL;
    int rc = async__check();
    if (rc)
        return rc;
    if (!(seconds > 0)) {          /* 0, negative or NaN: just yield */
        async__yield();
        return 0;
    }
    if (seconds > 1e9)
        seconds = 1e9;             /* ~31 years: keeps the nanoseconds in range */
    rc = async__timer_start(&t->timer, async__now_ns() + (uint64_t)(seconds * 1e9), sleep_fire);
    return rc ? rc : async__park(sleep_cancel, t);
}

/* Mistake: time.sleep() instead of asyncio.sleep().
 *
 * usleep() blocks the whole thread, and with it the loop and every other
 * task: five "concurrent" 200 ms naps take a second, and the heartbeat
 * stalls 200 ms at a time. async_sleep() parks only the task that calls it.
 */
#include "async.h"

#include <unistd.h>

enum { NAPS = 5 };

static int nap_blocking(void *arg)
{
    (void)arg;
    usleep(200 * 1000);                   /* the mistake: blocks the loop */
    return 0;
}

static int nap_async(void *arg)
{
    (void)arg;
    return async_sleep(0.2);              /* the fix: parks this task only */
}

typedef struct plan {
    async_fn nap;
    const char *name;
} plan;

static int five_naps(void *arg)
{
    plan *p = arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < NAPS; i++)
        async_taskgroup_create_task_at(&tg, p->nap, NULL, p->name, __FILE__, __LINE__);
    return async_taskgroup_wait(&tg);
}

int main(void)
{
    mistake_half wrong, right;
    printf("five tasks each nap 200 ms, with usleep() and then with async_sleep()\n");
    plan blocking = { nap_blocking, "nap_blocking" }, parked = { nap_async, "nap_async" };
    mistake_run(&wrong, "wrong", five_naps, &blocking);
    mistake_print(&wrong);
    mistake_run(&right, "right", five_naps, &parked);
    mistake_print(&right);
    printf("verdict: usleep() ran the naps one after another (%.2f s) and froze the loop for "
           "%.0f ms; async_sleep() took %.2f s and the loop never lagged more than %.0f ms\n",
           wrong.took, wrong.hb.worst_lag * 1000, right.took, right.hb.worst_lag * 1000);
    return 0;
}

/* Mistake: time.sleep() instead of asyncio.sleep().
 *
 * usleep() blocks the whole thread, and with it the loop and every other
 * task: five "concurrent" 200 ms naps take a second, and the heartbeat
 * stalls 200 ms at a time. async_sleep() parks only the task that calls it.
 */
#include "async.h"
#include "mistake_harness.h"

#include <unistd.h>

enum { NAPS = 5 };

static double longest_block;              /* the longest single nap, seconds */

static int nap_blocking(void *arg)
{
    (void)arg;
    double start = async_time();
    usleep(200 * 1000);                   /* the mistake: blocks the loop */
    if (async_time() - start > longest_block)
        longest_block = async_time() - start;
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

int main(int argc, char **argv)
{
    int done = mistake_start(argc, argv, "blocking-sleep",
                             "usleep() in a task freezes the loop; async_sleep() does not");
    if (done >= 0)
        return done;
    mistake_half wrong, right;
    printf("five tasks each nap 200 ms, with usleep() and then with async_sleep()\n");
    plan blocking = { nap_blocking, "nap_blocking" }, parked = { nap_async, "nap_async" };
    mistake_run(&wrong, "wrong", five_naps, &blocking);
    mistake_print(&wrong);
    mistake_run(&right, "right", five_naps, &parked);
    mistake_print(&right);
    printf("wrong: each usleep() froze the loop for %.0f ms; the five ran back to back, so the "
           "heartbeat waited %.0f ms\n", longest_block * 1000, wrong.hb.worst_lag * 1000);
    printf("verdict: usleep() ran the naps one after another (%.2f s), freezing the loop %.0f ms "
           "at a time; async_sleep() took %.2f s and the loop never lagged more than %.0f ms\n",
           wrong.took, longest_block * 1000, right.took, right.hb.worst_lag * 1000);
    return 0;
}

/* heartbeat.c: the loop-lag heartbeat. */
#include "async.h"
#include "wb_heartbeat.h"

#include <string.h>

static int beat(void *arg)
{
    wb_heartbeat *hb = arg;
    double next = async_time() + hb->period;
    for (;;) {
        double wait = next - async_time();
        if (async_sleep(wait > 0 ? wait : 0) != 0)
            return 0;                        /* stopped */
        double now = async_time();
        double lag = now - next;
        if (lag < 0)
            lag = 0;
        hb->beats++;
        hb->total_lag += lag;
        if (lag > hb->worst_lag)
            hb->worst_lag = lag;
        next = now - lag + hb->period;       /* a stall skips beats, not piles them up */
        if (next < now)
            next = now + hb->period;
    }
}

int wb_heartbeat_start(wb_heartbeat *hb, double period)
{
    memset(hb, 0, sizeof *hb);
    hb->period = period > 0 ? period : 0.01;
    hb->task = async_create_task(beat, hb);
    return hb->task ? 0 : UV_ENOMEM;
}

void wb_heartbeat_stop(wb_heartbeat *hb)
{
    if (!hb->task)
        return;
    async_cancel(hb->task);
    async_shield s;                          /* stopping is cleanup: finish it */
    async_shield_enter(&s);
    async_await(hb->task);
    async_shield_exit(&s);
    hb->task = NULL;
}

double wb_heartbeat_average_lag(const wb_heartbeat *hb)
{
    return hb->beats ? hb->total_lag / hb->beats : 0;
}

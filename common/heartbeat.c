/* heartbeat.c: the loop-lag heartbeat and the mistake demos' measuring. */
#include "async.h"

#include <string.h>

static int beat(void *arg)
{
    heartbeat *hb = arg;
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

int heartbeat_start(heartbeat *hb, double period)
{
    memset(hb, 0, sizeof *hb);
    hb->period = period > 0 ? period : 0.01;
    hb->task = async_create_task(beat, hb);
    return hb->task ? 0 : UV_ENOMEM;
}

void heartbeat_stop(heartbeat *hb)
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

double heartbeat_average_lag(const heartbeat *hb)
{
    return hb->beats ? hb->total_lag / hb->beats : 0;
}

typedef struct measured {
    mistake_half *half;
    int (*body)(void *arg);
    void *arg;
} measured;

static int measure(void *arg)
{
    measured *m = arg;
    heartbeat_start(&m->half->hb, 0.01);
    async_sleep(0.02);                       /* let it beat once before the work */
    double start = async_time();
    m->half->status = m->body(m->arg);
    m->half->took = async_time() - start;
    async_sleep(0.02);                       /* let an overdue beat see the stall */
    heartbeat_stop(&m->half->hb);
    return 0;
}

int mistake_run(mistake_half *h, const char *label, int (*body)(void *arg), void *arg)
{
    memset(h, 0, sizeof *h);
    h->label = label;
    fflush(stdout);                          /* keep our lines before the core's reports */
    measured m = { h, body, arg };
    int rc = async_run(measure, &m);
    return rc ? rc : h->status;
}

void mistake_print(const mistake_half *h)
{
    printf("%s: took %.2f s; heartbeat: worst lag %.0f ms, average %.1f ms over %d beats\n",
           h->label, h->took, h->hb.worst_lag * 1000, heartbeat_average_lag(&h->hb) * 1000,
           h->hb.beats);
    fflush(stdout);
}

/* heartbeat.h: a loop-lag heartbeat. A task that wakes every period and
 * records how late each wake-up was: while anything blocks the loop, the
 * heartbeat stalls for exactly as long, which is what the mistakes/ programs
 * measure. Also the two-halves report those programs print. */
#ifndef ASYNC_HEARTBEAT_H
#define ASYNC_HEARTBEAT_H

typedef struct async_task async_task;

typedef struct heartbeat {
    async_task *task;
    double period;          /* seconds between beats; default 0.01 */
    int beats;
    double worst_lag;       /* seconds */
    double total_lag;
} heartbeat;

/* Starts the heartbeat task in the current task's loop (period <= 0: 10 ms). */
int heartbeat_start(heartbeat *hb, double period);

/* Cancels and awaits it; the figures stay in hb. */
void heartbeat_stop(heartbeat *hb);

double heartbeat_average_lag(const heartbeat *hb);

/* One half of a mistake demo, measured: how long it took and how the loop
 * kept time meanwhile. */
typedef struct mistake_half {
    const char *label;      /* "wrong" or "right" */
    double took;
    heartbeat hb;
    int status;
} mistake_half;

/* Runs body(arg) under async_run with a heartbeat beside it and fills h. */
int mistake_run(mistake_half *h, const char *label, int (*body)(void *arg), void *arg);

/* Prints "wrong: took 1.00 s; heartbeat: worst lag 201 ms, average 98.3 ms over 12 beats". */
void mistake_print(const mistake_half *h);

#endif

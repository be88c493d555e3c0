/* wb_heartbeat.h: a loop-lag heartbeat. A task that wakes every period and
 * records how late each wake-up was: while anything blocks the loop, the
 * heartbeat stalls for exactly as long, which is what the mistakes/ programs
 * measure (mistakes/harness/ builds their report on it). */
#ifndef WB_HEARTBEAT_H
#define WB_HEARTBEAT_H

typedef struct async_task async_task;

typedef struct wb_heartbeat {
    async_task *task;
    double period;          /* seconds between beats; default 0.01 */
    int beats;
    double worst_lag;       /* seconds */
    double total_lag;
} wb_heartbeat;

/* Starts the heartbeat task in the current task's loop (period <= 0: 10 ms). */
int wb_heartbeat_start(wb_heartbeat *hb, double period);

/* Cancels and awaits it; the figures stay in hb. */
void wb_heartbeat_stop(wb_heartbeat *hb);

double wb_heartbeat_average_lag(const wb_heartbeat *hb);

#endif

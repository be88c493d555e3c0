/* timers.c (W5): how late a 50 ms timeout fires (200 trials), and how long
 * a cancel takes to reach the cancelled task (1,000 trials). Prints
 * "timeout_lateness_ms median p99" and "cancel_seen_us median p99". */
#include "async.h"

#include <stdlib.h>

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *name, double *v, int n, double scale)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    printf("%s %.3f %.3f\n", name, v[n / 2] * scale, v[(n * 99) / 100] * scale);
}

static int lateness(void *arg)
{
    int n = *(int *)arg;
    double *late = calloc((size_t)n, sizeof *late);
    for (int i = 0; i < n; i++) {
        async_timeout t;
        double start = async_time();
        async_timeout_enter(&t, 0.05);
        async_timeout_exit(&t, async_sleep(10));
        late[i] = async_time() - start - 0.05;
    }
    report("timeout_lateness_ms", late, n, 1e3);
    free(late);
    return 0;
}

typedef struct victim { double cancelled_at, seen_at; } victim;

static int wait_for_cancel(void *arg)
{
    victim *v = arg;
    async_sleep(10);
    v->seen_at = async_time();
    return 0;
}

static int cancel_latency(void *arg)
{
    int n = *(int *)arg;
    double *d = calloc((size_t)n, sizeof *d);
    for (int i = 0; i < n; i++) {
        victim v = { 0, 0 };
        async_task *t = async_create_task(wait_for_cancel, &v);
        async_sleep(0);                 /* let it start waiting */
        v.cancelled_at = async_time();
        async_cancel(t);
        async_await(t);
        d[i] = v.seen_at - v.cancelled_at;
    }
    report("cancel_seen_us", d, n, 1e6);
    free(d);
    return 0;
}

int main(int argc, char **argv)
{
    int trials = argc > 1 ? atoi(argv[1]) : 200;
    int cancels = argc > 2 ? atoi(argv[2]) : 1000;
    async_run(lateness, &trials);
    async_run(cancel_latency, &cancels);
    return 0;
}

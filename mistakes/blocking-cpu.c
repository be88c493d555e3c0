/* Mistake: CPU-bound (or blocking library) work done inside a task.
 *
 * A task that computes for 300 ms without awaiting holds the loop for 300 ms:
 * every other task, timer and socket waits. asyncio.to_thread() moves the
 * work to a thread; here async_to_thread() runs it on libuv's thread pool
 * while the loop, and the heartbeat, keep their time.
 */
#include "async.h"
#include "mistake_harness.h"

#include <stdint.h>

typedef struct work {
    double seconds;
    uint64_t result;
} work;

/* Counts primes by trial division until the time is up: pure CPU. */
static int count_primes(void *arg)
{
    work *w = arg;
    double end = async_time() + w->seconds;
    uint64_t n = 2, found = 0;
    while (async_time() < end) {
        for (int k = 0; k < 1000; k++, n++) {
            int prime = 1;
            for (uint64_t d = 2; d * d <= n && prime; d++)
                prime = n % d != 0;
            found += (uint64_t)prime;
        }
    }
    w->result = found;
    return 0;
}

static int compute_in_the_task(void *arg)
{
    async_task *t = async_create_task(count_primes, arg);   /* the mistake: the loop */
    return async_await(t);                                  /* waits the 300 ms */
}

static int compute_in_a_thread(void *arg)
{
    return async_to_thread(count_primes, arg); /* the fix: the loop goes on */
}

int main(int argc, char **argv)
{
    int done = mistake_start(argc, argv, "blocking-cpu",
                             "CPU work in a task freezes the loop; async_to_thread() does not");
    if (done >= 0)
        return done;
    mistake_half wrong, right;
    work w1 = { 0.3, 0 }, w2 = { 0.3, 0 };
    printf("300 ms of CPU work (counting primes), in the task and then through async_to_thread()\n");
    mistake_run(&wrong, "wrong", compute_in_the_task, &w1);
    mistake_print(&wrong);
    mistake_run(&right, "right", compute_in_a_thread, &w2);
    mistake_print(&right);
    printf("verdict: in the task, the loop froze for %.0f ms (every other task waited); through "
           "async_to_thread() the same work left the loop lagging at most %.0f ms\n",
           wrong.hb.worst_lag * 1000, right.hb.worst_lag * 1000);
    return 0;
}

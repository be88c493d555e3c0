/* Mistake: not handling CancelledError (it prevents graceful shutdown).
 *
 * Cancellation here is level-triggered: once a task is cancelled, each of its
 * awaits returns UV_ECANCELED at once. A task that ignores the status keeps
 * looping, now without ever really waiting: it burns the CPU until its own
 * loop ends, and the shutdown waits for it (this demo bounds it at 1 s).
 * The fix checks the status, cleans up, and returns it.
 */
#include "async.h"
#include "mistake_harness.h"

#define BOUND 1.0      /* the demo's bound: the stubborn worker stops by itself then */

typedef struct worker {
    double until;
    long spins;        /* awaits that returned at once */
    int cleaned_up;
} worker;

static int poll_ignoring_cancel(void *arg)
{
    worker *w = arg;
    while (async_time() < w->until) {
        if (async_sleep(0.1) != 0)      /* the mistake: the status is ignored */
            w->spins++;
    }
    return 0;
}

static int poll_until_cancelled(void *arg)
{
    worker *w = arg;
    while (async_time() < w->until) {
        int rc = async_sleep(0.1);
        if (rc) {                       /* the fix: clean up and pass it on */
            w->cleaned_up = 1;
            return rc;
        }
    }
    return 0;
}

typedef struct plan {
    async_fn work;
    const char *name;
    worker w;
    double shutdown;   /* from the cancel to the worker's end */
} plan;

static int cancel_after_a_while(void *arg)
{
    plan *p = arg;
    p->w.until = async_time() + BOUND;
    async_task *t = async_create_task_at(p->work, &p->w, p->name, __FILE__, __LINE__);
    async_sleep(0.2);
    double asked = async_time();
    async_cancel(t);                   /* shut down */
    async_shield wait_for_it;          /* Ctrl-C cancels us too: still wait for t, as */
    async_shield_enter(&wait_for_it);  /* asyncio.run waits for a cancelled task */
    async_await(t);
    async_shield_exit(&wait_for_it);
    p->shutdown = async_time() - asked;
    return 0;
}

int main(int argc, char **argv)
{
    int done = mistake_start(argc, argv, "swallowed-cancel",
                             "a task that ignores UV_ECANCELED holds up the shutdown");
    if (done >= 0)
        return done;
    mistake_half wrong, right;
    static plan stubborn = { poll_ignoring_cancel, "poll_ignoring_cancel", { 0, 0, 0 }, 0 };
    static plan polite = { poll_until_cancelled, "poll_until_cancelled", { 0, 0, 0 }, 0 };
    printf("a polling worker is cancelled after 0.2 s; how long does the shutdown take?\n");
    mistake_run(&wrong, "wrong", cancel_after_a_while, &stubborn);
    mistake_print(&wrong);
    printf("wrong: shutdown took %.2f s; the worker spun through %ld cancelled awaits\n",
           stubborn.shutdown, stubborn.w.spins);
    mistake_run(&right, "right", cancel_after_a_while, &polite);
    mistake_print(&right);
    printf("right: shutdown took %.3f s; cleanup ran: %s\n", polite.shutdown,
           polite.w.cleaned_up ? "yes" : "no");
    printf("verdict: ignoring UV_ECANCELED held the shutdown for %.2f s (until the demo's %.0f s "
           "bound) at 100%% CPU; returning it after cleanup ended it in %.0f ms\n",
           stubborn.shutdown, BOUND, polite.shutdown * 1000);
    if (!async_debug_enabled())    /* already on: the core's line is above */
        printf("(run with ASYNC_DEBUG=1 to see the core name the stubborn task)\n");
    return 0;
}

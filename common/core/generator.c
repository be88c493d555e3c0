/* generator.c: async generators. The producer is a task of its own that
 * hands one item at a time to the consumer (a rendezvous: it runs only while
 * the consumer is waiting for an item, as a Python generator body does).
 * Closing early resumes the producer's pending yield with UV_ECANCELED and
 * waits for its cleanup before returning (asyncio's aclosing()). */
#include "task.h"
#include "handle.h"

#include <string.h>

struct async_generator {
    async_task *producer;
    async_task *consumer;        /* parked in async_next or the close */
    async_gen_fn fn;
    void *arg;
    void *item;
    int has_item;
    int demand;                  /* the consumer wants the next item */
    int producer_parked;         /* the producer waits for demand or close */
    int closing;
    int consumer_cancelled;
    int yielded_after_close;
    int finished;
    int status;
};

/* A program's async_generator* is stamped with its producer's id (handle.c):
 * after the close its slot is reused, and a late async_next or a second close
 * must not read another task's memory as a generator. The state lies right
 * after the producer's record (core.c's async__task_new_ex). */
#define STATE_BACK ((sizeof(async_task) + 15) & ~(size_t)15)

static async_generator *state_of(async_generator *h, int *stale)
{
    return async__unstamped(h, STATE_BACK, stale);
}

static void producer_cancel(void *ctx)
{
    async_generator *g = ctx;
    async__wake(g->producer, UV_ECANCELED);
}

/* The producer waits here for the consumer's next request: 0, or
 * UV_ECANCELED once the generator is closed or its task cancelled. */
static int wait_for_demand(async_generator *g, const char *file, int line)
{
    while (!g->demand && !g->closing) {
        g->producer_parked = 1;
        async__wait_set(g->producer, ASYNC_ON_YIELD, g, file, line);
        int rc = async__park_kind(producer_cancel, g, ASYNC_WAIT_TASKS);
        g->producer_parked = 0;
        if (rc)
            return rc;
    }
    return g->closing ? UV_ECANCELED : 0;
}

static int producer_main(void *arg)
{
    async_generator *g = arg;
    /* Until the first async_next: the site is where it was created. */
    int rc = wait_for_demand(g, g->producer->file, g->producer->line);
    if (rc)
        return g->closing ? 0 : rc;   /* closed before it started: nothing ran */
    return g->fn(g, g->arg);
}

static void producer_done(async_task *t, void *ctx)
{
    async_generator *g = ctx;
    g->finished = 1;
    g->status = t->status;
    if (g->consumer)
        async__wake(g->consumer, g->consumer_cancelled ? UV_ECANCELED : 0);
}

async_generator *async_generator_create_at(async_gen_fn fn, void *arg, const char *name,
                                           const char *file, int line)
{
    async__on_loop("async_generator_create");
    if (!async_loop() || !fn)
        return NULL;                 /* outside async_run, as async_create_task */
    void *extra;
    async_task *t = async__task_new_ex(producer_main, NULL, name, file, line,
                                       sizeof(async_generator), &extra);
    if (!t)
        return NULL;
    async_generator *g = extra;
    memset(g, 0, sizeof *g);
    g->producer = t;
    g->fn = fn;
    g->arg = arg;
    t->arg = g;
    t->is_generator = 1;
    async__task_on_done(t, producer_done, g);
    return async__stamped(g, t);
}

/* Out of the way of every step (the yield's check is one compare). */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static void yield_outside_body(const async_generator *g, const char *file, int line)
{
    async__misuse(file, line, "async_yield into generator '%s' from outside its body: only "
                  "the generator function itself yields (Python: yield is only valid "
                  "there)", g->producer->name);
}

int async_yield_at(async_generator *h, void *item, const char *file, int line)
{
    async__on_loop("async_yield");
    int stale;
    async_generator *g = state_of(h, &stale);
    if (!g || stale)
        return UV_EINVAL;
    if (g->producer->state != ASYNC_TASK_RUNNING)   /* the running task is not its body */
        yield_outside_body(g, file, line);
    if (g->closing) {
        g->yielded_after_close = 1;
        return UV_ECANCELED;
    }
    int rc = async__check();
    if (rc)
        return rc;
    g->item = item;
    g->has_item = 1;
    g->demand = 0;
    if (g->consumer) {               /* hand the item straight to the consumer */
        g->producer_parked = 1;
        async__wait_set(g->producer, ASYNC_ON_YIELD, g, file, line);
        rc = async__handoff(g->consumer, 0, producer_cancel, g);
        g->producer_parked = 0;
        if (rc)
            return rc;
    }
    return wait_for_demand(g, file, line);
}

/* Python: "anext(): asynchronous generator is already running". One task at a
 * time may be inside async_next or the close, and never the producer itself:
 * a second one would overwrite the first's place as consumer and lose it. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static void already_running(const async_generator *g, const char *call, const char *python,
                            const char *file, int line)
{
    if (async__current() == g->producer)
        async__misuse(file, line, "%s called from inside the generator's own body", call);
    async__misuse(file, line, "%s: the generator is already running: task '%s' is inside "
                  "%s (Python: %s(): asynchronous generator is already running)", call,
                  g->consumer->name, g->closing ? "async_generator_close" : "async_next",
                  python);
}

/* Two compares on every step; the message is out of the way. */
static inline void check_not_running(const async_generator *g, const char *call,
                                     const char *python, const char *file, int line)
{
    if (g->consumer || async__current() == g->producer)
        already_running(g, call, python, file, line);
}

static void next_cancel(void *ctx)
{
    async_generator *g = ctx;
    g->consumer_cancelled = 1;
    async_cancel(g->producer);     /* it cleans up; its end wakes us */
}

/* After the close, as Python's anext() on a closed generator: the end, 0. */
int async_next_at(async_generator *h, void **item, const char *file, int line)
{
    async__on_loop("async_next");
    int stale;
    async_generator *g = state_of(h, &stale);
    if (!g)
        return UV_EINVAL;
    if (stale)
        return 0;
    if (g->finished)
        return g->status < 0 && g->status != UV_ECANCELED ? g->status : 0;
    check_not_running(g, "async_next", "anext", file, line);
    int rc = async__check();
    if (rc)
        return rc;
    g->demand = 1;
    g->consumer = async__current();
    async__wait_set(g->consumer, ASYNC_ON_NEXT, g, file, line);
    if (g->producer_parked)          /* run the producer up to its next yield */
        rc = async__handoff(g->producer, 0, next_cancel, g);
    else
        rc = async__park_kind(next_cancel, g, ASYNC_WAIT_TASKS);
    g->consumer = NULL;
    if (g->has_item) {
        g->has_item = 0;
        if (item)
            *item = g->item;
        return 1;
    }
    if (rc)
        return rc;
    if (g->consumer_cancelled)
        return UV_ECANCELED;
    return g->status < 0 && g->status != UV_ECANCELED ? g->status : 0;
}

static void close_cancel(void *ctx)
{
    async_generator *g = ctx;
    async_cancel(g->producer);     /* hurry its cleanup; still wait for it */
}

/* A second close, as Python's aclose() on a closed generator: 0, nothing. */
int async_generator_close_at(async_generator *h, const char *file, int line)
{
    async__on_loop("async_generator_close");
    int stale;
    async_generator *g = state_of(h, &stale);
    if (!g || !async__current())
        return UV_EINVAL;
    if (stale)
        return 0;
    check_not_running(g, "async_generator_close", "aclose", file, line);
    if (!g->finished) {
        g->closing = 1;
        if (g->producer_parked)
            async__wake(g->producer, 0);
        g->consumer = async__current();
        while (!g->finished) {
            async__wait_set(g->consumer, ASYNC_ON_GENERATOR_CLOSE, g, file, line);
            async__park_kind(close_cancel, g, ASYNC_WAIT_TASKS);
        }
        g->consumer = NULL;
    }
    int rc = g->status;
    if (g->yielded_after_close)
        rc = UV_EINVAL;
    else if (rc == UV_ECANCELED && (g->closing || g->consumer_cancelled))
        rc = 0;
    async__task_release(g->producer);   /* frees g too: it lives in that slot */
    return rc;
}

const async_task *async__generator_task(const async_generator *g)
{
    return g->producer;
}

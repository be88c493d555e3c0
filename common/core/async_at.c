/* async_at.c: the plain functions behind async_at.h's macros, for a call
 * that names the function itself, (async_sleep)(1.0), or takes its address.
 * They know no file:line: the task tree shows no site for their awaits. */
#include "async.h"

#undef async_await
#undef async_sleep
#undef async_taskgroup_wait
#undef async_semaphore_acquire
#undef async_generator_create
#undef async_yield
#undef async_next
#undef async_generator_close
#undef async_to_thread

int async_await(async_task *t) { return async_await_at(t, NULL, 0); }

int async_sleep(double seconds) { return async_sleep_at(seconds, NULL, 0); }

int async_taskgroup_wait(async_taskgroup *tg) { return async_taskgroup_wait_at(tg, NULL, 0); }

int async_semaphore_acquire(async_semaphore *s)
{
    return async_semaphore_acquire_at(s, NULL, NULL, 0);
}

async_generator *async_generator_create(async_gen_fn fn, void *arg)
{
    return async_generator_create_at(fn, arg, "generator", NULL, 0);
}

int async_yield(async_generator *g, void *item) { return async_yield_at(g, item, NULL, 0); }

int async_next(async_generator *g, void **item) { return async_next_at(g, item, NULL, 0); }

int async_generator_close(async_generator *g) { return async_generator_close_at(g, NULL, 0); }

int async_to_thread(async_fn fn, void *arg) { return async_to_thread_at(fn, arg, NULL, NULL, 0); }

/* async_at.h: every await of async.h as a macro that passes the caller's
 * file:line (and a name, where one helps) to its *_at function, the way
 * async_create_task records where a task was made. The task tree
 * (async_print_tasks, Ctrl-\, the deadlock report) and gdb then say where
 * each task waits, in the program's own code. The functions themselves stay
 * callable: (async_sleep)(1.0), or take their address. Included by async.h. */
#ifndef ASYNC_AT_H
#define ASYNC_AT_H

#ifdef __cplusplus
extern "C" {
#endif

int async_await_at(async_task *t, const char *file, int line);
#define async_await(t) async_await_at((t), __FILE__, __LINE__)

int async_sleep_at(double seconds, const char *file, int line);
#define async_sleep(seconds) async_sleep_at((seconds), __FILE__, __LINE__)

int async_taskgroup_wait_at(async_taskgroup *tg, const char *file, int line);
#define async_taskgroup_wait(tg) async_taskgroup_wait_at((tg), __FILE__, __LINE__)

int async_semaphore_acquire_at(async_semaphore *s, const char *expr, const char *file, int line);
#define async_semaphore_acquire(s) async_semaphore_acquire_at((s), #s, __FILE__, __LINE__)

async_generator *async_generator_create_at(async_gen_fn fn, void *arg, const char *name,
                                           const char *file, int line);
#define async_generator_create(fn, arg) \
    async_generator_create_at((fn), (arg), #fn, __FILE__, __LINE__)

int async_yield_at(async_generator *g, void *item, const char *file, int line);
#define async_yield(g, item) async_yield_at((g), (item), __FILE__, __LINE__)

int async_next_at(async_generator *g, void **item, const char *file, int line);
#define async_next(g, item) async_next_at((g), (item), __FILE__, __LINE__)

int async_generator_close_at(async_generator *g, const char *file, int line);
#define async_generator_close(g) async_generator_close_at((g), __FILE__, __LINE__)

int async_to_thread_at(async_fn fn, void *arg, const char *name, const char *file, int line);
#define async_to_thread(fn, arg) async_to_thread_at((fn), (arg), #fn, __FILE__, __LINE__)

#ifdef __cplusplus
}
#endif
#endif

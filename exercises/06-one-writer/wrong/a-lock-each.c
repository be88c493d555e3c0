/* Wrong: each worker makes its own lock, so no two workers share one.
 * expect: mixed with worker
 */
#include "exercise.h"

#define MAX_WORKERS 32

typedef struct worker { int i; async_semaphore *lock; } worker;

static int worker_task(void *arg)
{
    worker *w = arg;
    async_semaphore mine;
    async_semaphore_init(&mine, 1);
    w->lock = &mine;
    int rc = prepare(w->i);                 /* any number at once */
    if (rc)
        return rc;
    rc = async_semaphore_acquire(w->lock);  /* async with lock: */
    if (rc)
        return rc;
    rc = write_report(w->i);                /* one at a time */
    async_semaphore_release(w->lock);
    return rc;
}

int save_all(int n)
{
    async_semaphore lock;
    async_semaphore_init(&lock, 1);         /* asyncio.Lock() */
    worker workers[MAX_WORKERS];
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < n && i < MAX_WORKERS; i++) {
        workers[i] = (worker){ i, &lock };
        async_taskgroup_create_task(&tg, worker_task, &workers[i]);
    }
    return async_taskgroup_wait(&tg);
}

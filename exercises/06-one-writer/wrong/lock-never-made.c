/* Wrong: the lock is declared but never initialised (no
 * async_semaphore_init). The core catches it and says so; the check adds its
 * own line.
 * expect: never initialised
 */
#include "exercise.h"

#define MAX_WORKERS 32

static async_semaphore lock;

static int worker_task(void *arg)
{
    int i = *(int *)arg;
    int rc = prepare(i);
    if (rc)
        return rc;
    rc = async_semaphore_acquire(&lock);
    if (rc)
        return rc;
    rc = write_report(i);
    async_semaphore_release(&lock);
    return rc;
}

int save_all(int n)
{
    int ids[MAX_WORKERS];
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < n && i < MAX_WORKERS; i++) {
        ids[i] = i;
        async_taskgroup_create_task(&tg, worker_task, &ids[i]);
    }
    return async_taskgroup_wait(&tg);
}

#include "exercise.h"

typedef struct limited { job_board *board; async_semaphore sem; } limited;

static int job_task(void *arg)
{
    limited *l = arg;
    int rc = async_semaphore_acquire(&l->sem);
    if (rc)
        return rc;
    rc = one_job(l->board);
    async_semaphore_release(&l->sem);
    return rc;
}

int limited_map(job_board *board, int n, int k)
{
    limited l = { .board = board };
    async_semaphore_init(&l.sem, k);
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < n; i++)
        async_taskgroup_create_task(&tg, job_task, &l);
    return async_taskgroup_wait(&tg);
}

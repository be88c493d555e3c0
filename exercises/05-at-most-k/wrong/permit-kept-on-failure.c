/* Wrong: a failed conversion returns before giving its permit back; after
 * four failures no permit is left, and the other jobs wait for ever (the
 * core finds the deadlock and cancels them).
 * expect: of the 30 jobs were tried (convert_all returned UV_ECANCELED (operation canceled))
 */
#include "exercise.h"

#define MAX_JOBS 100

typedef struct jobs {
    async_semaphore sem;     /* k permits, shared by every task */
    int failed;
    struct job { struct jobs *all; int number; } job[MAX_JOBS];
} jobs;

static int convert_task(void *arg)
{
    struct job *j = arg;
    int rc = async_semaphore_acquire(&j->all->sem);    /* async with sem: */
    if (rc)
        return rc;                                     /* cancelled: no permit taken */
    rc = convert(j->number);
    if (rc && rc != UV_ECANCELED) {
        j->all->failed++;
        return 0;
    }
    async_semaphore_release(&j->all->sem);             /* on every way out */
    if (rc == UV_ECANCELED)
        return rc;
    if (rc)
        j->all->failed++;                              /* counted, not fatal */
    return 0;
}

int convert_all(int n, int k, int *failed)
{
    jobs all = { .failed = 0 };
    async_semaphore_init(&all.sem, k);
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < n && i < MAX_JOBS; i++) {
        all.job[i].all = &all;
        all.job[i].number = i;
        async_taskgroup_create_task(&tg, convert_task, &all.job[i]);
    }
    int rc = async_taskgroup_wait(&tg);
    *failed = all.failed;
    return rc;
}

/* Wrong: the permits are taken in the loop that makes the tasks and given
 * back by each task, but not by a task whose conversion failed.
 * expect: of the 30 jobs were tried (convert_all returned UV_ECANCELED (operation canceled))
 */
#include "exercise.h"

typedef struct ctx { async_semaphore sem; int failed; int job[100]; } ctx;
static ctx c;
static int t(void *arg)
{
    int *j = arg;
    int rc = convert(*j);
    if (rc) { c.failed++; return 0; }
    async_semaphore_release(&c.sem);
    return 0;
}
int convert_all(int n, int k, int *failed)
{
    async_semaphore_init(&c.sem, k);
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < n; i++) {
        c.job[i] = i;
        int rc = async_semaphore_acquire(&c.sem);
        if (rc) break;
        async_taskgroup_create_task(&tg, t, &c.job[i]);
    }
    int rc = async_taskgroup_wait(&tg);
    *failed = c.failed;
    return rc;
}

/* Exercise 5: write convert_all. The task is in README.md. */
#include "exercise.h"

#define MAX_JOBS 100

typedef struct jobs {
    int failed;
    struct job { struct jobs *all; int number; } job[MAX_JOBS];
} jobs;

static int convert_task(void *arg)
{
    struct job *j = arg;
    int rc = convert(j->number);      /* TODO: never more than k at once */
    if (rc == UV_ECANCELED)
        return rc;                    /* a cancellation is not a failed job: pass it on */
    if (rc != 0)
        j->all->failed++;
    return 0;
}

int convert_all(int n, int k, int *failed)
{
    (void)k;
    jobs all = { .failed = 0 };
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

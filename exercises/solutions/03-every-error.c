#include "exercise.h"

int failed_fetches(fetch_call *calls, int n, int *failed_ids)
{
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < n; i++)
        async_taskgroup_create_task(&tg, fetch_task, &calls[i]);
    async_taskgroup_wait(&tg);
    int count = async_taskgroup_error_count(&tg);
    for (int i = 0; i < count; i++) {
        const async_group_error *e = async_taskgroup_error(&tg, i);
        if (!e)
            return i;
        failed_ids[i] = ((const fetch_call *)e->arg)->id;
    }
    return count;
}

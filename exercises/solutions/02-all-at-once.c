#include "exercise.h"

int fetch_all(fetch_call *calls, int n)
{
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < n; i++)
        async_taskgroup_create_task(&tg, fetch_task, &calls[i]);
    return async_taskgroup_wait(&tg);
}

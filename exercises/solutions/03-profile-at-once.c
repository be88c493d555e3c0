#include "exercise.h"

/* A task body per service: each takes the profile and fills its own field. */
static int user_task(void *arg)
{
    profile *p = arg;
    return fetch_user(p->user_id, &p->user);
}

static int orders_task(void *arg)
{
    profile *p = arg;
    return fetch_orders(p->user_id, &p->orders);
}

static int friends_task(void *arg)
{
    profile *p = arg;
    return fetch_friends(p->user_id, &p->friends);
}

int load_profile(int id, profile *p)
{
    p->user_id = id;
    async_taskgroup tg;
    async_taskgroup_init(&tg);                   /* async with TaskGroup() as tg: */
    async_taskgroup_create_task(&tg, user_task, p);
    async_taskgroup_create_task(&tg, orders_task, p);
    async_taskgroup_create_task(&tg, friends_task, p);
    return async_taskgroup_wait(&tg);            /* the first failure, or 0 */
}

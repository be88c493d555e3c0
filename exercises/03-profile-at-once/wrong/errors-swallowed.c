/* Wrong: the task bodies drop their fetch's status, so the group never
 * hears of the failure and reports success.
 * expect: load_profile(13), whose orders service refuses, returned 0 (success)
 */
#include "exercise.h"

static int user_task(void *arg) { profile *p = arg; fetch_user(p->user_id, &p->user); return 0; }
static int orders_task(void *arg) { profile *p = arg; fetch_orders(p->user_id, &p->orders); return 0; }
static int friends_task(void *arg) { profile *p = arg; fetch_friends(p->user_id, &p->friends); return 0; }

int load_profile(int id, profile *p)
{
    p->user_id = id;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    async_taskgroup_create_task(&tg, user_task, p);
    async_taskgroup_create_task(&tg, orders_task, p);
    async_taskgroup_create_task(&tg, friends_task, p);
    return async_taskgroup_wait(&tg);
}

/* Wrong: a TaskGroup per fetch, each waited for before the next is made:
 * tasks, but still one after another.
 * expect: with at most 1 fetch running at once
 */
#include "exercise.h"

static int user_task(void *arg) { profile *p = arg; return fetch_user(p->user_id, &p->user); }
static int orders_task(void *arg) { profile *p = arg; return fetch_orders(p->user_id, &p->orders); }
static int friends_task(void *arg) { profile *p = arg; return fetch_friends(p->user_id, &p->friends); }

int load_profile(int id, profile *p)
{
    async_fn bodies[3] = { user_task, orders_task, friends_task };
    p->user_id = id;
    for (int i = 0; i < 3; i++) {
        async_taskgroup tg;
        async_taskgroup_init(&tg);
        async_taskgroup_create_task(&tg, bodies[i], p);
        int rc = async_taskgroup_wait(&tg);
        if (rc)
            return rc;
    }
    return 0;
}

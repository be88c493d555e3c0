/* Wrong: asyncio.gather's old pitfall: three tasks, each awaited in turn with
 * no group. Fine while all succeed; when the orders fail, load_profile
 * returns and fetch_friends is left running, never cancelled.
 * expect: while fetch_friends(13) was still running
 */
#include "exercise.h"

static int user_task(void *arg) { profile *p = arg; return fetch_user(p->user_id, &p->user); }
static int orders_task(void *arg) { profile *p = arg; return fetch_orders(p->user_id, &p->orders); }
static int friends_task(void *arg) { profile *p = arg; return fetch_friends(p->user_id, &p->friends); }

int load_profile(int id, profile *p)
{
    p->user_id = id;
    async_task *u = async_create_task(user_task, p);
    async_task *o = async_create_task(orders_task, p);
    async_task *f = async_create_task(friends_task, p);
    int rc = async_await(u);
    if (rc == 0)
        rc = async_await(o);
    if (rc == 0)
        rc = async_await(f);
    return rc;
}

/* Step 2: concurrent execution with a TaskGroup.
 *
 *   async def fetch_all_users(user_ids: list[int]) -> list[dict]:
 *       results = []
 *       async with asyncio.TaskGroup() as tg:
 *           for uid in user_ids:
 *               task = tg.create_task(fetch_user(uid))
 *               results.append(task)
 *       return [task.result() for task in results]
 *
 *   # All tasks complete or all are cancelled on error
 *   users = asyncio.run(fetch_all_users([1, 2, 3, 4, 5]))
 *
 * Each fetch runs as its own task, so five 0.1 s fetches take 0.1 s, not 0.5.
 * `async_taskgroup_wait` is the end of the `async with` block: it waits for
 * every child; the first child that fails cancels the others and its error is
 * what the group returns. There is no task.result() to collect: each task
 * writes its user into its own fetch_user_call, and once the group has
 * returned 0, every one of them is filled in.
 */
#include "async.h"
#include "users.h"

/* async def fetch_user(user_id) */
static int fetch_user(void *arg)
{
    fetch_user_call *call = arg;
    int rc = simulated_io(call);                /* await asyncio.sleep(0.1)  # Simulate async I/O */
    if (rc)
        return rc;                              /* cancelled, or the I/O failed: pass it on */
    user_make(&call->result, call->user_id);    /* return {"id": user_id, "name": ...} */
    return 0;
}

/* async def fetch_all_users(user_ids) */
static int fetch_all_users(void *arg)
{
    fetch_all_call *all = arg;                              /* the user ids, and room for the results */
    async_taskgroup tg;
    async_taskgroup_init(&tg);                              /* async with asyncio.TaskGroup() as tg: */
    for (size_t i = 0; i < all->count; i++)                 /*     for uid in user_ids: */
        async_taskgroup_create_task(&tg, fetch_user, &all->calls[i]);   /* tg.create_task(fetch_user(uid)) */
    return async_taskgroup_wait(&tg);                       /* the block's end: all done, or the first error */
}                                                           /* [task.result() ...]: all->calls[i].result */

int main(int argc, char **argv)
{
    return step2_cli(argc, argv, fetch_all_users);         /* users = asyncio.run(fetch_all_users([1..5])) */
}

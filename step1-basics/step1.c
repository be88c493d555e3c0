/* Step 1: an async function, awaited from main.
 *
 *   async def fetch_user(user_id: int) -> dict:
 *       await asyncio.sleep(0.1)          # Simulate async I/O (database, HTTP, etc.)
 *       return {"id": user_id, "name": f"User {user_id}"}
 *
 *   async def main():
 *       user = await fetch_user(1)
 *       print(user)
 *
 *   asyncio.run(main())
 *
 * In C an async function is a function that runs inside a task and may
 * await. `await fetch_user(1)` runs it in the caller's own task, so it is a
 * plain call; results come back through the argument, the status (0 or a
 * negative libuv error) through the return value.
 */
#include "async.h"
#include "user.h"

typedef struct fetch_user_call {
    int user_id;
    user result;
} fetch_user_call;

/* async def fetch_user(user_id) */
static int fetch_user(fetch_user_call *call)
{
    int rc = async_sleep(0.1);          /* Simulate async I/O (database, HTTP, etc.) */
    if (rc)
        return rc;                      /* UV_ECANCELED: someone cancelled us */
    user_make(&call->result, call->user_id);
    return 0;
}

/* async def main() */
static int main_task(void *arg)
{
    (void)arg;
    fetch_user_call call = { .user_id = 1 };
    int rc = fetch_user(&call);         /* user = await fetch_user(1) */
    if (rc)
        return rc;
    user_print(&call.result);           /* print(user) */
    return 0;
}

int main(int argc, char **argv)
{
    return step1_cli(argc, argv, main_task);   /* asyncio.run(main()), timed */
}

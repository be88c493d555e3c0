/* Step 5: timeouts and cancellation.
 *
 *   async def slow_operation():
 *       await asyncio.sleep(30)
 *       return "done"
 *
 *   async def main():
 *       # Timeout after 5 seconds
 *       try:
 *           async with asyncio.timeout(5.0):
 *               result = await slow_operation()
 *       except TimeoutError:
 *           print("Operation timed out")
 *       # Cancel a running task
 *       task = asyncio.create_task(slow_operation())
 *       await asyncio.sleep(1)
 *       task.cancel()
 *       try:
 *           await task
 *       except asyncio.CancelledError:
 *           print("Task was cancelled")
 *
 * C has no exceptions: the timeout scope's exit turns its own cancellation
 * into UV_ETIMEDOUT, and a cancelled await returns UV_ECANCELED, which the
 * cancelled function passes up after its cleanup.
 */
#include "async.h"
#include "events.h"

/* async def slow_operation() */
static int slow_operation(void *arg)
{
    const char **result = arg;
    event("slow_operation: started, needs %.2f s", options.slow);
    int rc = async_sleep(options.slow);
    if (rc) {                                   /* cancelled: clean up, pass it on */
        event("slow_operation: cancelled, cleanup ran");
        return rc;
    }
    *result = "done";
    return 0;
}

/* `await task` after task.cancel(): the task's cleanup must finish even when
 * we are being cancelled ourselves (Ctrl-C), so this wait is shielded. */
static int await_cleanup(async_task *task)
{
    async_shield shield;
    async_shield_enter(&shield);
    int rc = async_await(task);
    async_shield_exit(&shield);
    return rc;
}

/* async def main() */
static int main_task(void *arg)
{
    (void)arg;
    const char *result = NULL;

    async_timeout timeout;
    async_timeout_enter(&timeout, options.timeout);       /* async with asyncio.timeout(5.0): */
    int rc = slow_operation(&result);                     /*     result = await slow_operation() */
    rc = async_timeout_exit(&timeout, rc);
    if (rc == UV_ETIMEDOUT)                               /* except TimeoutError: */
        event("Operation timed out");
    else if (rc)
        return rc;                                        /* Ctrl-C */
    else
        event("slow_operation returned \"%s\"", result);

    async_task *task = async_create_task(slow_operation, &result);  /* task = create_task(...) */
    int slept = async_sleep(options.cancel_after);                   /* await asyncio.sleep(1) */
    async_cancel(task);                                              /* task.cancel() */
    rc = await_cleanup(task);                                        /* await task */
    if (rc == UV_ECANCELED)                                          /* except CancelledError: */
        event("Task was cancelled");
    else if (rc == 0)
        event("the task finished first: \"%s\"", result);
    return slept;
}

int main(int argc, char **argv)
{
    return step5_cli(argc, argv, main_task);
}

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
 * cancelled function passes up after its cleanup. One thing the C adds: the
 * `await task` is shielded, so that a Ctrl-C arriving meanwhile still waits
 * for the task's cleanup instead of leaving it running unawaited.
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
        event("Operation timed out");                     /*     print("Operation timed out") */
    else if (rc)
        return rc;                                        /* Ctrl-C: main itself was cancelled */
    else
        event("slow_operation returned \"%s\"", result);

    async_task *task = async_create_task(slow_operation, &result);  /* task = asyncio.create_task(slow_operation()) */
    int slept = async_sleep(options.cancel_after);                   /* await asyncio.sleep(1) */
    async_cancel(task);                                              /* task.cancel() */
    async_shield shield;                                             /* (C adds it: wait for the cleanup */
    async_shield_enter(&shield);                                     /*  even if main is cancelled too) */
    rc = async_await(task);                                          /* await task */
    async_shield_exit(&shield);
    if (slept)
        return slept;                                                /* Ctrl-C during the sleep: not our print */
    if (rc == UV_ECANCELED)                                          /* except asyncio.CancelledError: */
        event("Task was cancelled");                                 /*     print("Task was cancelled") */
    else if (rc == 0)
        event("the task finished first: \"%s\"", result);
    return 0;
}

int main(int argc, char **argv)
{
    return step5_cli(argc, argv, main_task);
}

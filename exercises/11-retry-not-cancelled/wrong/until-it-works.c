/* Wrong: retries until it works, with no limit and no eye on UV_ECANCELED:
 * once cancelled, every await returns at once and the loop never ends
 * (asyncio's "swallowed CancelledError"); the check's time limit stops it.
 * expect: did not finish within 10 s: is a task waiting for something that never comes?
 */
#include "exercise.h"

int fetch_with_retry(int id, user *out)
{
    int rc;
    while ((rc = flaky_fetch(id, out)) != 0)
        async_sleep(0.02);
    return rc;
}

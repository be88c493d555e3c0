/* Wrong: any cancellation is taken for the timeout, so a lookup cancelled
 * by its caller still asks the backup.
 * expect: asked the backup anyway: a cancellation from outside is not a timeout
 */
#include "exercise.h"

int lookup(int key, double patience, int *value)
{
    async_timeout t;
    async_timeout_enter(&t, patience);                  /* async with timeout(patience): */
    int rc = async_timeout_exit(&t, ask_primary(key, value));
    if (rc == UV_ETIMEDOUT || rc == UV_ECANCELED)
        rc = ask_backup(key, value);
    return rc;
}

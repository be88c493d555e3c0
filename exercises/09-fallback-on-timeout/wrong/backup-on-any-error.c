/* Wrong: the backup is asked after any error of the primary.
 * expect: expected the primary's error as it is
 */
#include "exercise.h"

int lookup(int key, double patience, int *value)
{
    async_timeout t;
    async_timeout_enter(&t, patience);                  /* async with timeout(patience): */
    int rc = async_timeout_exit(&t, ask_primary(key, value));
    if (rc != 0)
        rc = ask_backup(key, value);
    return rc;
}

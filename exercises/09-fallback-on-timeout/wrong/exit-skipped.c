/* Wrong: the timeout scope's exit is skipped when the primary answers in
 * time: the scope is left open behind lookup's back. The core catches it and
 * names the scope and where it was entered; the check adds its own line.
 * expect: returned without async_timeout_exit
 */
#include "exercise.h"

int lookup(int key, double patience, int *value)
{
    async_timeout t;
    async_timeout_enter(&t, patience);
    int rc = ask_primary(key, value);
    if (rc == 0)
        return 0;
    rc = async_timeout_exit(&t, rc);
    if (rc == UV_ETIMEDOUT)
        rc = ask_backup(key, value);
    return rc;
}

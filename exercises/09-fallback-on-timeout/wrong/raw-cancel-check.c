/* Wrong: the exit's status is ignored and the scope's UV_ECANCELED read as "timed
 * out" directly, so a cancellation by the caller sends lookup to the backup too (the
 * exit is what tells the two apart).
 * expect: asked the backup anyway: a cancellation from outside is not a timeout
 */
#include "exercise.h"

int lookup(int key, double patience, int *value)
{
    async_timeout t;
    async_timeout_enter(&t, patience);
    int rc = ask_primary(key, value);
    int timed_out = rc == UV_ECANCELED;
    async_timeout_exit(&t, rc);
    if (timed_out)
        rc = ask_backup(key, value);
    return rc;
}

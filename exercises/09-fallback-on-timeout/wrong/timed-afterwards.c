/* Wrong: the primary's time is measured after it answers: lookup waits the
 * full 3 s before it decides to ask the backup.
 * expect: expected to give up on it after 0.1 s
 */
#include "exercise.h"

int lookup(int key, double patience, int *value)
{
    double start = async_time();
    int rc = ask_primary(key, value);
    if (rc == 0 && async_time() - start > patience)
        rc = ask_backup(key, value);
    return rc;
}

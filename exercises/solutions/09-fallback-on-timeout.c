#include "exercise.h"

int lookup(int key, double patience, int *value)
{
    async_timeout t;
    async_timeout_enter(&t, patience);                  /* async with timeout(patience): */
    int rc = async_timeout_exit(&t, ask_primary(key, value));
    if (rc == UV_ETIMEDOUT)                             /* except TimeoutError: only ours */
        rc = ask_backup(key, value);
    return rc;
}

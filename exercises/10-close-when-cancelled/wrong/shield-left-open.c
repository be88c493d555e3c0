/* Wrong: the cancelled path closes under a shield but returns before
 * leaving it. The core catches the shield left open and names where it was
 * entered; the check adds its own line.
 * expect: async_shield_exit was skipped
 */
#include "exercise.h"

int run_query(double seconds)
{
    conn *c;
    int rc = conn_open(&c);
    if (rc)
        return rc;
    rc = conn_query(c, seconds);
    if (rc == UV_ECANCELED) {
        async_shield shield;
        async_shield_enter(&shield);
        conn_close(c);
        return rc;
    }
    return conn_close(c);
}

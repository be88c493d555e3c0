/* Wrong: the shield covers the query too, so the query cannot be cancelled
 * and runs its full 2 s.
 * expect: cancelled at 0.05 s, went on for
 */
#include "exercise.h"

int run_query(double seconds)
{
    conn *c;
    int rc = conn_open(&c);
    if (rc)
        return rc;
    async_shield shield;
    async_shield_enter(&shield);
    rc = conn_query(c, seconds);
    int closed = conn_close(c);
    async_shield_exit(&shield);
    return rc ? rc : closed;
}

#include "exercise.h"

int run_query(double seconds)
{
    conn *c;
    int rc = conn_open(&c);
    if (rc)
        return rc;                   /* nothing to close */
    rc = conn_query(c, seconds);     /* cancellable */
    async_shield shield;             /* the goodbye must finish, cancelled or not */
    async_shield_enter(&shield);
    int closed = conn_close(c);
    async_shield_exit(&shield);
    return rc ? rc : closed;         /* UV_ECANCELED passed on */
}

#include "exercise.h"

int use_a_connection(void *arg)
{
    pool *p = arg;
    p->connections_out++;
    int rc = async_sleep(10);
    p->connections_out--;             /* on every way out */
    return rc;
}

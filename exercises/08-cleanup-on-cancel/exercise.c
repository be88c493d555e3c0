/* Exercise 8: write use_a_connection. See README.md. */
#include "exercise.h"

int use_a_connection(void *arg)
{
    pool *p = arg;
    p->connections_out++;
    int rc = async_sleep(10);
    if (rc)
        return rc;                    /* TODO: the connection is never given back */
    p->connections_out--;
    return 0;
}

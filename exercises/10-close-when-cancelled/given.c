/* Exercise 10's given code: connections, counted for the check. */
#include "exercise.h"
#include "given.h"

#include <stdlib.h>

struct conn { int id; };

int given_opened, given_closed, given_close_cancelled;

int conn_open(conn **out)
{
    int rc = async_sleep(0.01);
    if (rc)
        return rc;
    *out = malloc(sizeof **out);
    if (!*out)
        return UV_ENOMEM;
    (*out)->id = ++given_opened;
    return 0;
}

int conn_query(conn *c, double seconds)
{
    (void)c;
    return async_sleep(seconds);
}

int conn_close(conn *c)
{
    int rc = async_sleep(0.02);          /* goodbye */
    if (rc) {
        given_close_cancelled++;
        return rc;                       /* still open: lost */
    }
    free(c);
    given_closed++;
    return 0;
}

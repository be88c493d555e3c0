/* Wrong: the connection is closed on the cancelled path too, but unshielded:
 * the goodbye's own await returns UV_ECANCELED at once, and the close fails.
 * expect: conn_close's own await was cancelled too
 */
#include "exercise.h"

int run_query(double seconds)
{
    conn *c;
    int rc = conn_open(&c);
    if (rc)
        return rc;                   /* nothing to close */
    rc = conn_query(c, seconds);     /* cancellable */
    int closed = conn_close(c);
    return rc ? rc : closed;         /* UV_ECANCELED passed on */
}

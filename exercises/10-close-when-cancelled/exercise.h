/* Exercise 10 (step 5): cleanup that awaits, in a task being cancelled. */
#include "async.h"

typedef struct conn conn;

/* Given: opens a connection in 10 ms; 0 and *out, or an error. */
int conn_open(conn **out);

/* Given: runs a query for `seconds`; 0, or UV_ECANCELED if cancelled. */
int conn_query(conn *c, double seconds);

/* Given: says goodbye to the server (20 ms), then frees c; 0. If its await
 * is cancelled, c stays open (and is lost) and it returns UV_ECANCELED. */
int conn_close(conn *c);

/* To write: open, query for `seconds`, close; the connection closed on every
 * way out; the query's status (UV_ECANCELED when cancelled), or the close's. */
int run_query(double seconds);

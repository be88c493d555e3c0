/* Exercise 8 (step 5): release what you hold when you are cancelled. */
#include "async.h"

typedef struct pool { int connections_out; } pool;

/* To write: a task body that takes a connection from the pool
 * (connections_out++), works with it for 10 s (async_sleep), gives it back
 * (connections_out--) and returns 0 -- and gives it back too when it is
 * cancelled, returning UV_ECANCELED. */
int use_a_connection(void *pool);

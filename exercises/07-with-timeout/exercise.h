/* Exercise 7 (step 5): a helper that runs any async function with a timeout. */
#include "async.h"

/* Given: sleeps *(double *)arg seconds and returns 0. */
int slow(void *arg);

/* To write: run fn(arg) in the current task with a deadline `seconds` away:
 * fn's status if it finishes in time, UV_ETIMEDOUT if not. */
int with_timeout(async_fn fn, void *arg, double seconds);

/* Exercise 11 (step 5): pass a cancellation up, even from a retry loop. */
#include "async.h"

typedef struct user { int id; char name[32]; } user;

/* Given: 30 ms each; fails with UV_EAGAIN the first two times it is called
 * (the check can make it fail every time), then fills *out. UV_ECANCELED if
 * its wait is cancelled. */
int flaky_fetch(int id, user *out);

/* To write: up to 3 calls of flaky_fetch, 20 ms apart; 0 or the last error;
 * UV_ECANCELED at once, with no further call, when an await is cancelled. */
int fetch_with_retry(int id, user *out);

/* Exercise 2 (step 2): run fetches concurrently in a TaskGroup. */
#include "async.h"

typedef struct fetch_call { int id; int done; } fetch_call;

/* Given: a task body that "fetches" call->id in 100 ms and sets call->done. */
int fetch_task(void *arg);

/* To write: run fetch_task for every call at once, in one TaskGroup;
 * return the group's status. */
int fetch_all(fetch_call *calls, int n);

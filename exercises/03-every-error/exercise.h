/* Exercise 3 (step 2): report every error of a TaskGroup, not only the first. */
#include "async.h"

typedef struct fetch_call { int id; } fetch_call;

/* Given: fails (UV_ECONNREFUSED, at 50 ms) for ids divisible by 3. */
int fetch_task(void *arg);

/* To write: run every call in one TaskGroup; put the id of every call that
 * failed into failed_ids (in the order they failed) and return how many. */
int failed_fetches(fetch_call *calls, int n, int *failed_ids);

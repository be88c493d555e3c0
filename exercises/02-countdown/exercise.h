/* Exercise 2 (step 1): an async function of your own, awaiting in a loop. */
#include "async.h"

/* Given: says n (the check records what was said, and when). */
void say(int n);

/* To write: say from, from - 1, ..., 1, waiting `interval` seconds between two
 * numbers; 0 once 1 is said, or at once the status of a wait that failed
 * (UV_ECANCELED), with nothing more said. */
int countdown(int from, double interval);

/* Exercise 5 (step 3): at most k at a time, with a semaphore; failures too. */
#include "async.h"

/* Given: converts one job in 20 ms; 0, or UV_EIO for jobs 3, 10, 17, 24. */
int convert(int job);

/* To write: convert jobs 0 to n - 1, each in its own task of one TaskGroup,
 * never more than k at the same moment; a failed job is counted in *failed
 * and does not stop the others. 0 once every job was tried (or the group's
 * error if it was cancelled). */
int convert_all(int n, int k, int *failed);

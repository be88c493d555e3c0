/* Exercise 6 (step 3): a semaphore of one permit as a lock, around the shared
 * part only. */
#include "async.h"

/* Given: prepares worker i's report in 50 ms (any number at once). */
int prepare(int i);

/* Given: writes worker i's report to the shared log, in parts, 10 ms in all;
 * two at once mix their parts. */
int write_report(int i);

/* To write: n workers at once in one TaskGroup, each prepare(i) then
 * write_report(i); never two writes at the same time. The group's status. */
int save_all(int n);

/* Exercise 5 (step 3): at most k jobs at a time, with a semaphore. */
#include "async.h"

typedef struct job_board {
    int running, most_running, done;
} job_board;

/* Given: one job: takes 20 ms and keeps the board's counts. */
int one_job(job_board *board);

/* To write: run n jobs, each as its own task in one TaskGroup, never more
 * than k of them running one_job at the same time. Return the group's status. */
int limited_map(job_board *board, int n, int k);

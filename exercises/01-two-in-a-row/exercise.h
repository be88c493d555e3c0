/* Exercise 1 (step 1): await two async functions, one after the other. */
#include "async.h"

typedef struct user { int id; char name[32]; } user;

/* Given: fetches one user in 50 ms (like step 1's fetch_user). */
int fetch_user(int id, user *out);

/* To write: fetch user `first`, then user `second`, into out[0] and out[1];
 * return 0, or the first error. */
int fetch_two(int first, int second, user out[2]);

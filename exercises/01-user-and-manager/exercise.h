/* Exercise 1 (step 1): two awaits in a row, the second needing the first. */
#include "async.h"

typedef struct user {
    int id;
    int manager_id;        /* the id of this user's manager */
    char name[32];
} user;

/* Given: fetches user `id` in 50 ms: 0, or UV_ENOENT if there is no such user
 * (users are 1 to 100; user n's manager is n / 2, user 1 is their own). */
int fetch_user(int id, user *out);

/* To write: fetch user `id` into *u, then their manager into *manager;
 * 0, or the first error (then the manager is not fetched). */
int fetch_with_manager(int id, user *u, user *manager);

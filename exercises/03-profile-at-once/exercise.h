/* Exercise 3 (step 2): three different calls at once, in one TaskGroup. */
#include "async.h"

typedef struct user { int id; char name[32]; } user;

typedef struct profile {
    int user_id;     /* whose profile */
    user user;       /* from fetch_user */
    int orders;      /* from fetch_orders */
    int friends;     /* from fetch_friends */
} profile;

/* Given, each from its own service: 0, or an error. The orders service
 * refuses user 13 (UV_ECONNREFUSED, after 0.05 s). */
int fetch_user(int id, user *out);              /* 0.10 s */
int fetch_orders(int user_id, int *count);      /* 0.15 s */
int fetch_friends(int user_id, int *count);     /* 0.12 s */

/* To write: fill *p for user `id` with the three fetches at once, in one
 * TaskGroup; the group's status (a failure cancels the other fetches). */
int load_profile(int id, profile *p);

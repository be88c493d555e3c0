/* users.h: step 2's data and its printing, kept out of the lesson's way. */
#ifndef STEP2_USERS_H
#define STEP2_USERS_H

#include "async.h"

typedef struct user {
    int id;
    char name[32];
} user;

typedef struct fetch_user_call {
    int user_id;
    user result;
} fetch_user_call;

typedef struct fetch_all_call {
    fetch_user_call *calls;
    size_t count;
} fetch_all_call;

void user_make(user *u, int id);

/* The tutorial's `await asyncio.sleep(0.1)  # Simulate async I/O`, with what
 * the demo shows around it: it names the current task "fetch_user(ID)" (for
 * the core's messages) and labels its timeline row "user ID", sleeps 0.1 s and returns 0. The user named by --fail ID
 * gets UV_ECONNREFUSED at 0.05 s instead ("the database refused"). A
 * cancelled sleep prints "fetch_user(ID) cancelled at S s" and returns
 * UV_ECANCELED. */
int simulated_io(const fetch_user_call *call);

/* Parses [ID...] [--fail ID] [--timeline], runs the group, prints the list. */
int step2_cli(int argc, char **argv, async_fn fetch_all_users);

#endif

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

/* Names the task "fetch_user(ID)", for the timeline and the reports. */
void name_after_user(async_task *task, const fetch_user_call *call);

/* 0.1 s, or 0.05 s for the user named by --fail. */
double fetch_delay(const fetch_user_call *call);
int fetch_should_fail(const fetch_user_call *call);

/* Says that this fetch was cancelled (and when); returns rc. */
int fetch_cancelled(const fetch_user_call *call, int rc);

/* Prints each failed child with its user id, as an ExceptionGroup lists them. */
void report_group_errors(const async_taskgroup *tg);

/* Parses [ID...] [--fail ID] [--timeline], runs the group, prints the list. */
int step2_cli(int argc, char **argv, async_fn fetch_all_users);

#endif

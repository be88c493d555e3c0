/* user.h: the tutorial's user dict, and the step's command line. */
#ifndef STEP1_USER_H
#define STEP1_USER_H

#include "async.h"

typedef struct user {
    int id;
    char name[32];
} user;

/* {"id": user_id, "name": f"User {user_id}"} */
void user_make(user *u, int id);

/* print(user), as Python prints a dict: {'id': 1, 'name': 'User 1'} */
void user_print(const user *u);

/* Parses the flags, runs main_task under async_run, prints the time taken. */
int step1_cli(int argc, char **argv, async_fn main_task);

#endif

/* Exercise 11's given code: a fetch that fails twice, counting its calls. */
#include "exercise.h"
#include "given.h"

#include <stdio.h>

int given_calls, given_always_fail;
double given_last_call_at;

int flaky_fetch(int id, user *out)
{
    given_calls++;
    given_last_call_at = async_time();
    int rc = async_sleep(0.03);
    if (rc)
        return rc;
    if (given_calls <= 2 || given_always_fail)
        return UV_EAGAIN;
    out->id = id;
    snprintf(out->name, sizeof out->name, "User %d", id);
    return 0;
}

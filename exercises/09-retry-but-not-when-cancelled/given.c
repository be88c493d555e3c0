#include "exercise.h"

#include <stdio.h>

int flaky_calls;

int flaky_fetch(int id, user *out)
{
    flaky_calls++;
    int rc = async_sleep(0.03);
    if (rc)
        return rc;
    if (flaky_calls <= 2)
        return UV_EAGAIN;
    out->id = id;
    snprintf(out->name, sizeof out->name, "User %d", id);
    return 0;
}

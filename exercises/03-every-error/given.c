#include "exercise.h"

int fetch_task(void *arg)
{
    fetch_call *c = arg;
    int rc = async_sleep(0.05);
    if (rc)
        return rc;
    return c->id % 3 == 0 ? UV_ECONNREFUSED : 0;
}

#include "exercise.h"

int fetch_task(void *arg)
{
    fetch_call *c = arg;
    int rc = async_sleep(0.1);
    if (rc)
        return rc;
    c->done = 1;
    return 0;
}

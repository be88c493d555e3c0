#include "exercise.h"

int slow(void *arg)
{
    return async_sleep(*(double *)arg);
}

/* Exercise 7: write with_timeout. See README.md. */
#include "exercise.h"

int with_timeout(async_fn fn, void *arg, double seconds)
{
    (void)seconds;           /* TODO */
    return fn(arg);
}

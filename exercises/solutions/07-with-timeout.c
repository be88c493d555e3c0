#include "exercise.h"

int with_timeout(async_fn fn, void *arg, double seconds)
{
    async_timeout t;
    async_timeout_enter(&t, seconds);
    return async_timeout_exit(&t, fn(arg));
}

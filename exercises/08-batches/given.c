/* Exercise 8's given code: the numbers generator, counting for the check. */
#include "exercise.h"
#include "given.h"

int given_started, given_finished, given_yielded;

int numbers(async_generator *gen, void *arg)
{
    number_source *src = arg;
    int rc = 0;
    given_started++;
    for (int n = 1; n <= src->count && rc == 0; n++) {
        rc = async_sleep(0.005);
        if (rc == 0 && src->fail_after > 0 && n > src->fail_after)
            rc = UV_EIO;
        if (rc == 0) {
            given_yielded++;
            rc = async_yield(gen, &n);
        }
    }
    given_finished++;           /* ended: ran out, failed, or closed */
    return rc == UV_ECANCELED ? 0 : rc;
}

/* Exercise 5's given code: the converter, counting what runs at once. */
#include "exercise.h"
#include "given.h"

int given_calls, given_running, given_most_running;

int convert(int job)
{
    given_calls++;
    if (++given_running > given_most_running)
        given_most_running = given_running;
    int rc = async_sleep(0.02);
    given_running--;
    if (rc)
        return rc;
    return job % 7 == 3 ? UV_EIO : 0;
}

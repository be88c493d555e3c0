/* Exercise 6's given code: the preparation and the shared log. */
#include "exercise.h"
#include "given.h"

int given_log[LOG_MAX], given_log_len;
int given_preparing, given_most_preparing, given_writers, given_most_writers;

int prepare(int i)
{
    (void)i;
    if (++given_preparing > given_most_preparing)
        given_most_preparing = given_preparing;
    int rc = async_sleep(0.05);
    given_preparing--;
    return rc;
}

int write_report(int i)
{
    int rc = 0;
    if (++given_writers > given_most_writers)
        given_most_writers = given_writers;
    for (int part = 0; part < 3 && rc == 0; part++) {
        if (given_log_len < LOG_MAX)
            given_log[given_log_len++] = i;
        if (part < 2)
            rc = async_sleep(0.005);
    }
    given_writers--;
    return rc;
}

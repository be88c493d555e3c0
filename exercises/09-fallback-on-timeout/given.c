/* Exercise 9's given code: two servers, counting calls for the check. */
#include "exercise.h"
#include "given.h"

double given_primary_delay = 0.02;
int given_primary_error;
int given_primary_calls, given_primary_cancelled, given_backup_calls;

int ask_primary(int key, int *value)
{
    given_primary_calls++;
    int rc = async_sleep(given_primary_delay);
    if (rc == UV_ECANCELED)
        given_primary_cancelled++;
    if (rc)
        return rc;
    if (given_primary_error)
        return given_primary_error;
    *value = key * 10;
    return 0;
}

int ask_backup(int key, int *value)
{
    given_backup_calls++;
    int rc = async_sleep(0.02);
    if (rc)
        return rc;
    *value = key * 10 + 1;
    return 0;
}

#include "exercise.h"

int fetch_two(int first, int second, user out[2])
{
    int rc = fetch_user(first, &out[0]);
    if (rc)
        return rc;
    return fetch_user(second, &out[1]);
}

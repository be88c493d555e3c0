/* Exercise 11: write fetch_with_retry. The task is in README.md. */
#include "exercise.h"

int fetch_with_retry(int id, user *out)
{
    return flaky_fetch(id, out);   /* TODO: retry up to 3 times, but not when cancelled */
}

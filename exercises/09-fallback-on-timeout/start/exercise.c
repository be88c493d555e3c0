/* Exercise 9: write lookup. The task is in README.md. */
#include "exercise.h"

int lookup(int key, double patience, int *value)
{
    (void)patience;             /* TODO: give up on the primary in time */
    return ask_primary(key, value);
}

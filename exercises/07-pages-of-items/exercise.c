/* Exercise 7: write all_items. The task is in README.md. */
#include "exercise.h"

int all_items(async_generator *gen, void *arg)
{
    (void)arg;
    page *p;
    int rc = page_fetch(0, &p);      /* TODO: every page, freed however it ends */
    if (rc)
        return rc;
    for (int i = 0; i < p->count; i++)
        if (async_yield(gen, &p->items[i]))
            break;
    return 0;
}

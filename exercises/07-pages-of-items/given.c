/* Exercise 7's given code: the paged service, counting pages for the check. */
#include "exercise.h"
#include "given.h"

#include <stdlib.h>

int given_fetched, given_freed;
int given_failing_page = -1;

int page_fetch(int number, page **out)
{
    *out = NULL;
    int rc = async_sleep(0.02);
    if (rc)
        return rc;
    if (number == given_failing_page)
        return UV_EIO;
    page *p = calloc(1, sizeof *p);
    if (!p)
        return UV_ENOMEM;
    for (int i = number * PAGE_SIZE; i < 23 && p->count < PAGE_SIZE; i++)
        p->items[p->count++] = i;
    given_fetched++;
    *out = p;
    return 0;
}

void page_free(page *p)
{
    if (p)
        given_freed++;
    free(p);
}

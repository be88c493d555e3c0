/* Wrong: pages are freed when used up and on an early close, but the last,
 * empty page (past the end) is never freed.
 * expect: after reading every item, 5 of the 6 pages fetched were freed
 */
#include "exercise.h"

int all_items(async_generator *gen, void *arg)
{
    (void)arg;
    int n = 0;
    for (;;) {
        page *p;
        int rc = page_fetch(n++, &p);
        if (rc) return rc;
        if (p->count == 0) return 0;
        for (int i = 0; i < p->count; i++)
            if (async_yield(gen, &p->items[i])) { page_free(p); return UV_ECANCELED; }
        page_free(p);
    }
}

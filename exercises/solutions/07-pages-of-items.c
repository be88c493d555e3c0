#include "exercise.h"

int all_items(async_generator *gen, void *arg)
{
    (void)arg;
    for (int n = 0;; n++) {
        page *p;
        int rc = page_fetch(n, &p);          /* only when the last page is used up */
        if (rc)
            return rc;                       /* no page to free: the error is ours */
        if (p->count == 0) {
            page_free(p);
            return 0;                        /* past the end */
        }
        for (int i = 0; i < p->count && rc == 0; i++)
            rc = async_yield(gen, &p->items[i]);
        page_free(p);                        /* used up, or closed early */
        if (rc)
            return rc;
    }
}

/* Wrong: an early close leaves the loops by a return that skips page_free.
 * expect: closed after 3 items, with page 0 in hand: 0 pages freed of 1 fetched
 */
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
            if ((rc = async_yield(gen, &p->items[i])))
                return rc;
        page_free(p);                        /* used up, or closed early */
        if (rc)
            return rc;
    }
}

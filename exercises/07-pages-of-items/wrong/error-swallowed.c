/* Wrong: a failed fetch ends the items as if the list were over: the
 * consumer never learns of the error.
 * expect: with page 2's fetch failing, async_next returned 0 (success) after 10 items
 */
#include "exercise.h"

int all_items(async_generator *gen, void *arg)
{
    (void)arg;
    for (int n = 0;; n++) {
        page *p;
        int rc = page_fetch(n, &p);          /* only when the last page is used up */
        if (rc)
            return 0;
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

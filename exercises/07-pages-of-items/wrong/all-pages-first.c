/* Wrong: every page is fetched before the first item is yielded: the memory
 * grows with the list, and the consumer waits for all of it.
 * expect: after taking 3 items, 6 pages were fetched: expected only the first
 */
#include "exercise.h"

int all_items(async_generator *gen, void *arg)
{
    (void)arg;
    page *pages[64];
    int n = 0, rc = 0;
    while (n < 64 && (rc = page_fetch(n, &pages[n])) == 0 && pages[n]->count > 0)
        n++;
    if (rc == 0 && n < 64)
        page_free(pages[n]);
    for (int k = 0; k < n && rc == 0; k++)
        for (int i = 0; i < pages[k]->count && rc == 0; i++)
            rc = async_yield(gen, &pages[k]->items[i]);
    for (int k = 0; k < n; k++)
        page_free(pages[k]);
    return rc;
}

/* Exercise 7's check: items in order, pages fetched lazily and all freed,
 * early close and errors. */
#include "check.h"
#include "exercise.h"
#include "given.h"

static int read_all(void *arg)
{
    (void)arg;
    async_generator *g = async_generator_create(all_items, NULL);
    void *item;
    int n = 0, rc;
    while ((rc = async_next(g, &item)) == 1) {
        EXPECT(*(int *)item == n, "item %d came as %d: expected the items 0 to 22 in order",
               n, *(int *)item);
        n++;
    }
    EXPECT(rc == 0, "after %d items, async_next returned %s: expected 0, the end, after 23",
           n, status_name(rc));
    async_generator_close(g);
    EXPECT(n == 23, "%d items came: expected 23 (0 to 22)", n);
    EXPECT(given_freed == given_fetched, "after reading every item, %d of the %d pages "
           "fetched were freed: expected every page freed", given_freed, given_fetched);
    return 0;
}

static int take_three(void *arg)
{
    (void)arg;
    async_generator *g = async_generator_create(all_items, NULL);
    void *item;
    for (int i = 0; i < 3; i++)
        EXPECT(async_next(g, &item) == 1, "the second read stopped early");
    EXPECT(given_fetched == 1, "after taking 3 items, %d pages were fetched: expected only "
           "the first (a page is fetched when it is needed)", given_fetched);
    async_generator_close(g);
    EXPECT(given_freed == 1, "closed after 3 items, with page 0 in hand: %d pages freed of "
           "%d fetched: expected the producer to free its page when closed",
           given_freed, given_fetched);
    return 0;
}

static int failing(void *arg)
{
    (void)arg;
    async_generator *g = async_generator_create(all_items, NULL);
    void *item;
    int n = 0, rc;
    while ((rc = async_next(g, &item)) == 1)
        n++;
    EXPECT(rc == UV_EIO, "with page 2's fetch failing, async_next returned %s after %d "
           "items: expected %s after 10 items", status_name(rc), n, status_name(UV_EIO));
    async_generator_close(g);
    EXPECT(given_freed == given_fetched, "with page 2's fetch failing, %d of the %d pages "
           "fetched were freed: expected every page freed", given_freed, given_fetched);
    return 0;
}

static void check(void)
{
    check_run(read_all, NULL);
    given_fetched = given_freed = 0;
    check_run(take_three, NULL);
    given_fetched = given_freed = 0;
    given_failing_page = 2;
    check_run(failing, NULL);
}

/* Exercise 7 (step 4): an async generator over pages, fetched when needed. */
#include "async.h"

#define PAGE_SIZE 5

typedef struct page {
    int count;                 /* items on this page; 0: past the end */
    int items[PAGE_SIZE];
} page;

/* Given: fetches page `number` (0, 1, ...) in 20 ms into a new page (*out);
 * 0, or an error (then there is no page). Items are 0 to 22. */
int page_fetch(int number, page **out);

/* Given: gives a fetched page back. */
void page_free(page *p);

/* To write: the producer. Yields a pointer to each item, in order, fetching a
 * page only when the one before is used up; frees every page it fetched,
 * however it ends; a fetch's error is its own. arg is unused. */
int all_items(async_generator *gen, void *arg);

/* Wrong: the last, shorter batch is dropped.
 * expect: 10 numbers in batches of 4 came as [1 2 3 4] [5 6 7 8]: expected
 */
#include "exercise.h"

int batches(async_generator *gen, void *arg)
{
    batch_source *src = arg;
    batch *b = &src->batch;
    async_generator *nums = async_generator_create(numbers, src->numbers);
    if (!nums)
        return UV_ENOMEM;
    void *item;
    int rc;
    b->count = 0;
    while ((rc = async_next(nums, &item)) == 1) {     /* async for n in nums: */
        b->items[b->count++] = *(int *)item;
        if (b->count == src->size) {
            rc = async_yield(gen, b);                 /* yield batch */
            b->count = 0;
            if (rc)
                break;                                /* our consumer closed us */
        }
    }
    if (0)
        rc = async_yield(gen, b);                     /* the last, shorter one */
    async_generator_close(nums);                      /* aclosing(): every path */
    return rc < 0 ? rc : 0;
}

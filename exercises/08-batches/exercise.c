/* Exercise 8: write batches. The task is in README.md. */
#include "exercise.h"

int batches(async_generator *gen, void *arg)
{
    batch_source *src = arg;
    async_generator *nums = async_generator_create(numbers, src->numbers);
    void *item;
    src->batch.count = 0;
    while (async_next(nums, &item) == 1)     /* TODO: batches of size, closed nums */
        src->batch.items[src->batch.count++ % BATCH_MAX] = *(int *)item;
    int rc = async_yield(gen, &src->batch);
    async_generator_close(nums);
    return rc;
}

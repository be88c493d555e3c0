/* Wrong: the numbers generator is closed at the end and on an early close,
 * but not when the numbers fail: it is left for the core to report.
 * expect: a generator you created was never closed
 */
#include "exercise.h"

int batches(async_generator *gen, void *arg)
{
    batch_source *s = arg;
    async_generator *g = async_generator_create(numbers, s->numbers);
    void *it; int rc;
    s->batch.count = 0;
    while ((rc = async_next(g, &it)) == 1) {
        s->batch.items[s->batch.count++] = *(int *)it;
        if (s->batch.count == s->size) {
            if (async_yield(gen, &s->batch)) { async_generator_close(g); return 0; }
            s->batch.count = 0;
        }
    }
    if (rc < 0) return rc;
    if (s->batch.count) async_yield(gen, &s->batch);
    async_generator_close(g);
    return 0;
}

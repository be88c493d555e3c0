/* handle.c: the async_task* a program holds is a handle, checked at each use.
 *
 * async_await releases a task, and a task group frees each child as it ends;
 * the record's stack slot is pooled and the next task created takes it, at the
 * same address. A second async_await(t), or an async_cancel(t) after it, would
 * then act on that other task. So a handle carries a 16-bit stamp of its
 * task's id in the pointer's top bits, which no user-space address uses on
 * 64-bit Linux, macOS or the BSDs; each use compares it with the record's.
 * A released record also says so until its slot is reused, so the mistake
 * can name the task. (A stale handle could match again only if the slot's
 * 65,536th next task took it, at the same address.) The core's own pointers
 * carry no stamp and pass unchecked. On a 32-bit machine handles are plain
 * pointers and only the released flag is checked. The checks themselves,
 * on every await of a handle and every generator call, are inline in handle.h.
 */
#include "task.h"
#include "handle.h"

uint64_t async__first_id = 1, async__last_id;   /* kept by core.c */

#if UINTPTR_MAX > 0xFFFFFFFFu
int async__stamps_off;  /* an address used the top bits: stamps are off */

static uintptr_t stamp_of(const async_task *t)
{
    return (uintptr_t)t->stamp << ASYNC_STAMP_SHIFT;   /* kept in the record: no division */
}

async_task *async__handle(async_task *t)
{
    if (!t || async__stamps_off)
        return t;
    if ((uintptr_t)t & ~ASYNC_ADDRESS_MASK) {
        async__stamps_off = 1;
        return t;
    }
    return (async_task *)((uintptr_t)t | stamp_of(t));
}

void *async__stamped(void *p, const async_task *owner)
{
    if (!p || async__stamps_off || ((uintptr_t)p & ~ASYNC_ADDRESS_MASK))
        return p;
    return (void *)((uintptr_t)p | stamp_of(owner));
}

#else
void *async__stamped(void *p, const async_task *owner)
{
    (void)owner;
    return p;
}


async_task *async__handle(async_task *t)
{
    return t;
}


#endif

/* async_await on a handle whose task was released: named, then abort().
 * NULL: a handle from an earlier async_run (its record is not read). */
void async__stale_await(const async_task *old)
{
    if (!old)
        async__misuse(NULL, 0, "async_await was given a task created in an earlier "
                      "async_run: each run frees its tasks when it returns (as asyncio.run "
                      "closes its loop); await it in the run that created it");
    if (old->released && old->owned && !old->is_generator)
        async__misuse(NULL, 0, "awaited task '%s' (created at %s:%d), which belonged to a "
                      "task group: the group awaited it and released it when it ended, so "
                      "its result is gone; have the task store its result through its arg",
                      old->name, old->file ? old->file : "?", old->line);
    if (old->released && old->file)
        async__misuse(NULL, 0, "awaited task '%s' (created at %s:%d) a second time: "
                      "async_await releases the task; keep its result instead",
                      old->name, old->file, old->line);
    if (old->released)
        async__misuse(NULL, 0, "awaited task '%s' a second time: async_await releases "
                      "the task; keep its result instead", old->name);
    async__misuse(NULL, 0, "async_await was given a task that was already released (awaited "
                  "before, or ended in its task group) and whose record another task now "
                  "holds: async_await releases the task; keep its result instead");
}

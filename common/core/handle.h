/* handle.h: the checks of handle.c, inline, since every generator step and
 * every await of a task pays for them. Private to the core's own files. */
#ifndef ASYNC_HANDLE_H
#define ASYNC_HANDLE_H

#include "task.h"

#include <stdint.h>

/* The ids of this async_run's first task and of its newest (core.c). */
extern uint64_t async__first_id, async__last_id;

#if UINTPTR_MAX > 0xFFFFFFFFu
#define ASYNC_STAMP_SHIFT 48
#define ASYNC_ADDRESS_MASK (((uintptr_t)1 << ASYNC_STAMP_SHIFT) - 1)
extern int async__stamps_off;
/* A handle whose stamp lies outside this run's ids is from an earlier run,
 * whose stacks are gone (unmapped, or another run's): it is judged without
 * reading its record. Off once a run has made 65,536 tasks. */
static inline int async__from_earlier_run(uintptr_t v)
{
    uint16_t since_first = (uint16_t)((v >> ASYNC_STAMP_SHIFT) - (uint16_t)async__first_id);
    return since_first > async__last_id - async__first_id + 1;   /* + 1: a stamp is never 0 */
}
static inline async_task *async__record_of(const async_task *h, const async_task **stale)
{
    uintptr_t v = (uintptr_t)h;
    *stale = NULL;
    if (!(v & ~ASYNC_ADDRESS_MASK) || async__stamps_off)
        return (async_task *)h;           /* the core's own pointer */
    if (async__from_earlier_run(v))
        return NULL;                      /* and *stale NULL: async__stale_await says so */
    async_task *t = (async_task *)(v & ASYNC_ADDRESS_MASK);
    if (t->released || ((uintptr_t)t->stamp << ASYNC_STAMP_SHIFT) != (v & ~ASYNC_ADDRESS_MASK)) {
        *stale = t;
        return NULL;
    }
    return t;
}
static inline void *async__unstamped(const void *h, size_t back, int *stale)
{
    uintptr_t v = (uintptr_t)h;
    *stale = 0;
    if (!(v & ~ASYNC_ADDRESS_MASK) || async__stamps_off)
        return (void *)h;
    char *p = (char *)(v & ASYNC_ADDRESS_MASK);
    const async_task *owner = (const async_task *)(void *)(p - back);
    *stale = owner->released ||
             ((uintptr_t)owner->stamp << ASYNC_STAMP_SHIFT) != (v & ~ASYNC_ADDRESS_MASK);
    return p;
}
#else
static inline async_task *async__record_of(const async_task *h, const async_task **stale)
{
    *stale = h && h->released ? h : NULL;
    return *stale ? NULL : (async_task *)h;
}
static inline void *async__unstamped(const void *h, size_t back, int *stale)
{
    *stale = h && ((const async_task *)(const void *)((const char *)h - back))->released;
    return (void *)h;
}
#endif

#endif

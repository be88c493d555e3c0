/* handle.h: the checks of handle.c, inline, since every generator step and
 * every await of a task pays for them. Private to the core's own files. */
#ifndef ASYNC_HANDLE_H
#define ASYNC_HANDLE_H

#include "task.h"

#include <stdint.h>

#if UINTPTR_MAX > 0xFFFFFFFFu
#define ASYNC_STAMP_SHIFT 48
#define ASYNC_ADDRESS_MASK (((uintptr_t)1 << ASYNC_STAMP_SHIFT) - 1)
extern int async__stamps_off;
static inline async_task *async__record_of(const async_task *h, const async_task **stale)
{
    uintptr_t v = (uintptr_t)h;
    *stale = NULL;
    if (!(v & ~ASYNC_ADDRESS_MASK) || async__stamps_off)
        return (async_task *)h;           /* the core's own pointer */
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

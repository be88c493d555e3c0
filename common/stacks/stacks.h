/* stacks.h: the parts of the stack pool (slab.c) that live in their own
 * files: guard pages (guard.c) and the helper thread (prefault.c), which
 * prepares stacks on another core.
 * Private to common/stacks/. */
#ifndef ASYNC_STACKS_H
#define ASYNC_STACKS_H

#include "platform.h"
#include "stack.h"

#include <stdatomic.h>
#include <stddef.h>

enum { ASYNC_SLAB_STACKS_MAX = 256 };   /* stacks in one slab, at most */

/* guard.c: one stack's guard page (0, or -1 when the kernel refused); all
 * of a fresh slab's first n guards in one call: how many it guarded (maybe
 * 0: then each stack gets its own through async__guard_page). */
int async__guard_page(char *lo, size_t page);
size_t async__guard_slab(char *base, size_t n, size_t stride, size_t page);
/* 1 while guards cost no kernel mapping (Linux 6.13's guard advice works). */
int async__guards_are_free(size_t page);

/* slab.c: a slab's address space (one mapping); NULL when out of memory. */
char *async__slab_map(size_t bytes);

/* prefault.c: a slab whose stacks' top pages a helper thread may populate
 * from the far end while the loop carves from the near end. */
typedef struct async_prefault_job {
    char *base;
    size_t stacks, stride, page;
    atomic_size_t carved;          /* written by the loop only */
} async_prefault_job;
/* spare: the helper also maps and guards every stack of the next slab. */
void async__prefault_post(async_prefault_job *job, size_t slabs_made, int spare);
/* The helper's next slab (job's shape, every stack guarded), or NULL if it
 * has none ready. */
char *async__spare_slab_take(void);
void async__prefault_stop(void);   /* joins the helper: before any munmap;
                                      unmaps a spare slab not taken */

#endif

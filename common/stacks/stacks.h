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

/* guard.c: one stack's guard page (0, or -1 when the kernel refused); the
 * guards of stacks [from, to) of a slab in one call through pidfd (-1: the
 * call opens its own), 0 when all were made; all of a fresh slab's first n
 * guards: how many it guarded (maybe 0: then each stack gets its own
 * through async__guard_page). */
int async__guard_page(char *lo, size_t page);
int async__guard_stacks(int pidfd, char *base, size_t from, size_t to, size_t stride,
                        size_t page);
size_t async__guard_slab(char *base, size_t n, size_t stride, size_t page);
/* 1 while guards cost no kernel mapping (Linux 6.13's guard advice works). */
int async__guards_are_free(size_t page);

/* slab.c: an ASYNC_* knob set to what it cannot be: one line, exit status 2. */
void async__env_refused(const char *name, const char *value, const char *what);

/* prefault.c: a slab whose stacks a helper thread may prepare from the far
 * end while the loop carves from the near end: it populates their top pages
 * and, when guard_all, puts in their guards. */
typedef struct async_prefault_job {
    char *base;
    size_t stacks, stride, page;
    int guard_all;                 /* every stack is to have a guard page */
    atomic_size_t carved;          /* written by the loop only */
    atomic_size_t guarded_from;    /* written by the helper only: stacks from
                                      there on have their guard */
} async_prefault_job;
/* 1 if the helper took the job (then it guards from the far end, and the
 * loop the stacks it reaches first), 0 if the loop must do it all. */
int async__prefault_post(async_prefault_job *job, size_t slabs_made);
void async__prefault_stop(void);   /* joins the helper: before any munmap */
void async__prefault_check_env(void);   /* ASYNC_PREFAULT: 0, 1 or unset */

#endif

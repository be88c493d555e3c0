/* stack.h: where a task's stack comes from. All the core asks of it.
 *
 * The simplest implementation would be one mmap per stack with a PROT_NONE
 * page at its bottom. The real one (common/stacks/, which a first reading can
 * skip) carves stacks from big slabs and pools them, because 100,000 tasks
 * would need 200,000 kernel mappings the simple way, and Linux allows 65,530.
 */
#ifndef ASYNC_STACK_H
#define ASYNC_STACK_H

#include <stddef.h>

/* Every stack's size in bytes (ASYNC_STACK_SIZE, rounded to whole pages). */
size_t async__stack_size(void);

/* A stack's lowest address, or NULL when out of memory. *guard: how many
 * bytes at the bottom are a guard (PROT_NONE), or 0 for an unguarded one. */
void *async__stack_alloc(size_t *guard);

/* Back to the pool (the memory stays mapped for the next task). */
void async__stack_free(void *lo, size_t guard);

/* At the end of async_run: every stack unmapped. */
void async__stack_pool_destroy(void);

#endif

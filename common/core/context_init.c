/* context_init.c: how a fresh task's stack is made to look like a context
 * that called async__context_switch, so that the first switch into it
 * "returns" into entry(). */
#include "context.h"

#include <stdint.h>
#include <string.h>

#ifdef ASYNC_CONTEXT_UCONTEXT

void async__context_init(async_context *c, void *lo, size_t size, void (*entry)(void))
{
    memset(c, 0, sizeof *c);
    getcontext(&c->uc);
    c->uc.uc_stack.ss_sp = lo;
    c->uc.uc_stack.ss_size = size;
    c->uc.uc_link = NULL;              /* entry() never returns */
    makecontext(&c->uc, entry, 0);
}

void async__context_switch(async_context *from, async_context *to)
{
    swapcontext(&from->uc, &to->uc);
}

#elif defined(__x86_64__)

/* From the top: a zero fake return address (entry never returns), entry's
 * address for the switch's `ret`, then the six registers it pops. After the
 * ret, rsp is 8 below a 16-byte boundary, as at any function's entry. */
void async__context_init(async_context *c, void *lo, size_t size, void (*entry)(void))
{
    uintptr_t top = ((uintptr_t)lo + size) & ~(uintptr_t)15;
    void **sp = (void **)top;
    *--sp = NULL;                      /* fake return address of entry */
    *--sp = (void *)(uintptr_t)entry;  /* where the switch's ret goes */
    for (int i = 0; i < 6; i++)
        *--sp = NULL;                  /* rbp rbx r12 r13 r14 r15 */
    c->sp = sp;
}

#elif defined(__aarch64__)

/* A 160-byte frame as the switch saves it, with x30 (offset 88) = entry and
 * x29 = 0 so that backtraces end there; sp lands 16-aligned at the top. */
void async__context_init(async_context *c, void *lo, size_t size, void (*entry)(void))
{
    uintptr_t top = ((uintptr_t)lo + size) & ~(uintptr_t)15;
    void **frame = (void **)(top - 160);
    memset(frame, 0, 160);
    frame[11] = (void *)(uintptr_t)entry;   /* x30 */
    c->sp = frame;
}

#endif

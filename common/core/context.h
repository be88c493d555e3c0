/* context.h: the context switch, the one piece of the core that is not C.
 * A context is a saved stack pointer (the callee-saved registers sit on the
 * stack it points to); switching saves ours and loads theirs. The portable
 * fallback (make CONTEXT=ucontext) keeps a whole ucontext_t instead. */
#ifndef ASYNC_CONTEXT_H
#define ASYNC_CONTEXT_H

#include <stddef.h>

#if !defined(ASYNC_CONTEXT_UCONTEXT) && !defined(__x86_64__) && !defined(__aarch64__)
#define ASYNC_CONTEXT_UCONTEXT 1   /* no hand-written switch for this CPU */
#endif

#ifdef ASYNC_CONTEXT_UCONTEXT
#include <ucontext.h>
/* musl (Alpine) declares ucontext_t but has no getcontext/swapcontext: say so
 * here rather than at link time. x86-64 and AArch64 need neither. */
#if defined(__linux__) && !defined(__GLIBC__) && !defined(ASYNC_HAVE_LIBUCONTEXT)
#error "this C library (musl?) has no swapcontext: build on x86-64 or AArch64 (the hand-written switch, no CONTEXT=ucontext), or install libucontext and add -DASYNC_HAVE_LIBUCONTEXT -lucontext"
#endif
typedef struct async_context {
    ucontext_t uc;
} async_context;
#else
typedef struct async_context {
    void *sp;                  /* must stay the first field: the assembly uses it */
} async_context;
#endif

/* Prepares c to start entry() on the stack [lo, lo + size) at the next switch. */
void async__context_init(async_context *c, void *lo, size_t size, void (*entry)(void));

/* Saves the running context into from and resumes to. */
void async__context_switch(async_context *from, async_context *to);

#endif

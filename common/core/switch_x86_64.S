/* switch_x86_64.S: the context switch for x86-64 (System V ABI).
 *
 *   void async__context_switch(async_context *from, async_context *to)
 *
 * Only the callee-saved registers need saving: the caller of this function
 * already assumes every other register is clobbered. So: push six registers on
 * the current stack, store the stack pointer in from->sp, load to->sp, pop the
 * other context's six registers and return into it. A fresh context is a stack
 * prepared to look as if it had called this function (see context_init.c). */
#if defined(__x86_64__) && !defined(ASYNC_CONTEXT_UCONTEXT)
/* Mach-O (macOS) prefixes C symbols with '_' and has no .type/.size. */
#ifdef __APPLE__
#define FN(name) _##name
#define FN_BEGIN(name) .globl FN(name); .p2align 4; FN(name):
#define FN_END(name)
#else
#define FN(name) name
#define FN_BEGIN(name) .globl name; .type name, @function; .p2align 4; name:
#define FN_END(name) .size name, .-name
#endif
    .text
FN_BEGIN(async__context_switch)
    pushq   %rbp
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    movq    %rsp, (%rdi)        /* from->sp = rsp */
    movq    (%rsi), %rsp        /* rsp = to->sp */
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret                         /* into the other context */
FN_END(async__context_switch)
#endif
#if defined(__linux__) && defined(__ELF__)
    .section .note.GNU-stack,"",@progbits
#endif

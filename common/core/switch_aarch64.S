/* switch_aarch64.S: the context switch for AArch64 (AAPCS64).
 *
 *   void async__context_switch(async_context *from, async_context *to)
 *
 * Callee-saved: x19-x28, the frame pointer x29, the link register x30 (our
 * return address) and the low halves of v8-v15 (d8-d15). They go in a 160-byte
 * frame on the current stack; sp goes to from->sp; the other side's frame is
 * loaded from to->sp and `ret` jumps to its x30. */
#if defined(__aarch64__) && !defined(ASYNC_CONTEXT_UCONTEXT)
/* Mach-O (macOS) prefixes C symbols with '_' and has no .type/.size. */
#ifdef __APPLE__
#define FN(name) _##name
#define FN_BEGIN(name) .globl FN(name); .p2align 4; FN(name):
#define FN_END(name)
#else
#define FN(name) name
#define FN_BEGIN(name) .globl name; .type name, %function; .p2align 4; name:
#define FN_END(name) .size name, .-name
#endif
    .text
FN_BEGIN(async__context_switch)
    sub     sp, sp, #160
    stp     x19, x20, [sp, #0]
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]
    stp     d8,  d9,  [sp, #96]
    stp     d10, d11, [sp, #112]
    stp     d12, d13, [sp, #128]
    stp     d14, d15, [sp, #144]
    mov     x9, sp
    str     x9, [x0]            /* from->sp = sp */
    ldr     x9, [x1]
    mov     sp, x9              /* sp = to->sp */
    ldp     x19, x20, [sp, #0]
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    ldp     d8,  d9,  [sp, #96]
    ldp     d10, d11, [sp, #112]
    ldp     d12, d13, [sp, #128]
    ldp     d14, d15, [sp, #144]
    add     sp, sp, #160
    ret                         /* to x30: the other context */
FN_END(async__context_switch)
#endif
#if defined(__linux__) && defined(__ELF__)
    .section .note.GNU-stack,"",%progbits
#endif

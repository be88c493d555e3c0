/* stack_overflow.c: turns a task's stack overflow into a message that names
 * the task, instead of a bare "Segmentation fault".
 *
 * A guarded stack has a PROT_NONE page at its bottom; running into it raises
 * SIGSEGV (SIGBUS on macOS). The handler runs on an alternate signal stack (the task's own is
 * exhausted), checks whether the faulting address is in the current task's
 * guard zone (or its stack pointer past the stack's end), prints one line,
 * and lets the default action end the process. Any other fault inside a
 * task is named too, as a bad pointer, with where the task was created.
 * AddressSanitizer has its own SIGSEGV handler, so this one stays out of its
 * way there.
 */
#include "task.h"

#include <signal.h>
#if defined(__linux__)
#include <ucontext.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform.h"

/* A guard-page hit is SIGSEGV on Linux and the BSDs, SIGBUS on macOS. */
static const int overflow_signals[] = { SIGSEGV, SIGBUS };
enum { OVERFLOW_SIGNALS = sizeof overflow_signals / sizeof overflow_signals[0] };

static char *alt_stack;
static stack_t previous_alt_stack;   /* AddressSanitizer has one of its own */
static struct sigaction previous[OVERFLOW_SIGNALS];
static size_t page_size;             /* read before any fault: sysconf is not signal-safe */

/* Only async-signal-safe calls here: write(2), no stdio. */
static void say(const char *s)
{
    if (write(2, s, strlen(s)) < 0) { /* nothing more we can do */ }
}

/* The faulting thread's stack pointer, where the platform says how. */
static const char *stack_pointer(const void *uctx)
{
#if defined(__linux__) && defined(__x86_64__) && defined(REG_RSP)
    return (const char *)((const ucontext_t *)uctx)->uc_mcontext.gregs[REG_RSP];
#elif defined(__linux__) && defined(__aarch64__)
    return (const char *)((const ucontext_t *)uctx)->uc_mcontext.sp;
#else
    (void)uctx;
    return NULL;
#endif
}

/* An overflow: the fault is in the task's guard zone (a frame built with
 * -fstack-clash-protection touches its pages in order, so a big local array
 * faults there first), or the stack pointer itself is past the stack's
 * usable end (a big frame that jumped the guard and hit another). */
static int overflowed(const async_task *t, const char *addr, const char *sp)
{
    const char *lo = t->stack_lo, *end = lo + t->stack_guard;
    if (t->stack_guard && addr >= lo - page_size && addr < end + page_size)
        return 1;
    return sp && sp < end && (sp >= lo || (uintptr_t)(lo - sp) < 64 * (uintptr_t)async__stack_size());
}

static void say_int(int n)
{
    char digits[16], *p = digits + sizeof digits;
    *--p = '\0';
    unsigned u = n < 0 ? 0u : (unsigned)n;
    do *--p = (char)('0' + u % 10); while ((u /= 10) && p > digits);
    say(p);
}

/* Any other fault inside a task: not a bare "Segmentation fault" either. In
 * a workbook it is most often a pointer into memory that is gone: a struct
 * (a semaphore, a group) on the stack of a function or task that returned,
 * or a handle of the wrong kind. */
static void say_bad_pointer(const async_task *t)
{
    say("async: task '");
    say(t->name);
    if (t->file) {
        say("' (created at ");
        say(t->file);
        say(":");
        say_int(t->line);
        say(")");
    } else {
        say("'");
    }
    say(" crashed on a bad pointer (segmentation fault, not a stack overflow): NULL or "
        "never set, or to memory that is gone (a struct on the stack of a function or "
        "task that has returned, or freed)\n");
}

static void on_segv(int sig, siginfo_t *info, void *uctx)
{
    async_task *t = async__loop_thread ? async__current() : NULL;
    char *addr = info->si_addr;
    if (t && overflowed(t, addr, stack_pointer(uctx))) {
        say("async: task '");
        say(t->name);
        say("' overflowed its stack (a recursion too deep, or a big local array);"
            " raise ASYNC_STACK_SIZE (bytes) or use less stack\n");
    } else if (t) {
        say_bad_pointer(t);
    }
    for (int i = 0; i < OVERFLOW_SIGNALS; i++)
        if (overflow_signals[i] == sig)
            sigaction(sig, &previous[i], NULL);   /* the default action ends us on return */
}

void async__overflow_handler_install(void)
{
    if (alt_stack)
        return;
    page_size = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = 64 * 1024;
    alt_stack = malloc(size);
    if (!alt_stack)
        return;
    stack_t ss = { .ss_sp = alt_stack, .ss_size = size, .ss_flags = 0 };
    if (sigaltstack(&ss, &previous_alt_stack) != 0) {
        free(alt_stack);
        alt_stack = NULL;
        return;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < OVERFLOW_SIGNALS; i++)
        sigaction(overflow_signals[i], &sa, &previous[i]);
}

void async__overflow_handler_remove(void)
{
    if (!alt_stack)
        return;
    for (int i = 0; i < OVERFLOW_SIGNALS; i++)
        sigaction(overflow_signals[i], &previous[i], NULL);
    previous_alt_stack.ss_flags &= ~SS_ONSTACK;   /* a state, not a flag sigaltstack takes */
    sigaltstack(&previous_alt_stack, NULL);
    free(alt_stack);
    alt_stack = NULL;
}

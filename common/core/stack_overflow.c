/* stack_overflow.c: turns a task's stack overflow into a message that names
 * the task, instead of a bare "Segmentation fault".
 *
 * A guarded stack has a PROT_NONE page at its bottom; running into it raises
 * SIGSEGV (SIGBUS on macOS). The handler runs on an alternate signal stack (the task's own is
 * exhausted), checks whether the faulting address is in the current task's
 * guard zone, prints one line, and lets the default action end the process.
 * AddressSanitizer has its own SIGSEGV handler, so this one stays out of its
 * way there.
 */
#include "task.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform.h"

#ifndef ASYNC_ASAN

/* A guard-page hit is SIGSEGV on Linux and the BSDs, SIGBUS on macOS. */
static const int overflow_signals[] = { SIGSEGV, SIGBUS };
enum { OVERFLOW_SIGNALS = sizeof overflow_signals / sizeof overflow_signals[0] };

static char *alt_stack;
static struct sigaction previous[OVERFLOW_SIGNALS];
static size_t page_size;             /* read before any fault: sysconf is not signal-safe */

/* Only async-signal-safe calls here: write(2), no stdio. */
static void say(const char *s)
{
    if (write(2, s, strlen(s)) < 0) { /* nothing more we can do */ }
}

static void on_segv(int sig, siginfo_t *info, void *uctx)
{
    (void)uctx;
    async_task *t = async__current();
    char *addr = info->si_addr;
    if (t && t->stack_guard && addr >= (char *)t->stack_lo - page_size &&
        addr < (char *)t->stack_lo + t->stack_guard + page_size) {
        say("async: task '");
        say(t->name);
        say("' overflowed its stack (a recursion too deep, or a big local array);"
            " raise ASYNC_STACK_SIZE (bytes) or use less stack\n");
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
    if (sigaltstack(&ss, NULL) != 0)
        return;
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
    stack_t ss = { .ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE };
    sigaltstack(&ss, NULL);
    free(alt_stack);
    alt_stack = NULL;
}

#else

void async__overflow_handler_install(void) {}
void async__overflow_handler_remove(void) {}

#endif

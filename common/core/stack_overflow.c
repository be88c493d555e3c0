/* stack_overflow.c: turns a task's stack overflow into a message that names
 * the task, instead of a bare "Segmentation fault".
 *
 * A guarded stack has a PROT_NONE page at its bottom; running into it raises
 * SIGSEGV. The handler runs on an alternate signal stack (the task's own is
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

static char *alt_stack;
static struct sigaction previous;

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
    if (t && t->stack_guard && addr >= (char *)t->stack_lo - 4096 &&
        addr < (char *)t->stack_lo + t->stack_guard + 4096) {
        say("async: task '");
        say(t->name);
        say("' overflowed its stack (a recursion too deep, or a big local array);"
            " raise ASYNC_STACK_SIZE (bytes) or use less stack\n");
    }
    sigaction(sig, &previous, NULL);   /* the default action ends us on return */
}

void async__overflow_handler_install(void)
{
    if (alt_stack)
        return;
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
    sigaction(SIGSEGV, &sa, &previous);
}

void async__overflow_handler_remove(void)
{
    if (!alt_stack)
        return;
    sigaction(SIGSEGV, &previous, NULL);
    stack_t ss = { .ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE };
    sigaltstack(&ss, NULL);
    free(alt_stack);
    alt_stack = NULL;
}

#else

void async__overflow_handler_install(void) {}
void async__overflow_handler_remove(void) {}

#endif

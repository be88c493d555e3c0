/* misuse.c: the core's one way of stopping a program that used it wrongly.
 *
 * A programmer error (a scope exited out of order, a negative semaphore
 * count written in the code, ...) is not something the program could handle:
 * returning an error code would let it run on, wrongly. So, as libuv asserts
 * on misuse, the core prints one line that names the task, the mistake and
 * the place, and aborts. Failures a program must expect (out of memory, a
 * cancellation, a timeout, I/O) are UV_E* returns instead.
 */
#include "task.h"

#include <stdarg.h>
#include <stdlib.h>

void async__misuse(const char *file, int line, const char *fmt, ...)
{
    async_task *t = async__current();
    fflush(stdout);                     /* the program's own lines first */
    if (t)
        fprintf(stderr, "async: task '%s': ", t->name);
    else
        fputs("async: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (file)
        fprintf(stderr, " (at %s:%d)", file, line);
    fputc('\n', stderr);
    abort();
}

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
#include "misuse.h"

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

/* An await on the loop's thread but in no task (a libuv callback of the
 * program's): there is no task to suspend, and a UV_EINVAL would be skipped.
 * Before async_run (no loop) it stays UV_EINVAL: a program may hand it on. */
int async__outside_task(const char *call)
{
    if (async_loop())
        async__misuse(NULL, 0, "%s called outside any task (from a libuv callback?): "
                      "only a task can await; create a task to do it", call);
    return UV_EINVAL;
}

/* Python: RuntimeError; a refused inner run would skip its function. */
void async__misuse_run_inside_run(void)
{
    async__misuse(NULL, 0, "async_run was called inside async_run: asyncio.run() cannot "
                  "be called from a running event loop; await the function or create a "
                  "task for it instead");
}

/* One group struct entered by a second task (a global group) while the
 * first one's children ran: the second init zeroed the count, so those
 * children's ends take it below zero, and the first task would wait for
 * ever. Named from the ending child. */
void async__misuse_group_reset(const async_taskgroup *tg)
{
    async__misuse(NULL, 0, "its task group was entered again, by task '%s' at %s:%d, while "
                  "it ran in it: a group belongs to the one task that enters it (give each "
                  "task its own)", tg->parent->name, tg->body.file ? tg->body.file : "?",
                  tg->body.line);
}

/* Python: RuntimeError; a NULL would be a child that never ran, unsaid. */
void async__misuse_group_not_open(int never_entered, const char *file, int line)
{
    if (never_entered)
        async__misuse(file, line, "async_taskgroup_create_task on a task group never "
                      "entered: call async_taskgroup_init first (Python: TaskGroup has not "
                      "been entered)");
    async__misuse(file, line, "async_taskgroup_create_task on a task group that has ended "
                  "(its async_taskgroup_wait returned; Python: TaskGroup is finished)");
}

/* asyncio.run would wait for ever on a task that swallows its cancellation;
 * here its awaits return at once, so it would spin for ever instead. */
void async__misuse_spins_at_exit(const async_task *t)
{
    async__misuse(NULL, 0, "was still running when main returned (created at %s:%d) and goes "
                  "on after its cancellation: %u of its awaits returned UV_ECANCELED and it "
                  "did not return, so the run cannot end (asyncio.run would wait for ever): "
                  "return when an await fails", t->file ? t->file : "?", t->line,
                  ASYNC_CANCELS_AT_EXIT);
}

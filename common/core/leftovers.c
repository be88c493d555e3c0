/* leftovers.c: the end-of-run report, as asyncio's "Task was destroyed but it
 * is pending!": each task never awaited, each task still pending when main
 * returned, each generator never closed, named with where it was created. */
#include "task.h"

#include <stdio.h>

void async__report_leftovers(const async_task *main_task)
{
    async_list_for_each(n, async__all_tasks()) {
        async_task *t = async_container_of(n, async_task, all_link);
        if (t == main_task || (t->owned && !t->is_generator && !t->pending_at_exit))
            continue;
        const char *file = t->file ? t->file : "?";
        if (t->is_generator)
            fprintf(stderr, "async: generator '%s' was never closed (created at %s:%d)\n",
                    t->name, file, t->line);
        else if (t->pending_at_exit)
            fprintf(stderr, "async: task '%s' was still pending when main returned "
                            "(created at %s:%d)\n", t->name, file, t->line);
        else
            fprintf(stderr, "async: task '%s' was never awaited (created at %s:%d)\n",
                    t->name, file, t->line);
        if (async__debug)
            async__debug_unawaited(t);
    }
}

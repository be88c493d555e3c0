/* taskgroup.c: asyncio.TaskGroup. The group's body is a cancel scope in the
 * parent task: the first child that really fails cancels its siblings and
 * that scope, so the parent's current or next await in the body fails too.
 * The wait (the block's exit) waits for every child, cleanup included. */
#include "task.h"
#include "handle.h"
#include "misuse.h"

#include <string.h>

enum { GROUP_NEVER_ENTERED, GROUP_OPEN, GROUP_FAILING, GROUP_DONE };   /* 0: a zeroed struct */

#undef async_taskgroup_init
void async_taskgroup_init(async_taskgroup *tg)
{
    async_taskgroup_init_at(tg, NULL, 0);
}

void async_taskgroup_init_at(async_taskgroup *tg, const char *file, int line)
{
    /* First: a group still entered must be named before its memory is reset. */
    async__scope_push(&tg->body, ASYNC_SCOPE_GROUP, file, line);
    _Static_assert(offsetof(async_taskgroup, body) == 0, "the body scope comes first");
    memset((char *)tg + sizeof tg->body, 0, sizeof *tg - sizeof tg->body);
    async_list_init(&tg->children);
    tg->parent = async__current();
    tg->state = GROUP_OPEN;
}

/* woken_too 0 where asyncio's group acts later: woken children keep results */
static void cancel_children(async_taskgroup *tg, int woken_too)
{
    async_list_for_each(n, &tg->children) {
        async_task *child = async_container_of(n, async_task, sibling);
        if (async__tracing)
            async__trace(child, ASYNC_TRACE_CANCEL, 0);
        async__scope_cancel(&child->root, woken_too);
    }
}

static void keep_error(async_taskgroup *tg, async_task *child)
{
    if (tg->error_count < ASYNC_GROUP_KEPT_ERRORS) {
        async_group_error *e = &tg->errors[tg->error_count];
        e->status = child->status;
        e->arg = child->arg;
        memcpy(e->name, child->name, sizeof e->name);
    }
    tg->error_count++;
}

/* On the child's own stack, as it finishes. */
static void child_done(async_task *child, void *ctx)
{
    async_taskgroup *tg = ctx;
    async_list_remove(&child->sibling);
    if (--tg->running < 0)     /* another task entered the group again: misuse.c */
        async__misuse_group_reset(tg);
    async__task_detach(child);
    if (child->status < 0 && child->status != UV_ECANCELED) {
        keep_error(tg, child);
        if (!tg->first_error) {
            tg->first_error = child->status;
            tg->state = GROUP_FAILING;
            cancel_children(tg, 0);
            async__scope_cancel(&tg->body, 0);
        }
    }
    if (tg->running == 0 && tg->waiting)
        async__wake(tg->parent, 0);
}

#undef async_taskgroup_create_task
async_task *async_taskgroup_create_task(async_taskgroup *tg, async_fn fn, void *arg)
{
    return async_taskgroup_create_task_at(tg, fn, arg, "task", NULL, 0);
}

async_task *async_taskgroup_create_task_at(async_taskgroup *tg, async_fn fn, void *arg,
                                           const char *name, const char *file, int line)
{
    async__on_loop("async_taskgroup_create_task");
    if (!tg || tg->state != GROUP_OPEN) {
        if (tg && (tg->state == GROUP_NEVER_ENTERED || tg->state == GROUP_DONE))
            async__misuse_group_not_open(tg->state == GROUP_NEVER_ENTERED, file, line);
        return NULL;                  /* failing: a run-time state, as asyncio's */
    }
    async_task *handle = async_create_task_at(fn, arg, name, file, line);
    if (!handle)
        return NULL;
    const async_task *stale;
    async_task *t = async__record_of(handle, &stale);
    async__task_on_done(t, child_done, tg);
    async_list_push_back(&tg->children, &t->sibling);
    tg->running++;
    return handle;
}

static void wait_cancel(void *ctx)
{
    cancel_children(ctx, 0);   /* and keep waiting: children clean up first */
}

int async_taskgroup_wait_at(async_taskgroup *tg, const char *file, int line)
{
    async__on_loop("async_taskgroup_wait");
    async_task *self = async__current();
    if (!self || self->scopes != &tg->body)   /* waited twice, or out of order: */
        async__scope_pop(&tg->body, ASYNC_SCOPE_GROUP);   /* names the mistake */
    tg->waiting = 1;
    if (async__task_cancelled(self))
        cancel_children(tg, 1);
    while (tg->running > 0) {
        async__wait_set(self, ASYNC_ON_GROUP, tg, file, line);
        async__park_kind(wait_cancel, tg, ASYNC_WAIT_TASKS);
    }
    tg->waiting = 0;
    tg->state = GROUP_DONE;
    async__scope_pop(&tg->body, ASYNC_SCOPE_GROUP);
    if (tg->first_error)
        return tg->first_error;
    return async__task_cancelled(self) ? UV_ECANCELED : 0;
}

int async_taskgroup_error_count(const async_taskgroup *tg)
{
    return tg->error_count;
}

const async_group_error *async_taskgroup_error(const async_taskgroup *tg, int i)
{
    if (i < 0 || i >= tg->error_count || i >= ASYNC_GROUP_KEPT_ERRORS)
        return NULL;
    return &tg->errors[i];
}

/* semaphore.c: asyncio.Semaphore, FIFO fair. A release hands its permit
 * straight to the first waiter, so no newcomer can barge in between. */
#include "task.h"

#include <limits.h>

struct async_sem_waiter {
    async_list link;
    async_semaphore *sem;
    async_task *task;
    int granted;
};

#undef async_semaphore_init
void async_semaphore_init(async_semaphore *s, int value)
{
    async_semaphore_init_at(s, value, NULL, 0);
}

void async_semaphore_init_at(async_semaphore *s, int value, const char *file, int line)
{
    if (value < 0)
        async__misuse(file, line, "asyncio.Semaphore(%d): a semaphore's count cannot be "
                      "negative (0 starts it locked)", value);
    s->value = value;
    s->initial = value;
    s->taken_file = NULL;
    s->taken_line = 0;
    s->taken_by = 0;
    async_list_init(&s->waiters);
}

int async_semaphore_init_checked(async_semaphore *s, int value)
{
    if (value < 0)
        return UV_EINVAL;
    async_semaphore_init_at(s, value, NULL, 0);
    return 0;
}

/* A semaphore that was never initialised is zeroed or garbage memory: its
 * waiter list has no links. Caught here instead of crashing in the list. */
static void check_initialised(const async_semaphore *s, const char *what)
{
    if (async_list_unset(&s->waiters))
        async__misuse(NULL, 0, "%s on a semaphore that was never initialised "
                      "(call async_semaphore_init first)", what);
}

static void acquire_cancel(void *ctx)
{
    async_sem_waiter *w = ctx;
    if (w->granted)
        return;           /* already woken with the permit */
    async_list_remove(&w->link);
    async__wake(w->task, UV_ECANCELED);
}

/* Who took the last permit, and where: when tasks queue for ever, the tree
 * names it (a permit never released is usually taken there). */
static void taken(async_semaphore *s, const async_task *t, const char *file, int line)
{
    s->taken_file = file;
    s->taken_line = line;
    s->taken_by = t->id;
}

int async_semaphore_acquire_at(async_semaphore *s, const char *expr, const char *file, int line)
{
    async__on_loop("async_semaphore_acquire");
    check_initialised(s, "async_semaphore_acquire");
    int rc = async__check();
    if (rc)
        return rc;
    async_task *self = async__current();
    if (s->value > 0 && async_list_empty(&s->waiters)) {
        s->value--;
        taken(s, self, file, line);
        return 0;
    }
    async_sem_waiter w = { .sem = s, .task = self };
    async_list_push_back(&s->waiters, &w.link);
    async__wait_set(self, ASYNC_ON_SEMAPHORE, s, file, line);
    self->wait.detail.text = expr;
    rc = async__park_kind(acquire_cancel, &w, ASYNC_WAIT_TASKS);
    if (w.granted && async__task_cancelled(self)) {
        async_semaphore_release(s);   /* cancelled after the grant: pass it on */
        return UV_ECANCELED;
    }
    if (!w.granted)
        return rc;
    taken(s, self, file, line);
    return 0;
}

void async_semaphore_release(async_semaphore *s)
{
    async__on_loop("async_semaphore_release");
    check_initialised(s, "async_semaphore_release");
    async_list *n = async_list_pop_front(&s->waiters);
    if (!n) {
        if (s->value == INT_MAX)     /* Python's int would grow; C's wraps negative */
            async__misuse(NULL, 0, "async_semaphore_release: the semaphore's count is "
                          "already %d, its most: released without a matching acquire?",
                          INT_MAX);
        s->value++;
        return;
    }
    async_sem_waiter *w = async_container_of(n, async_sem_waiter, link);
    w->granted = 1;
    async__wake(w->task, 0);
}

int async_semaphore_value(const async_semaphore *s)
{
    return s->value;
}

int async_semaphore_waiters(const async_semaphore *s)
{
    int n = 0;
    async_list_for_each(w, &s->waiters)
        n++;
    return n;
}

int async__semaphore_place(const async_semaphore *s, const async_task *t)
{
    int place = 0;
    async_list_for_each(n, &s->waiters) {
        place++;
        if (async_container_of(n, async_sem_waiter, link)->task == t)
            return place;
    }
    return 0;
}

/* semaphore.c: asyncio.Semaphore, FIFO fair. A release hands its permit
 * straight to the first waiter, so no newcomer can barge in between. */
#include "async_internal.h"

struct async_sem_waiter {
    async_list link;
    async_semaphore *sem;
    async_task *task;
    int granted;
};

void async_semaphore_init(async_semaphore *s, int value)
{
    s->value = value < 0 ? 0 : value;
    async_list_init(&s->waiters);
}

int async_semaphore_init_checked(async_semaphore *s, int value)
{
    async_semaphore_init(s, value);
    return value < 0 ? UV_EINVAL : 0;
}

static void acquire_cancel(void *ctx)
{
    async_sem_waiter *w = ctx;
    if (w->granted)
        return;           /* already woken with the permit */
    async_list_remove(&w->link);
    async__wake(w->task, UV_ECANCELED);
}

int async_semaphore_acquire(async_semaphore *s)
{
    int rc = async__check();
    if (rc)
        return rc;
    if (s->value > 0 && async_list_empty(&s->waiters)) {
        s->value--;
        return 0;
    }
    async_sem_waiter w = { .sem = s, .task = async__current() };
    async_list_push_back(&s->waiters, &w.link);
    rc = async__park_kind(acquire_cancel, &w, ASYNC_WAIT_TASKS);
    if (w.granted && async__task_cancelled(async__current())) {
        async_semaphore_release(s);   /* cancelled after the grant: pass it on */
        return UV_ECANCELED;
    }
    return w.granted ? 0 : rc;
}

void async_semaphore_release(async_semaphore *s)
{
    async_list *n = async_list_pop_front(&s->waiters);
    if (!n) {
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

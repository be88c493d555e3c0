/* semaphore.c: asyncio.Semaphore, FIFO fair. A release hands its permit
 * straight to the first waiter, so no newcomer can barge in between. */
#include "task.h"

struct async_sem_waiter {
    async_sem_waiter *next, *prev;
    async_semaphore *sem;
    async_task *task;
    int granted;
};

void async_semaphore_init(async_semaphore *s, int value)
{
    s->value = value < 0 ? 0 : value;
    s->head = s->tail = NULL;
}

int async_semaphore_init_checked(async_semaphore *s, int value)
{
    async_semaphore_init(s, value);
    return value < 0 ? UV_EINVAL : 0;
}

static void unlink_waiter(async_semaphore *s, async_sem_waiter *w)
{
    if (w->prev) w->prev->next = w->next; else s->head = w->next;
    if (w->next) w->next->prev = w->prev; else s->tail = w->prev;
}

static void acquire_cancel(void *ctx)
{
    async_sem_waiter *w = ctx;
    if (w->granted)
        return;           /* already woken with the permit */
    unlink_waiter(w->sem, w);
    async__wake(w->task, UV_ECANCELED);
}

int async_semaphore_acquire(async_semaphore *s)
{
    int rc = async__check();
    if (rc)
        return rc;
    if (s->value > 0 && !s->head) {
        s->value--;
        return 0;
    }
    async_sem_waiter w = { NULL, s->tail, s, async__current(), 0 };
    if (s->tail) s->tail->next = &w; else s->head = &w;
    s->tail = &w;
    rc = async__park_kind(acquire_cancel, &w, ASYNC_WAIT_TASKS);
    if (w.granted && async__task_cancelled(async__current())) {
        async_semaphore_release(s);   /* cancelled after the grant: pass it on */
        return UV_ECANCELED;
    }
    return w.granted ? 0 : rc;
}

void async_semaphore_release(async_semaphore *s)
{
    async_sem_waiter *w = s->head;
    if (!w) {
        s->value++;
        return;
    }
    unlink_waiter(s, w);
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
    for (const async_sem_waiter *w = s->head; w; w = w->next)
        n++;
    return n;
}

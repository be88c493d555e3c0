/* timeout.c: asyncio.timeout() and asyncio.shield(), both cancel scopes.
 * At the deadline the scope is cancelled: the awaits inside it fail with
 * UV_ECANCELED; at exit the scope turns its own cancellation (and only that
 * one: not an outer scope's, not an outside cancel) into UV_ETIMEDOUT. */
#include "async_internal.h"

#include <string.h>

static void timeout_fire(async_timer_node *n)
{
    async_timeout *t = (async_timeout *)((char *)n - offsetof(async_timeout, timer));
    t->expired = 1;
    async__scope_cancel(&t->scope, 1);
}

#undef async_timeout_enter
void async_timeout_enter(async_timeout *t, double seconds)
{
    async_timeout_enter_at(t, seconds, NULL, 0);
}

void async_timeout_enter_at(async_timeout *t, double seconds, const char *file, int line)
{
    /* First: a scope still entered must be named before its memory is reset. */
    async__scope_push(&t->scope, ASYNC_SCOPE_TIMEOUT, file, line);
    memset(&t->timer, 0, sizeof t->timer);
    t->timer.index = SIZE_MAX;
    t->expired = 0;
    t->scope.deadline = 1;
    if (!(seconds > 0)) {             /* fires at the body's first await */
        t->expired = 1;
        t->scope.cancelled = 1;
        return;
    }
    if (seconds > 1e9)
        seconds = 1e9;
    /* Out of memory for the timer: time out at once rather than never. */
    if (async__timer_start(&t->timer, async__now_ns() + (uint64_t)(seconds * 1e9), timeout_fire)) {
        t->expired = 1;
        t->scope.cancelled = 1;
    }
}

int async_timeout_exit(async_timeout *t, int rc)
{
    async__scope_pop(&t->scope, ASYNC_SCOPE_TIMEOUT);   /* first: checks it was entered */
    async__timer_stop(&t->timer);
    async_task *self = async__current();
    if (t->expired && rc == UV_ECANCELED && !async__task_cancelled(self))
        return UV_ETIMEDOUT;
    return rc;
}

int async_timeout_expired(const async_timeout *t)
{
    return t->expired;
}

#undef async_shield_enter
void async_shield_enter(async_shield *s)
{
    async_shield_enter_at(s, NULL, 0);
}

void async_shield_enter_at(async_shield *s, const char *file, int line)
{
    async__scope_push(&s->scope, ASYNC_SCOPE_SHIELD, file, line);
    s->scope.shield = 1;
}

void async_shield_exit(async_shield *s)
{
    async__scope_pop(&s->scope, ASYNC_SCOPE_SHIELD);
}

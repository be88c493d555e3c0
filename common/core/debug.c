/* debug.c: PYTHONASYNCIODEBUG for C. With ASYNC_DEBUG=1 the core warns, once
 * per task and kind, about the usual mistakes it can see from the inside. */
#include "task.h"

#include <stdlib.h>
#include <string.h>

#define SLOW_SLICE_NS (100u * 1000u * 1000u)

int async__debug;

void async__debug_init(void)
{
    const char *v = getenv("ASYNC_DEBUG");
    if (v && *v && strcmp(v, "0") != 0)
        async__debug = 1;
}

int async_debug_enabled(void)
{
    return async__debug;
}

void async_set_debug(int on)
{
    async__debug = on != 0;
}

static const char *place(const async_task *t, char *buf, size_t n)
{
    if (t->file)
        snprintf(buf, n, "%s:%d", t->file, t->line);
    else
        snprintf(buf, n, "async_run");
    return buf;
}

void async__debug_slice_end(async_task *t, uint64_t ns)
{
    if (ns < SLOW_SLICE_NS || t->warned_slow)
        return;
    char where[256];
    t->warned_slow = 1;
    fprintf(stderr, "async debug: task '%s' (created at %s) ran for %llu ms without awaiting\n",
            t->name, place(t, where, sizeof where), (unsigned long long)(ns / 1000000));
}

void async__debug_recancel(async_task *t)
{
    if (t->warned_recancel)
        return;
    char where[256];
    t->warned_recancel = 1;
    fprintf(stderr, "async debug: task '%s' (created at %s) awaited again after UV_ECANCELED\n",
            t->name, place(t, where, sizeof where));
}

void async__debug_unawaited(const async_task *t)
{
    char where[256];
    fprintf(stderr, "async debug: task '%s' (created at %s) ended and was never awaited\n",
            t->name, place(t, where, sizeof where));
}

void async__debug_no_timeout(const char *what)
{
    async_task *t = async__current();
    if (!async__debug || !t || t->warned_no_timeout || async__has_deadline())
        return;
    char where[256];
    t->warned_no_timeout = 1;
    fprintf(stderr, "async debug: task '%s' (created at %s) awaits %s with no timeout scope\n",
            t->name, place(t, where, sizeof where), what);
}

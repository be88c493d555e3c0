/* task_names.c: what a task is called. Its name (the function it runs,
 * unless set) and its label (what it does: "GET /page/7"), for the reports,
 * the task tree and the timeline. */
#include "task.h"
#include "handle.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A plain copy: snprintf's cost showed in the 100,000-task benchmark. */
void async__set_name(async_task *t, const char *name)
{
    if (!name)
        name = "task";
    size_t n = strnlen(name, sizeof t->name - 1);
    memcpy(t->name, name, n);
    t->name[n] = '\0';
}

void async_task_set_name(async_task *handle, const char *name)
{
    async__on_loop("async_task_set_name");
    const async_task *stale;
    async_task *t = handle ? async__record_of(handle, &stale) : NULL;
    if (!t)
        return;
    async__set_name(t, name);
    if (async__tracing)
        async__trace_rename(t);
}

void async_task_set_label(async_task *handle, const char *fmt, ...)
{
    async__on_loop("async_task_set_label");
    const async_task *stale;
    async_task *t = handle ? async__record_of(handle, &stale) : NULL;
    if (!t || !fmt)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->label, sizeof t->label, fmt, ap);
    va_end(ap);
    if (async__tracing)
        async__trace_rename(t);
}

const char *async_task_label(const async_task *handle)
{
    const async_task *stale;
    const async_task *t = handle ? async__record_of(handle, &stale) : NULL;
    return t ? t->label : "";
}

const char *async_task_name(const async_task *handle)
{
    const async_task *stale;
    const async_task *t = handle ? async__record_of(handle, &stale) : NULL;
    return t ? t->name : handle ? "(released)" : "(none)";
}

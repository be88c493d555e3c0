/* timeline.c: stub until the timeline recorder lands (issue 6). */
#include "async_internal.h"

int async__tracing;

void async__trace(const async_task *t, enum async_trace_event ev, int status)
{
    (void)t; (void)ev; (void)status;
}

void async__trace_run_begin(void) {}
void async__trace_run_end(void) {}

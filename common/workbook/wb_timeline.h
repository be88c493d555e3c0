/* timeline.h: see what the tasks did. Every step takes --timeline, which
 * records each task's slices of running and waiting and prints them after the
 * run as one ASCII row per task; ASYNC_TRACE=trace.json writes the same
 * events in the Chrome trace event format (open it in Perfetto or
 * chrome://tracing). Off by default; the core checks one flag when off. */
#ifndef ASYNC_TIMELINE_H
#define ASYNC_TIMELINE_H

#include <stdio.h>

/* Start recording task events (call before async_run). */
void wb_timeline_enable(void);

/* After async_run: the chart, one row per task over a time axis; then the
 * recording is freed. Prints nothing if recording was never enabled. */
void wb_timeline_print(FILE *out);

#endif

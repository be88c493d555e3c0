/* wb_timeline.h: see what the tasks did. Every step takes --timeline, which
 * records each task's slices of running and waiting and draws them after the
 * run: as one ASCII row per task (plain --timeline, on stdout), or as a
 * self-contained HTML page (--timeline=FILE.html: colours, a time axis, hover
 * text; nothing fetched from anywhere). ASYNC_TRACE=trace.json writes the
 * same events in the Chrome trace event format (Perfetto, chrome://tracing).
 * Off by default; the core checks one flag when off. */
#ifndef ASYNC_TIMELINE_H
#define ASYNC_TIMELINE_H

#include <stdio.h>

/* Every step's flag, parsed in one place. arg is one argument:
 *   "--timeline"            the ASCII chart on the stream given to wb_timeline_print
 *   "--timeline=FILE.html"  an HTML page written to FILE.html
 *   "--timeline=FILE"       (another name) the ASCII chart written to FILE
 * Returns 1 if arg was the flag (recording is now on and FILE open), 0 if it
 * is some other argument, -1 after printing "PROG: --timeline=...: why" (an
 * empty or unwritable FILE). */
int wb_timeline_option(const char *prog, const char *arg);

/* Start recording task events with the chart on the stream (call before
 * async_run); what plain --timeline does. */
void wb_timeline_enable(void);

/* After async_run: the chart (or the page) asked for, then the record is
 * freed. The ASCII chart fits $COLUMNS, else the terminal it goes to, else
 * 80 columns. Prints nothing if recording was never enabled. Returns 0, or
 * -1 after a one-line message when the chart could not be written whole. */
int wb_timeline_print(FILE *out);

#endif

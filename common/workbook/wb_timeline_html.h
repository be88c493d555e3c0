/* wb_timeline_html.h: --timeline=FILE.html, the page (timeline_html.c). */
#ifndef WB_TIMELINE_HTML_H
#define WB_TIMELINE_HTML_H

#include "async_internal.h"

#include <stdio.h>

/* Writes a self-contained HTML page drawing the record: one row per task, its
 * spans coloured by state, a time axis, hover text. prog titles the page. */
void wb_timeline_html_write(FILE *out, const async_trace_record *tl, const char *prog);

#endif

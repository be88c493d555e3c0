/* async_extras.h: the parts of common/ built on the core, one header each.
 * Included by async.h, so that a program still includes async.h alone. */
#ifndef ASYNC_EXTRAS_H
#define ASYNC_EXTRAS_H

#include "http.h"        /* async HTTP client on libcurl (step 3) */
#include "demo_server.h" /* in-process HTTP server for demos and tests */
#include "file.h"        /* chunked file reads on uv_fs (step 4) */
#include "lines.h"       /* the line splitter behind read_lines (step 4) */
#include "heartbeat.h"   /* loop-lag heartbeat (mistakes/) */
#include "timeline.h"    /* --timeline charts and ASYNC_TRACE (all steps) */
#include "cli.h"         /* strict flag parsing shared by the programs */

#endif

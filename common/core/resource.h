/* resource.h: what the layers tell the core about the process resources
 * they use, so that running out of one, or forgetting to close one, is named
 * instead of ending in libuv's abort or a leak. */
#ifndef ASYNC_RESOURCE_H
#define ASYNC_RESOURCE_H

#include "async.h"

/* Before the first request to libuv's thread pool (file reads, to_thread):
 * 0, or UV_ENOMEM after a line on stderr if its threads cannot fit in the
 * address-space limit (libuv would abort). */
int async__workers_fit(void);

/* Before a libuv loop of one's own (the first of a process takes a pipe for
 * signals, and libuv aborts if it cannot): 0, or UV_EMFILE when the process
 * has too few file descriptors left for it. */
int async__descriptors_left(void);

/* Something a layer opens inside a run and the program must close (an HTTP
 * client): if main returns with it still open, async_run names it ("async:
 * an HTTP client created at x.c:12 was never closed") and calls abandon,
 * which must release it with no task to run on (uv_close, then free in the
 * close callbacks: async_run runs the loop until they are done). */
typedef struct async_resource {
    async_list link;
    const char *what;                          /* "an HTTP client" */
    const char *file;
    int line;
    void (*abandon)(struct async_resource *r);
} async_resource;
void async__resource_open(async_resource *r, const char *what, const char *file, int line,
                          void (*abandon)(async_resource *r));
void async__resource_close(async_resource *r);
/* 1 if r is open now (opened in this run and not closed): a pointer to a
 * closed one, whose memory is gone, is told apart without reading it. */
int async__resource_is_open(const async_resource *r);

/* The core's side (limits.c, resources.c): the loop's start and end. */
int async__loop_init(uv_loop_t *loop);  /* names too few descriptors (libuv aborts) */
void async__resources_abandon(void);    /* names and releases what main left open */
void async__loop_close(uv_loop_t *loop); /* names and closes the program's own handles */

#endif

/* async_wait.h: what a parked task waits on, and the file:line of its await.
 * The awaits (core and io) record it just before they park; the task tree
 * (tasktree.c: async_print_tasks, Ctrl-\, the deadlock report), gdb
 * (scripts/gdb/async_gdb.py) and timelines read it. Private to common/. */
#ifndef ASYNC_WAIT_H
#define ASYNC_WAIT_H

#include "async.h"

/* The record holds until the task resumes. The object and detail each kind
 * keeps are listed beside it. */
typedef enum async_wait_on {
    ASYNC_ON_NOTHING = 0,     /* not parked in a described await */
    ASYNC_ON_SLEEP,           /* detail.until_ns: the deadline (async__now_ns's clock) */
    ASYNC_ON_SEMAPHORE,       /* object: the async_semaphore; detail.text: its expression */
    ASYNC_ON_TASK,            /* object: the async_task awaited */
    ASYNC_ON_GROUP,           /* object: the async_taskgroup (its children left) */
    ASYNC_ON_NEXT,            /* object: the async_generator, for its next item */
    ASYNC_ON_YIELD,           /* object: the async_generator, for its consumer */
    ASYNC_ON_GENERATOR_CLOSE, /* object: the async_generator, for its cleanup */
    ASYNC_ON_HTTP_GET,        /* object: the client; detail.text: the URL */
    ASYNC_ON_HTTP_CLOSE,      /* object: the client, for its connections to close */
    ASYNC_ON_FILE_OPEN,       /* detail.text: the path */
    ASYNC_ON_FILE_READ,       /* object: the async_file; detail.file: fd, bytes asked */
    ASYNC_ON_FILE_CLOSE,      /* object: the async_file; detail.file.fd */
    ASYNC_ON_THREAD           /* object: fn's arg; detail.text: fn's name */
} async_wait_on;

typedef struct async_wait_file {
    int fd;
    uint32_t size;            /* the bytes a read asked for */
} async_wait_file;

typedef union async_wait_detail {
    uint64_t until_ns;
    const char *text;
    async_wait_file file;
} async_wait_detail;

typedef struct async_wait_site {
    const void *object;
    async_wait_detail detail;
    const char *file;         /* the await in the program's code (NULL: not known) */
    int line;
    async_wait_on on;
} async_wait_site;

/* Records what the current task is about to wait on and returns the record,
 * for the caller to add its detail (NULL outside a task). Call it right
 * before async__park*(). */
async_wait_site *async__wait_here(async_wait_on on, const void *object,
                                  const char *file, int line);

/* What t waits on now (on == ASYNC_ON_NOTHING unless it is parked in a
 * described await); the timeline reads it at ASYNC_TRACE_SUSPEND. */
const async_wait_site *async__task_wait(const async_task *t);

/* One line saying what t waits on ("HTTP GET http://...", "semaphore sem,
 * 2nd of 5 in line"), without the site; returns buf. */
const char *async__describe_wait(const async_task *t, char *buf, size_t n);

/* The same, for the core's own awaits, which hold the task record: inline. */
#define async__wait_set(t, on_, object_, file_, line_) \
    ((t)->wait.on = (on_), (t)->wait.object = (object_), (t)->wait.file = (file_), \
     (t)->wait.line = (line_))

/* For the tree (core only): every task not yet released (all_link), newest
 * first, also at a name gdb can find; the task that runs a
 * generator's body; t's place (1 = first) in s's queue, 0 if not in it. */
async_list *async__all_tasks(void);
extern async_list *const async__gdb_all_tasks;
const async_task *async__generator_task(const async_generator *g);
int async__semaphore_place(const async_semaphore *s, const async_task *t);

/* async_run's Ctrl-\ (SIGQUIT): prints the tree; the program goes on. */
void async__sigquit_start(uv_loop_t *loop);
void async__sigquit_close(void);

#endif

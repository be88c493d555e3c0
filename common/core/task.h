/* task.h: the task record, private to the core's own files. */
#ifndef ASYNC_TASK_H
#define ASYNC_TASK_H

#include "async_internal.h"
#include "context.h"
#include "stack.h"

struct async_task {
    async_context ctx;              /* first: the saved stack pointer */
    async_task_state state;
    int status;                     /* the body's return value, once DONE */
    int wake_status;                /* what async__park returns */
    async_list ready_link;          /* in the ready queue */
    async_list cancel_link;         /* in the queue of cancel hooks to run */
    async_cancel_fn on_cancel;      /* set while parked in a cancellable await */
    void *cancel_ctx;
    async_scope root;               /* async_cancel() cancels this one */
    async_scope *scopes;            /* innermost scope first, root last */
    async_task *awaiter;            /* the task blocked in async_await(this) */
    async_done_hook done_hook;      /* group or generator bookkeeping */
    void *done_ctx;
    async_list all_link;            /* every live task, for the end-of-run report */
    async_list sibling;             /* a group's children */
    async_timer_node timer;         /* async_sleep's deadline */
    async_fn fn;
    void *arg;
    void *stack_lo;
    size_t stack_guard;
    uint64_t id;
    uint16_t stamp;                 /* the id's low bits, never 0: handle.c */
    uint64_t slice_start_ns;        /* debug mode: when this slice began */
    const char *file;               /* where it was created */
    int line;
    async_wait_site wait;           /* what it waits on, and where (the task tree) */
    uint64_t parent_id;             /* the task that created it (0: none) */
    unsigned cancels_at_exit;       /* UV_ECANCELED returned after main returned */
    unsigned cancel_queued : 1;
    unsigned owned : 1;             /* a group or generator releases it */
    unsigned detached : 1;          /* freed by the loop as soon as it is DONE */
    unsigned pending_at_exit : 1;   /* still running when main returned */
    unsigned saw_cancel : 1;        /* an await already returned UV_ECANCELED */
    unsigned warned_slow : 1, warned_recancel : 1, warned_no_timeout : 1;
    unsigned is_generator : 1;
    unsigned released : 1;          /* back in the pool: a handle to it is stale */
    char name[ASYNC_TASK_NAME_MAX];
    /* Where the innermost scopes were entered (scope.c), kept here because a
     * scope left open by a returned function lies in memory since reused. */
    unsigned scope_depth;
    struct async_scope_site {
        const async_scope *scope;
        const char *file;
        int line, kind;
    } scope_sites[4];
    char label[ASYNC_TASK_LABEL_MAX];   /* async_task_set_label: what it does; last,
                                           as async__task_new_ex zeroes the rest */
};

/* Creates a task whose stack slot also holds `extra` bytes for its owner
 * (a generator keeps its state there, so it dies with its producer). */
async_task *async__task_new_ex(async_fn fn, void *arg, const char *name,
                               const char *file, int line, size_t extra, void **extra_out);

/* task_names.c: copies a task's name (NULL: "task"), cut to fit. */
void async__set_name(async_task *t, const char *name);

/* Frees a finished task and its stack (never from its own stack). */
void async__task_release(async_task *t);

/* stack_overflow.c */
void async__overflow_handler_install(void);
void async__overflow_handler_remove(void);

/* timers.c */
void async__timers_init(uv_loop_t *loop);
void async__timers_arm(void);
int async__timers_pending(void);
void async__timers_close(void);

/* leftovers.c: when a run ends, names each task never awaited (but main_task) */
void async__report_leftovers(const async_task *main_task);

/* debug.c */
void async__debug_init(void);
void async__debug_slice_end(async_task *t, uint64_t ns);
void async__debug_recancel(async_task *t);
void async__debug_unawaited(const async_task *t);

#endif

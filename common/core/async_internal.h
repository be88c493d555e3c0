/* async_internal.h: what common/'s own layers (http.c, file.c, ...) need from
 * the core to write an await. Not for programs: they include async.h only.
 *
 * How an await is written (see sleep.c for the smallest one):
 *
 *     int my_await(...) {
 *         int rc = async__check();          // level-triggered cancellation
 *         if (rc) return rc;
 *         start the libuv request, whose callback calls async__wake(task, rc);
 *         return async__park(my_cancel, ctx);
 *     }
 *
 * A libuv callback never switches into a task: async__wake() only records the
 * result and puts the task on the ready queue; the loop resumes it.
 * If the task is cancelled while parked, the core calls my_cancel(ctx) once,
 * on the loop's stack. my_cancel must make sure async__wake() is called later
 * (usually with UV_ECANCELED), after every handle or request the await uses
 * has finished or been closed: the await's memory lives on the task's stack.
 * A cancel landing after the wake, before the task runs, also makes the park
 * return UV_ECANCELED (asyncio's _must_cancel): give back what the await got.
 */
#ifndef ASYNC_INTERNAL_H
#define ASYNC_INTERNAL_H

#include "async.h"
#include "async_wait.h"      /* what a task waits on, and where: the task tree */

typedef void (*async_cancel_fn)(void *ctx);

/* The running task (NULL on the loop's own stack). */
async_task *async__current(void);

/* The core runs on async_run's thread only. async__on_loop(call) costs one
 * thread-local load; made from another thread (an async_to_thread function)
 * while async_run runs, it stops the program with a line naming the call. */
extern _Thread_local unsigned char async__loop_thread;
void async__off_loop(const char *call);
static inline void async__on_loop(const char *call)
{
    if (!async__loop_thread)
        async__off_loop(call);
}

/* 0, or UV_ECANCELED (after one yield, so that a task ignoring cancellation
 * still lets the loop run) if the current task's awaits are cancelled;
 * UV_EINVAL outside any task (there is nothing to suspend). */
int async__check(void);

/* Suspends the current task until async__wake(); returns the woken status.
 * Does not check for cancellation first: call async__check() for that. */
int async__park(async_cancel_fn on_cancel, void *ctx);

/* The same, saying what the task waits for (timelines tell I/O from queueing). */
enum async_wait_kind { ASYNC_WAIT_IO = 0, ASYNC_WAIT_TASKS = 1 };
int async__park_kind(async_cancel_fn on_cancel, void *ctx, enum async_wait_kind kind);

/* A rendezvous: wakes `to` (parked, WAITING) with to_status by switching
 * straight into it, and parks the current task as async__park does. */
int async__handoff(async_task *to, int to_status, async_cancel_fn on_cancel, void *ctx);

/* From a libuv callback or another task: resume t later with status rc. */
void async__wake(async_task *t, int rc);

/* loop.call_soon(): runs fn(node) on the loop's own stack before the next
 * task runs. For library calls that must not run on a task's small stack or
 * inside a library callback. The node is the caller's until fn runs. */
typedef struct async_soon {
    async_list link;
    void (*fn)(struct async_soon *node);
} async_soon;
void async__call_soon(async_soon *node, void (*fn)(async_soon *node));

/* To the back of the ready queue (asyncio.sleep(0)): 0, or UV_ECANCELED. */
int async__yield(void);

/* The timer heap the core drives with one uv_timer. */
uint64_t async__now_ns(void);
/* 0, or UV_ENOMEM when the heap cannot grow (then nothing is armed). */
int async__timer_start(async_timer_node *n, uint64_t deadline_ns,
                       void (*fire)(async_timer_node *n));
void async__timer_stop(async_timer_node *n);
int async__timer_active(const async_timer_node *n);

/* A programmer error: one line naming the current task, the mistake (printf
 * format) and the site (file may be NULL), then abort(). See misuse.c. */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 3, 4)))
#endif
void async__misuse(const char *file, int line, const char *fmt, ...);

/* Cancel scopes (scope.c). push sets only s's async_scope fields (the
 * caller initialises the rest of its struct after it) and stops the program
 * with a message if s is still entered; pop stops it unless s is the
 * innermost scope of the current task (both: async.h's "Misuse"). */
enum async_scope_kind {
    ASYNC_SCOPE_TASK, ASYNC_SCOPE_TIMEOUT, ASYNC_SCOPE_SHIELD, ASYNC_SCOPE_GROUP
};
void async__scope_push(async_scope *s, int kind, const char *file, int line);
void async__scope_pop(async_scope *s, int kind);
/* Stops the program if one of t's scopes lies in a frame below `here` (a
 * core function's frame address): the function that entered it returned. */
void async__scopes_check(const async_task *t, const void *here);
/* Called when t's body returned with a scope still entered: stops the program. */
_Noreturn void async__scope_returned_inside(const async_task *t);
/* woken_too 0: a task woken, not yet run, keeps its await's result (a TaskGroup's) */
void async__scope_cancel(async_scope *s, int woken_too);
int async__task_cancelled(const async_task *t); /* walks scopes up to a shield */
int async__has_deadline(void);                  /* inside a timeout scope? */
void async__debug_no_timeout(const char *what); /* debug mode: an external call with none */

/* Handles (handle.c): the record's address stamped with its task's id; the
 * record, or NULL with *stale set when the handle outlived its task. */
async_task *async__handle(async_task *t);
/* async__record_of(h, &stale): in handle.h, inline. */
_Noreturn void async__stale_await(const async_task *old);
/* The same on a pointer `back` bytes past its owner's record (a generator). */
void *async__stamped(void *p, const async_task *owner);
/* async__unstamped(h, back, &stale): in handle.h, inline. */

/* Task internals shared by taskgroup.c, generator.c and the tracer. */
typedef enum {
    ASYNC_TASK_READY_NEW,  /* created, never ran */
    ASYNC_TASK_RUNNING,
    ASYNC_TASK_READY,
    ASYNC_TASK_WAITING,
    ASYNC_TASK_DONE
} async_task_state;

async_task *async__task_new(async_fn fn, void *arg, const char *name,
                            const char *file, int line);
uint64_t async__task_id(const async_task *t);
uint64_t async__next_task_id(void);     /* the id the next task will get */

/* Called on the task's own stack when its body returns (taskgroup.c and generator.c hook here). */
typedef void (*async_done_hook)(async_task *t, void *ctx);
void async__task_on_done(async_task *t, async_done_hook hook, void *ctx);

/* Frees a finished task from the loop (it is owned by a group or generator). */
void async__task_detach(async_task *t);

/* The recorder behind ASYNC_TRACE and --timeline (trace.c). */
#include "async_trace.h"

/* Debug-mode checks (debug.c). */
extern int async__debug;

#endif

/* async.h: a small asyncio for C, on libuv. The core's whole API.
 *
 * A task is a C function with its own stack; an await suspends it and hands
 * the thread back to the loop. Errors are libuv's: 0 (or a count) on success,
 * a negative UV_E* code on failure, printable with uv_strerror().
 * UV_ECANCELED is asyncio's CancelledError, UV_ETIMEDOUT its TimeoutError.
 * What is built on the core has headers of its own: async_http.h,
 * async_file.h, async_lines.h (common/io/); the workbook's helpers are wb_*.h.
 *
 * Contract and behaviours: docs/core-api.md, docs/semantics.md.
 *
 * One misuse policy. A programmer error stops the program: one line on stderr
 * names the task, the mistake and the site (file:line), then abort(). A
 * failure the program must expect at run time (out of memory, cancellation,
 * a timeout, I/O) is a negative UV_E* return. The checks, always on, each a
 * compare where it sits: a scope (timeout, shield, group) exited out of
 * order or twice, entered again while entered, entered by a second task, or
 * left open (its task returned, or the function that entered it did: seen
 * at the next await); a core call from a to_thread function; a generator
 * read or closed while another task is inside it; a second await of a task
 * (a handle is stamped with its task's id: handle.c), one from an earlier
 * async_run, a task awaiting itself, a group's child or a task another task
 * awaits; a negative semaphore count in the code, or a semaphore never
 * initialised; async_run inside async_run; an await on the loop's thread
 * but in no task (a libuv callback of the program's); a task left running
 * at main's return that ignores the cancellation (100,000 awaits on). Two bad values keep libuv's UV_EINVAL, since
 * a program may hand them on from a call that failed: a NULL handle (a
 * create that ran out of memory) and a call made outside async_run.
 *
 * What async_run does to the process, which a C programmer must know:
 *  - SIGPIPE is ignored from the first async_run on (a peer that hangs up is
 *    an EPIPE error, not the program's death); writes to a closed stdout
 *    therefore fail with EPIPE instead of killing the program (see async_run).
 *  - SIGSEGV (and SIGBUS) get a handler, on an alternate signal stack, that
 *    names the task whose stack overflowed before the default action ends
 *    the process; the previous handler is restored when async_run returns.
 *  - SIGINT (Ctrl-C) cancels the main task; the program exits 130 once every
 *    cleanup has run (a second Ctrl-C exits at once).
 *  - SIGQUIT (Ctrl-\) prints the task tree (async_print_tasks) on stderr and
 *    the program goes on; each await records its file:line for it (async_at.h).
 *  - Environment read: ASYNC_DEBUG, ASYNC_TRACE, ASYNC_STACK_SIZE,
 *    ASYNC_GUARDED_STACKS, ASYNC_PREFAULT (README lists what each does).
 *  - A helper thread may start once a program holds many task stacks (about
 *    800; common/stacks/prefault.c); it only advises the kernel about stack
 *    pages and blocks every signal. libuv's thread pool runs to_thread work.
 *  - A function run by async_to_thread runs on another thread: it may not
 *    call anything in this header (only plain C); the core stops a program
 *    that does.
 *
 * Include this header first: under strict -std=c11 it asks the C library for
 * POSIX (libuv's header needs pthread types), which works only before any
 * other system header; or compile with -D_GNU_SOURCE, as the Makefile does.
 */
#ifndef ASYNC_H
#define ASYNC_H

#if defined(__STRICT_ANSI__) && !defined(__APPLE__) && !defined(_POSIX_C_SOURCE) && \
    !defined(_GNU_SOURCE) && !defined(_DEFAULT_SOURCE) && !defined(_XOPEN_SOURCE)
#define _POSIX_C_SOURCE 200809L   /* strict C11 hides POSIX, and uv.h needs it */
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <uv.h>

#include "list.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- tasks */

typedef int (*async_fn)(void *arg);
typedef struct async_task async_task;
typedef struct async_generator async_generator;
typedef int (*async_gen_fn)(async_generator *g, void *arg);

/* A cancel scope: private. Timeout scopes, shields and task groups embed one so
 * that they can live on a task's stack; a task's awaits return UV_ECANCELED
 * while any scope it is inside (up to the nearest shield) is cancelled. */
typedef struct async_scope {
    struct async_scope *outer;
    async_task *task;
    const char *file;           /* where it was entered, for the misuse messages */
    int line;
    unsigned char cancelled;
    unsigned char shield;
    unsigned char deadline;     /* a timeout scope */
    unsigned char kind;         /* timeout, shield or task group */
    uintptr_t stamp;            /* entered or exited, mixed with this address: */
} async_scope;                  /* tells a live entry from stale stack memory */

/* asyncio.run(main()): owns the loop, runs main as the first task, then cancels
 * and reports what is left, frees everything and returns main's status (or,
 * if main succeeded, the error that kept the ASYNC_TRACE file from being
 * written, e.g. UV_ENOSPC, after a line on stderr saying so).
 * Caveat: async_run ignores SIGPIPE, for good (a peer that hangs up on a
 * socket is an EPIPE error, not the death of the program), so a write to
 * stdout after its reader left (`prog | head -c1`) fails with EPIPE instead
 * of ending the program: check stdout's writes (the workbook's programs do,
 * with common/workbook/wb_output.h, and then die of SIGPIPE as grep does).
 * After a Ctrl-C (SIGINT cancels main) it exits the process with status 130
 * once every cleanup has run. Runs one after another are fine; one inside
 * another (from a task) is a misuse, named, as asyncio's RuntimeError. */
int async_run(async_fn main, void *arg);

/* asyncio.create_task(): starts fn(arg) as a task; it first runs at the
 * caller's next await. NULL if out of memory. The macro names the task after
 * the function and remembers where it was created. */
async_task *async_create_task(async_fn fn, void *arg);
async_task *async_create_task_at(async_fn fn, void *arg, const char *name,
                                 const char *file, int line);
#define async_create_task(fn, arg) \
    async_create_task_at((fn), (arg), #fn, __FILE__, __LINE__)

/* await task: waits for t, returns its status and releases it (exactly once).
 * A cancelled await returns UV_ECANCELED and leaves t running and unawaited.
 * Unlike Python, t cannot be awaited again for its result (its record is
 * reused by the next task): a second await is a misuse, named, then abort().
 * Keep the status the first await returned. */
int async_await(async_task *t);

/* task.cancel(): level-triggered; 1 if requested, 0 if t already finished,
 * or was released (awaited, or ended in its group): as Python's cancel() on a
 * done task, it then does nothing, even to a task that reuses the record. */
int async_cancel(async_task *t);

/* task.cancelled()-ish: 1 if the current task's awaits would now return
 * UV_ECANCELED (its task, timeout or group scope is cancelled). */
int async_cancelled(void);

/* asyncio.sleep(): 0 or UV_ECANCELED; async_sleep(0) (or less) yields to ready
 * tasks. async_sleep(NaN) is a misuse, named (asyncio.sleep(nan) never returns). */
int async_sleep(double seconds);

/* loop.time(): monotonic seconds (nanosecond clock). */
double async_time(void);

/* asyncio.current_task(): NULL outside async_run. */
async_task *async_current_task(void);

/* task.set_name() / task.get_name(): the name is copied (up to
 * ASYNC_TASK_NAME_MAX - 1 bytes). */
void async_task_set_name(async_task *t, const char *name);
const char *async_task_name(const async_task *t);

/* What the task is doing, in a few words ("GET /page/7", "user 3"), printf
 * style (up to ASYNC_TASK_LABEL_MAX - 1 bytes). No Python peer: --timeline
 * names a labelled task's row by its label instead of "name #id". "" until set. */
#define ASYNC_TASK_LABEL_MAX 48
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
void async_task_set_label(async_task *t, const char *fmt, ...);
const char *async_task_label(const async_task *t);

/* The loop async_run owns, for libuv calls of your own (NULL outside). */
uv_loop_t *async_loop(void);

/* 1 once a SIGINT has been turned into a cancellation of the main task. */
int async_interrupted(void);

/* `python -m asyncio pstree`: each task, what it waits on, where (see Ctrl-\). */
void async_print_tasks(FILE *out);

/* ------------------------------------------------------------ task group */

#define ASYNC_GROUP_KEPT_ERRORS 8
#define ASYNC_TASK_NAME_MAX 32   /* bytes of a task's name, the NUL included */

typedef struct async_group_error {
    int status;          /* the child's negative status */
    void *arg;           /* the arg the child was created with */
    char name[ASYNC_TASK_NAME_MAX];   /* the child's name */
} async_group_error;

typedef struct async_taskgroup {
    async_scope body;        /* the parent's body: cancelled by a failing child */
    async_task *parent;
    async_list children;     /* live children, oldest first */
    int running;
    int state;
    int waiting;
    int first_error;
    int error_count;         /* every failure, also past the kept ones */
    async_group_error errors[ASYNC_GROUP_KEPT_ERRORS]; /* in completion order */
} async_taskgroup;

/* async with asyncio.TaskGroup() as tg: enters the group's body in the
 * current task (groups and timeout scopes nest, last in first out). The
 * macro remembers where, for the misuse messages (see "Misuse" above). */
void async_taskgroup_init(async_taskgroup *tg);
void async_taskgroup_init_at(async_taskgroup *tg, const char *file, int line);
#define async_taskgroup_init(tg) async_taskgroup_init_at((tg), __FILE__, __LINE__)

/* tg.create_task(): NULL (and fn never runs) if the group is failing. On a
 * group never entered, or one whose wait has returned, a misuse (named).
 * The group frees the task as soon as it ends: keep the pointer (to cancel
 * it, say) only while you know it is running. */
async_task *async_taskgroup_create_task(async_taskgroup *tg, async_fn fn, void *arg);
async_task *async_taskgroup_create_task_at(async_taskgroup *tg, async_fn fn, void *arg,
                                           const char *name, const char *file, int line);
#define async_taskgroup_create_task(tg, fn, arg) \
    async_taskgroup_create_task_at((tg), (fn), (arg), #fn, __FILE__, __LINE__)

/* Leaving the async with block: waits for every child; returns the first
 * child's error, else UV_ECANCELED if the parent was cancelled, else 0. */
int async_taskgroup_wait(async_taskgroup *tg);

/* ExceptionGroup.exceptions: how many children failed, and the i-th kept one
 * (completion order; NULL past ASYNC_GROUP_KEPT_ERRORS or the count). */
int async_taskgroup_error_count(const async_taskgroup *tg);
const async_group_error *async_taskgroup_error(const async_taskgroup *tg, int i);

/* ------------------------------------------------------------- semaphore */

typedef struct async_sem_waiter async_sem_waiter;

typedef struct async_semaphore {
    int value;
    async_list waiters;              /* FIFO of waiting tasks */
    int initial, taken_line;         /* the task tree: Semaphore(n)'s n; where */
    const char *taken_file; uint64_t taken_by;   /* and by whom the last permit was taken */
} async_semaphore;

/* asyncio.Semaphore(n): 0 starts it locked; a negative n is a programmer
 * error (the program stops, naming the line). For a count read from input,
 * async_semaphore_init_checked returns UV_EINVAL instead. Acquiring or
 * releasing a semaphore never initialised stops the program too. */
void async_semaphore_init(async_semaphore *s, int value);
void async_semaphore_init_at(async_semaphore *s, int value, const char *file, int line);
#define async_semaphore_init(s, value) async_semaphore_init_at((s), (value), __FILE__, __LINE__)
int async_semaphore_init_checked(async_semaphore *s, int value); /* 0 or UV_EINVAL */

/* async with sem (enter): 0, or UV_ECANCELED with no permit taken. */
int async_semaphore_acquire(async_semaphore *s);

/* async with sem (exit): hands the permit to the first waiter, if any. */
void async_semaphore_release(async_semaphore *s);

/* The permits left (sem._value) and how many tasks wait, for printing and tests. */
int async_semaphore_value(const async_semaphore *s);
int async_semaphore_waiters(const async_semaphore *s);

/* --------------------------------------------------------- timeout scope */

typedef struct async_timer_node {
    uint64_t deadline_ns;
    uint64_t seq;
    size_t index;                 /* position in the timer heap, or SIZE_MAX */
    async_list lane_link;         /* in the in-order lane instead */
    int in_lane;
    void (*fire)(struct async_timer_node *n);
} async_timer_node;

typedef struct async_timeout {
    async_scope scope;
    async_timer_node timer;
    int expired;
} async_timeout;

/* async with asyncio.timeout(seconds): <= 0 fires at the body's first await.
 * The macro remembers where the scope was entered. */
void async_timeout_enter(async_timeout *t, double seconds);
void async_timeout_enter_at(async_timeout *t, double seconds, const char *file, int line);
#define async_timeout_enter(t, seconds) \
    async_timeout_enter_at((t), (seconds), __FILE__, __LINE__)

/* The block's exit: turns this scope's own cancellation into UV_ETIMEDOUT. */
int async_timeout_exit(async_timeout *t, int rc);

/* timeout.expired(): 1 if this scope's deadline has passed. */
int async_timeout_expired(const async_timeout *t);

/* ---------------------------------------------------------------- shield */

typedef struct async_shield {
    async_scope scope;
} async_shield;

/* asyncio.shield() for cleanup that must await: inside, outer cancellations
 * (task, timeouts, groups) do not reach the awaits; they apply again at exit. */
void async_shield_enter(async_shield *s);
void async_shield_enter_at(async_shield *s, const char *file, int line);
#define async_shield_enter(s) async_shield_enter_at((s), __FILE__, __LINE__)
void async_shield_exit(async_shield *s);

/* ------------------------------------------------------------ generators */

/* An async generator: fn runs as its own task (the producer), started by the
 * first async_next. NULL if out of memory. */
async_generator *async_generator_create(async_gen_fn fn, void *arg);

/* yield item (producer): 0, or UV_ECANCELED once the consumer has closed.
 * Only the generator function's own task yields: another is a misuse. */
int async_yield(async_generator *g, void *item);

/* async for / anext() (consumer): 1 and *item, 0 at the end (also once
 * closed, as in Python), <0 the producer's error or UV_ECANCELED. */
int async_next(async_generator *g, void **item);

/* aclose() (consumer): ends the producer, runs its cleanup, frees the
 * generator; 0 if it ended cleanly (or was closed before), the producer's
 * error, or UV_EINVAL if it yielded again after being closed. As in Python,
 * one task at a time is inside async_next or the close: another is named. */
int async_generator_close(async_generator *g);

/* ------------------------------------------------------------- to_thread */

/* asyncio.to_thread(): fn(arg) on libuv's thread pool; the loop serves other
 * tasks meanwhile. Returns fn's status, or UV_ECANCELED (queued work never
 * runs; running work is waited for first, so arg must stay valid). */
int async_to_thread(async_fn fn, void *arg);

/* ------------------------------------------------------------- debugging */

/* PYTHONASYNCIODEBUG: 1 if ASYNC_DEBUG=1 (or async_set_debug(1)) is in force. */
int async_debug_enabled(void);
void async_set_debug(int on);

#ifdef __cplusplus
}
#endif
#include "async_at.h"
#endif

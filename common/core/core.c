/* core.c: tasks and the loop that runs them.
 *
 * The whole scheduler is one loop in async_run():
 *
 *     while main has not finished:
 *         run the ready tasks (each until it parks in an await)
 *         uv_run(ONCE, or NOWAIT if tasks are still ready)
 *
 * libuv callbacks never switch into a task: they call async__wake(), which
 * puts the task on the ready queue. Cancellation hooks run here too, on the
 * loop's own stack, so that deep library calls (libcurl, libuv) never run on
 * a task's small stack.
 */
#include "task.h"
#include "handle.h"
#include "resource.h"
#include "misuse.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform.h"
#ifdef ASYNC_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

enum { READY_BUDGET = 256 };   /* task slices between two looks at I/O */
enum { HANDOFF_BUDGET = 64 };  /* direct task-to-task switches between two */

/* The scheduler: the loop, its queues and every live task. */
static struct {
    uv_loop_t loop;
    int running;
    async_context loop_ctx;
    async_task *current;
    async_task *main;
    async_list ready;              /* tasks to run, in order (ready_link) */
    async_list cancels;            /* tasks whose cancel hook must run (cancel_link) */
    async_list soon;               /* async__call_soon's work */
    async_list all;                /* every task not yet released, newest first */
    uv_signal_t sigint;
    int sigint_watched;            /* its uv_signal_init succeeded */
    uv_idle_t keep_polling;        /* active: libuv's poll must not block */
    int in_poll, polling_kept;
    int interrupts;
    int handoffs;                  /* since the loop last ran a task */
    const void *loop_stack_lo;     /* for AddressSanitizer's fiber switches */
    size_t loop_stack_size;
} sched;

/* ------------------------------------------------------------ switching */

/* AddressSanitizer must be told of every stack change (the loop stack's
 * bounds are learnt by the first task, which always starts from the loop). */
static void switch_into(async_context *from, async_context *to, const void *to_lo,
                        size_t to_size, int from_finished)
{
#ifdef ASYNC_ASAN
    void *fake = NULL;
    __sanitizer_start_switch_fiber(from_finished ? NULL : &fake, to_lo, to_size);
    async__context_switch(from, to);
    __sanitizer_finish_switch_fiber(fake, NULL, NULL);
#else
    (void)to_lo; (void)to_size; (void)from_finished;
    async__context_switch(from, to);
#endif
}

/* The stack's size matters to AddressSanitizer alone: not asked for at every
 * switch otherwise. */
#ifdef ASYNC_ASAN
#define ASAN_STACK_SIZE() async__stack_size()
#else
#define ASAN_STACK_SIZE() ((size_t)0)
#endif

static void to_loop(async_task *t, int finished)
{
    switch_into(&t->ctx, &sched.loop_ctx, sched.loop_stack_lo, sched.loop_stack_size, finished);
}

/* ------------------------------------------------------------- queues */

static void on_idle(uv_idle_t *h)
{
    (void)h;
}

/* A libuv callback that readies a task (or queues work for the loop) runs
 * inside uv_run, which would otherwise go on to block in its poll until the
 * next timer: an active idle handle makes that poll return at once. */
static void keep_polling(void)
{
    if (sched.in_poll && !sched.polling_kept) {
        sched.polling_kept = 1;
        uv_idle_start(&sched.keep_polling, on_idle);
    }
}

static void push_ready(async_task *t)
{
    keep_polling();
    async_list_push_back(&sched.ready, &t->ready_link);
}

static async_task *pop_ready(void)
{
    async_list *n = async_list_pop_front(&sched.ready);
    return n ? async_container_of(n, async_task, ready_link) : NULL;
}

/* A second queue, so that a waiting task's cancel hook runs on the loop's
 * stack even when the cancel came from another task. */
static void queue_cancel(async_task *t)
{
    if (t->cancel_queued)
        return;
    t->cancel_queued = 1;
    keep_polling();
    async_list_push_back(&sched.cancels, &t->cancel_link);
}

void async__call_soon(async_soon *node, void (*fn)(async_soon *node))
{
    keep_polling();
    node->fn = fn;
    async_list_push_back(&sched.soon, &node->link);
}

static void run_soon(void)
{
    for (async_list *n; (n = async_list_pop_front(&sched.soon));) {
        async_soon *work = async_container_of(n, async_soon, link);
        work->fn(work);
    }
}

/* A task woken after its cancel was queued still gets it (no cost to wakes) */
static void run_cancel_hooks(void)
{
    run_soon();
    for (async_list *n; (n = async_list_pop_front(&sched.cancels));) {
        async_task *t = async_container_of(n, async_task, cancel_link);
        t->cancel_queued = 0;
        if (t->state == ASYNC_TASK_READY && async__task_cancelled(t)) {
            t->wake_status = UV_ECANCELED;
        } else if (t->state == ASYNC_TASK_WAITING && t->on_cancel && async__task_cancelled(t)) {
            async_cancel_fn hook = t->on_cancel;
            t->on_cancel = NULL;
            hook(t->cancel_ctx);
        }
    }
}

/* ------------------------------------------------------------- scopes */

int async__task_cancelled(const async_task *t)
{
    for (const async_scope *s = t->scopes; s; s = s->outer) {
        if (s->cancelled)
            return 1;
        if (s->shield)
            return 0;
    }
    return 0;
}

int async__has_deadline(void)
{
    for (const async_scope *s = sched.current ? sched.current->scopes : NULL; s; s = s->outer)
        if (s->deadline)
            return 1;
    return 0;
}

/* woken_too: a task woken, not yet run, gets UV_ECANCELED all the same */
void async__scope_cancel(async_scope *s, int woken_too)
{
    if (s->cancelled)
        return;
    s->cancelled = 1;
    async_task *t = s->task;
    if (t && t->state == ASYNC_TASK_WAITING && t->on_cancel && async__task_cancelled(t))
        queue_cancel(t);
    else if (t && t->state == ASYNC_TASK_READY && woken_too && async__task_cancelled(t))
        t->wake_status = UV_ECANCELED;
}

/* ------------------------------------------------------------- awaits */

async_task *async__current(void)
{
    return sched.current;
}

_Thread_local unsigned char async__loop_thread;

/* Another thread sees sched.current (the task parked in async_to_thread) and
 * would switch stacks under the loop's feet: stop before any harm. */
void async__off_loop(const char *call)
{
    if (!sched.running)
        return;          /* outside async_run: the caller says so its own way */
    fprintf(stderr, "async: %s called from a to_thread function (off the loop thread); "
                    "only plain C may run there\n", call);
    abort();
}

/* At each await: the stacks past the guarded ones have no guard page, so
 * this is what catches a task whose stack pointer went past its end. */
static void check_stack_room(async_task *t)
{
    /* The frame address, not a local's: AddressSanitizer may move locals. */
    char *here = __builtin_frame_address(0);
    if (here < (char *)t->stack_lo + t->stack_guard + 256) {
        fprintf(stderr, "async: task '%s' has overflowed its %zu KiB stack; raise "
                        "ASYNC_STACK_SIZE (bytes)\n", t->name, async__stack_size() / 1024);
        abort();
    }
}

int async__park(async_cancel_fn on_cancel, void *ctx)
{
    return async__park_kind(on_cancel, ctx, ASYNC_WAIT_IO);
}

static void suspend(async_task *t, async_cancel_fn on_cancel, void *ctx, enum async_wait_kind kind)
{
    t->state = ASYNC_TASK_WAITING;
    t->on_cancel = on_cancel;
    t->cancel_ctx = ctx;
    if (on_cancel && async__task_cancelled(t))
        queue_cancel(t);
    if (async__tracing)
        async__trace(t, ASYNC_TRACE_SUSPEND, (int)kind);
    check_stack_room(t);
}

static int woken_status(async_task *t)
{
    t->on_cancel = NULL;
    t->wait.on = ASYNC_ON_NOTHING;
    if (t->wake_status == UV_ECANCELED && async__task_cancelled(t))
        t->saw_cancel = 1;
    return t->wake_status;
}

int async__park_kind(async_cancel_fn on_cancel, void *ctx, enum async_wait_kind kind)
{
    async_task *t = sched.current;
    suspend(t, on_cancel, ctx, kind);
    to_loop(t, 0);
    return woken_status(t);
}

/* A rendezvous (a generator handing over an item) switches straight into
 * the waiting partner instead of going through the loop: half the switches.
 * After a few in a row it takes the loop's way, so that I/O, timers and
 * Ctrl-C are never starved by a busy pair. */
int async__handoff(async_task *to, int to_status, async_cancel_fn on_cancel, void *ctx)
{
    async_task *self = sched.current;
    if (to->state != ASYNC_TASK_WAITING || sched.handoffs >= HANDOFF_BUDGET) {
        async__wake(to, to_status);
        return async__park_kind(on_cancel, ctx, ASYNC_WAIT_TASKS);
    }
    sched.handoffs++;
    suspend(self, on_cancel, ctx, ASYNC_WAIT_TASKS);
    to->wake_status = to_status;
    to->on_cancel = NULL;
    to->state = ASYNC_TASK_RUNNING;
    sched.current = to;
    if (async__tracing)
        async__trace(to, ASYNC_TRACE_RESUME, 0);
    if (async__debug) {
        uint64_t now = uv_hrtime();
        async__debug_slice_end(self, now - self->slice_start_ns);
        to->slice_start_ns = now;
    }
    switch_into(&self->ctx, &to->ctx, to->stack_lo, ASAN_STACK_SIZE(), 0);
    return woken_status(self);
}

void async__wake(async_task *t, int rc)
{
    if (t->state != ASYNC_TASK_WAITING)
        return;
    t->wake_status = rc;
    t->on_cancel = NULL;
    t->state = ASYNC_TASK_READY;
    push_ready(t);
}

int async__yield(void)
{
    async_task *t = sched.current;
    t->wake_status = 0;            /* UV_ECANCELED if cancelled while ready */
    t->state = ASYNC_TASK_READY;
    push_ready(t);
    if (async__tracing)
        async__trace(t, ASYNC_TRACE_SUSPEND, ASYNC_WAIT_TASKS);
    to_loop(t, 0);
    if (t->wake_status)
        t->saw_cancel = 1;
    return t->wake_status;
}

/* Level-triggered: a cancelled task's awaits fail at once, but still yield
 * once, so that a task that ignores UV_ECANCELED cannot freeze the loop. */
int async__check(void)
{
    async__on_loop("an await (async_sleep, a semaphore, an I/O call...)");
    async_task *t = sched.current;
    if (!t)                        /* an await outside any task */
        return async__outside_task("an await (async_sleep, a semaphore, an I/O call...)");
    if (t->scopes != &t->root)     /* a scope left open by a returned function? */
        async__scopes_check(t, __builtin_frame_address(0));
    if (!async__task_cancelled(t))
        return 0;
    if (t->saw_cancel && async__debug)
        async__debug_recancel(t);
    if (t->pending_at_exit && ++t->cancels_at_exit == ASYNC_CANCELS_AT_EXIT)
        async__misuse_spins_at_exit(t);      /* the run could never end */
    t->saw_cancel = 1;
    async__yield();
    return UV_ECANCELED;
}

int async_cancelled(void)
{
    async__on_loop("async_cancelled");
    return sched.current && async__task_cancelled(sched.current);
}

/* -------------------------------------------------------------- tasks */

static void task_entry(void)
{
    async_task *t = sched.current;
#ifdef ASYNC_ASAN
    if (sched.loop_stack_lo)
        __sanitizer_finish_switch_fiber(NULL, NULL, NULL);
    else
        __sanitizer_finish_switch_fiber(NULL, &sched.loop_stack_lo, &sched.loop_stack_size);
#endif
    /* A task cancelled before its first run never runs its body. */
    int rc = async__task_cancelled(t) ? UV_ECANCELED : t->fn(t->arg);
    if (t->scopes != &t->root)
        async__scope_returned_inside(t);
    t->status = rc;
    t->state = ASYNC_TASK_DONE;
    if (t->awaiter)
        async__wake(t->awaiter, 0);
    if (t->done_hook)
        t->done_hook(t, t->done_ctx);
    if (async__tracing)
        async__trace(t, ASYNC_TRACE_DONE, rc);
    to_loop(t, 1);
    abort();   /* a finished task is never resumed */
}

async_task *async__task_new_ex(async_fn fn, void *arg, const char *name,
                               const char *file, int line, size_t extra, void **extra_out)
{
    size_t guard;
    void *lo = async__stack_alloc(&guard);
    if (!lo)
        return NULL;
    /* The record sits at the top of its own stack: one fresh page per task. */
    size_t size = async__stack_size();
    size_t head = (sizeof(async_task) + 15) & ~(size_t)15;   /* the owner's bytes follow, aligned */
    size_t rec = (head + extra + 63) & ~(size_t)63;
    async_task *t = (async_task *)((char *)lo + size - rec);
    _Static_assert(sizeof(async_task) - offsetof(async_task, label) - ASYNC_TASK_LABEL_MAX <
                       _Alignof(async_task), "the label is the record's last field");
    memset(t, 0, offsetof(async_task, label));   /* not the label's bytes: W1 pays for none */
    t->label[0] = '\0';
    if (extra_out)
        *extra_out = (char *)t + head;
    t->stack_lo = lo;
    t->stack_guard = guard;
    t->fn = fn;
    t->arg = arg;
    t->file = file;
    t->line = line;
    t->id = ++async__last_id;
    t->stamp = (uint16_t)t->id;
    t->stamp += t->stamp == 0;      /* never 0: an unstamped pointer is the core's own */
    t->parent_id = sched.current ? sched.current->id : 0;
    t->state = ASYNC_TASK_READY_NEW;
    t->scopes = &t->root;
    t->root.task = t;
    t->timer.index = SIZE_MAX;
    async__set_name(t, name);
    async__context_init(&t->ctx, lo, size - rec, task_entry);
    async_list_push_front(&sched.all, &t->all_link);
    push_ready(t);
    if (async__tracing)
        async__trace(t, ASYNC_TRACE_CREATE, 0);
    return t;
}

async_task *async__task_new(async_fn fn, void *arg, const char *name, const char *file, int line)
{
    return async__task_new_ex(fn, arg, name, file, line, 0, NULL);
}

void async__task_release(async_task *t)
{
    t->released = 1;                 /* until the slot is reused: handle.c */
    async_list_remove(&t->all_link);
    async__stack_free(t->stack_lo, t->stack_guard);
}

#undef async_create_task
async_task *async_create_task(async_fn fn, void *arg)
{
    return async_create_task_at(fn, arg, "task", NULL, 0);
}

async_task *async_create_task_at(async_fn fn, void *arg, const char *name,
                                 const char *file, int line)
{
    async__on_loop("async_create_task");
    if (!sched.running || !fn)
        return NULL;
    return async__handle(async__task_new(fn, arg, name, file, line));
}

static void await_cancel(void *ctx)
{
    async_task *t = ctx;
    async_task *waiter = t->awaiter;
    t->awaiter = NULL;
    async__wake(waiter, UV_ECANCELED);
}

int async_await_at(async_task *handle, const char *file, int line)
{
    async__on_loop("async_await");
    async_task *self = sched.current;
    if (!self)
        return async__outside_task("async_await");
    if (!handle)
        return UV_EINVAL;
    const async_task *stale;
    async_task *t = async__record_of(handle, &stale);
    if (!t)
        async__stale_await(stale);
    if (t == self)
        async__misuse(file, line, "a task cannot await itself (it would wait for ever)");
    if (t->owned)
        async__misuse(file, line, "task '%s' belongs to a task group or generator, which "
                      "awaits it: await the group (async_taskgroup_wait), not its task", t->name);
    if (t->awaiter)
        async__misuse(file, line, "task '%s' is already awaited by task '%s': a task is "
                      "awaited once, and its result released to that await", t->name,
                      t->awaiter->name);
    if (t->state != ASYNC_TASK_DONE) {
        int rc = async__check();
        if (rc)
            return rc;
        t->awaiter = self;
        async__wait_set(self, ASYNC_ON_TASK, t, file, line);
        rc = async__park_kind(await_cancel, t, ASYNC_WAIT_TASKS);
        if (rc && (t = async__record_of(handle, &stale)) && t->awaiter == self)
            t->awaiter = NULL;   /* t ended before the cancel: it stays awaitable */
        if (rc)
            return rc;
    }
    int status = t->status;
    async__task_release(t);
    return status;
}

/* After its release, as Python's cancel() on a done task: 0, nothing done. */
int async_cancel(async_task *handle)
{
    async__on_loop("async_cancel");
    const async_task *stale;
    async_task *t = handle && sched.running ? async__record_of(handle, &stale) : NULL;
    if (!t || t->state == ASYNC_TASK_DONE)
        return 0;
    if (async__tracing)
        async__trace(t, ASYNC_TRACE_CANCEL, 0);
    async__scope_cancel(&t->root, 1);
    return 1;
}

async_task *async_current_task(void)
{
    async__on_loop("async_current_task");   /* another thread would get main's */
    return async__handle(sched.current);
}

double async_time(void)
{
    return (double)uv_hrtime() / 1e9;
}

uv_loop_t *async_loop(void)
{
    async__on_loop("async_loop");   /* a libuv loop is not thread-safe */
    return sched.running ? &sched.loop : NULL;
}

int async_interrupted(void)
{
    return sched.interrupts > 0;
}

async_list *async__all_tasks(void) { return &sched.all; }
async_list *const async__gdb_all_tasks = &sched.all;   /* for scripts/gdb/async_gdb.py */
uint64_t async__task_id(const async_task *t) { return t->id; }
uint64_t async__next_task_id(void) { return async__last_id + 1; }

void async__task_on_done(async_task *t, async_done_hook hook, void *ctx)
{
    t->owned = 1;
    t->done_hook = hook;
    t->done_ctx = ctx;
}

void async__task_detach(async_task *t)
{
    t->detached = 1;
}

/* ---------------------------------------------------------- scheduling */

static void run_slice(async_task *t)
{
    t->state = ASYNC_TASK_RUNNING;
    sched.current = t;
    sched.handoffs = 0;
    if (async__tracing)
        async__trace(t, ASYNC_TRACE_RESUME, 0);
    if (async__debug)
        t->slice_start_ns = uv_hrtime();
    switch_into(&sched.loop_ctx, &t->ctx, t->stack_lo, ASAN_STACK_SIZE(), 0);
    t = sched.current;                 /* after handoffs, maybe another task */
    sched.current = NULL;
    if (async__debug)
        async__debug_slice_end(t, uv_hrtime() - t->slice_start_ns);
    if (t->state == ASYNC_TASK_DONE && t->detached)
        async__task_release(t);
}

static void run_ready(void)
{
    for (int budget = READY_BUDGET; budget > 0; budget--) {
        run_cancel_hooks();
        async_task *t = pop_ready();
        if (!t)
            break;
        run_slice(t);
    }
    run_cancel_hooks();
}

static void poll_io(void)
{
    async__timers_arm();
    int busy = !async_list_empty(&sched.ready) || !async_list_empty(&sched.soon) ||
               !async_list_empty(&sched.cancels);
    sched.in_poll = 1;
    int more = uv_run(&sched.loop, busy ? UV_RUN_NOWAIT : UV_RUN_ONCE);
    sched.in_poll = 0;
    if (sched.polling_kept) {
        uv_idle_stop(&sched.keep_polling);
        sched.polling_kept = 0;
    }
    if (!more && async_list_empty(&sched.ready) && async_list_empty(&sched.cancels) &&
        async_list_empty(&sched.soon) && !async__timers_pending()) {
        /* Nothing can ever wake a waiting task: say where each one waits,
         * then cancel them all rather than hang. */
        fprintf(stderr, "async: deadlock: every task is waiting and nothing can wake them;"
                        " cancelling them. Where each one waits:\n");
        async_print_tasks(stderr);
        async_list_for_each(n, &sched.all)
            async_cancel(async_container_of(n, async_task, all_link));
        run_cancel_hooks();
        if (async_list_empty(&sched.ready)) {
            fprintf(stderr, "async: deadlock persists after cancelling; aborting\n");
            abort();
        }
    }
}

static int all_done(void)
{
    async_list_for_each(n, &sched.all)
        if (async_container_of(n, async_task, all_link)->state != ASYNC_TASK_DONE)
            return 0;
    return 1;
}

/* ------------------------------------------------------------- Ctrl-C */

static void on_sigint(uv_signal_t *h, int signum)
{
    (void)h; (void)signum;
    if (++sched.interrupts > 1) {
        static const char msg[] = "async: second Ctrl-C: exiting without cleanup\n";
        if (write(2, msg, sizeof msg - 1) < 0) { /* nothing more to do */ }
        _exit(130);
    }
    async_cancel(sched.main);
}

/* ------------------------------------------------------------ the end */

static void cancel_leftovers(void)
{
    async_list_for_each(n, &sched.all) {
        async_task *t = async_container_of(n, async_task, all_link);
        if (t->state != ASYNC_TASK_DONE) {
            t->pending_at_exit = 1;
            async_cancel(t);
        }
    }
    while (!all_done()) {
        run_ready();
        if (!all_done())
            poll_io();
    }
}

static void free_everything(void)
{
    while (!async_list_empty(&sched.all))
        async__task_release(async_container_of(sched.all.next, async_task, all_link));
    async__timers_close();
    if (sched.sigint_watched)
        uv_close((uv_handle_t *)&sched.sigint, NULL);
    async__sigquit_close();
    uv_close((uv_handle_t *)&sched.keep_polling, NULL);
    async__loop_close(&sched.loop);
    async__stack_pool_destroy();
    async__overflow_handler_remove();
}

int async_run(async_fn main_fn, void *arg)
{
    async__on_loop("async_run");
    if (sched.running)
        async__misuse_run_inside_run();      /* Python: RuntimeError */
    int rc = async__loop_init(&sched.loop);
    if (rc)
        return rc;
    sched.running = 1;
    async__loop_thread = 1;
    sched.interrupts = 0;
    async_list_init(&sched.ready);
    async_list_init(&sched.cancels);
    async_list_init(&sched.soon);
    async_list_init(&sched.all);
    sched.loop_stack_lo = NULL;
    signal(SIGPIPE, SIG_IGN);   /* a peer that hangs up is an EPIPE, not our death */
    async__debug_init();
    async__trace_run_begin();
    async__timers_init(&sched.loop);
    async__overflow_handler_install();
    uv_idle_init(&sched.loop, &sched.keep_polling);
    sched.sigint_watched = uv_signal_init(&sched.loop, &sched.sigint) == 0;
    if (sched.sigint_watched) {
        uv_signal_start(&sched.sigint, on_sigint, SIGINT);
        uv_unref((uv_handle_t *)&sched.sigint);
    } else {
        fprintf(stderr, "async: Ctrl-C will not cancel main: no descriptor left to watch "
                        "for it\n");
    }
    async__sigquit_start(&sched.loop);

    async__first_id = async__last_id + 1;     /* handles from earlier runs: handle.h */
    sched.main = async__task_new(main_fn, arg, "main", NULL, 0);
    if (!sched.main) {
        rc = UV_ENOMEM;
    } else {
        while (sched.main->state != ASYNC_TASK_DONE) {
            run_ready();
            if (sched.main->state != ASYNC_TASK_DONE)
                poll_io();
        }
        rc = sched.main->status;
        cancel_leftovers();
        if (!sched.interrupts)      /* Ctrl-C: asyncio.run cancels the rest quietly */
            async__report_leftovers(sched.main);
    }
    async__resources_abandon();     /* every task has ended: none can be inside one */
    int trace_rc = async__trace_run_end();
    if (trace_rc && rc == 0)
        rc = trace_rc;          /* a run whose trace was lost did not fully succeed */
    free_everything();
    sched.running = 0;
    async__loop_thread = 0;
    sched.main = NULL;
    if (sched.interrupts) {
        fflush(NULL);
        exit(130);
    }
    return rc;
}

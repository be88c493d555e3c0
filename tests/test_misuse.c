/* test_misuse.c: a learner's mistakes are named, in one line, and the
 * program stops (abort) instead of corrupting memory, hanging or dying of a
 * bare signal; or the core behaves as asyncio does. Each mistake runs in a
 * forked child, bounded by an alarm: a hang would end it by SIGALRM. */
#include "support.h"
#include "platform.h"
#include "async_http.h"
#include "async_lines.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { LIMIT_SECONDS = 30 };   /* valgrind is slow; a hang is far longer */

/* The mistake, run as main in a child that a hang cannot keep alive. */
typedef struct mistake { async_fn fn; } mistake;

static int bounded(void *arg)
{
    alarm(LIMIT_SECONDS);
    return ((mistake *)arg)->fn(NULL);
}

/* Runs fn as main in a child; it must end by abort() with every needle in
 * one line of its stderr. */
static void stops_naming(async_fn fn, const char *const needles[])
{
    mistake m = { fn };
    char *err = NULL;
    int status = run_forked(bounded, &m, &err);
    const char *line = strstr(err, "async: ");
    if (status != 128 + SIGABRT || !line)
        print_error("status %d, stderr:\n%s\n", status, err);
    assert_int_equal(status, 128 + SIGABRT);
    assert_non_null(line);
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    for (int i = 0; needles[i]; i++) {
        const char *hit = strstr(line, needles[i]);
        if (!hit || hit >= line + len)
            print_error("missing \"%s\" in: %.*s\n", needles[i], (int)len, line);
        assert_true(hit && hit < line + len);
    }
    free(err);
}

#define NEEDLES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* ------------------------------------------------ 1. a scope left open */

static int op(void *arg)
{
    (void)arg;
    async_timeout t;
    async_timeout_enter(&t, 1);
    int rc = async_sleep(0.01);
    if (rc == 0)
        return 0;                  /* the slip: async_timeout_exit skipped */
    return async_timeout_exit(&t, rc);
}

static int awaits_op(void *arg)
{
    (void)arg;
    return async_await(async_create_task(op, NULL));
}

static void a_task_returning_inside_a_timeout_is_named(void **state)
{
    (void)state;
    stops_naming(awaits_op, NEEDLES("task 'op': returned inside a timeout entered at ",
                                    "test_misuse.c:", "(async_timeout_exit was skipped)"));
}

/* Exercise 7's slip: a helper that skips the exit on success, called twice. */
__attribute__((noinline)) static int with_timeout(double sleep_for, double seconds)
{
    async_timeout t;
    async_timeout_enter(&t, seconds);
    int rc = async_sleep(sleep_for);
    if (rc == 0)
        return 0;
    return async_timeout_exit(&t, rc);
}

static int helper_skips_exit(void *arg)
{
    (void)arg;
    with_timeout(0.01, 0.5);
    return with_timeout(2, 0.1);
}

static void a_helper_that_skipped_its_exit_is_named_at_the_next_enter(void **state)
{
    (void)state;
    stops_naming(helper_skips_exit, NEEDLES("task 'main': ", "timeout", "test_misuse.c:",
                                            "async_timeout_exit"));
}

__attribute__((noinline)) static void enter_and_forget(async_shield *s)
{
    async_shield_enter(s);
}

__attribute__((noinline)) static int shield_in_helper(void)
{
    async_shield s;
    enter_and_forget(&s);       /* fine: s lives in this frame */
    return async_sleep(0.001);
}

static int helper_returns_inside_shield(void *arg)
{
    (void)arg;
    shield_in_helper();         /* returns with its shield still entered */
    return async_sleep(0.01);
}

static void a_function_that_returned_inside_a_shield_is_named_at_the_next_await(void **state)
{
    (void)state;
    stops_naming(helper_returns_inside_shield,
                 NEEDLES("task 'main': left a shield open: the function that entered it at ",
                         "test_misuse.c:", "returned without async_shield_exit"));
}

static int child(void *arg)
{
    (void)arg;
    return async_sleep(0.01);
}

static int group_never_waited(void *arg)
{
    (void)arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    async_taskgroup_create_task(&tg, child, NULL);
    return 0;                   /* the slip: async_taskgroup_wait skipped */
}

static void a_group_never_waited_is_named(void **state)
{
    (void)state;
    stops_naming(group_never_waited,
                 NEEDLES("task 'main': returned inside a task group entered at ",
                         "test_misuse.c:", "(async_taskgroup_wait was skipped)"));
}

static int timeout_entered_twice(void *arg)
{
    (void)arg;
    async_timeout t;
    async_timeout_enter(&t, 1);
    async_timeout_enter(&t, 1);
    return async_timeout_exit(&t, 0);
}

static void a_scope_entered_twice_is_named(void **state)
{
    (void)state;
    stops_naming(timeout_entered_twice,
                 NEEDLES("task 'main': entered a timeout at ", "that was still entered (since ",
                         "async_timeout_exit was skipped"));
}

static int shield_exited_twice(void *arg)
{
    (void)arg;
    async_shield s;
    async_shield_enter(&s);
    async_shield_exit(&s);
    async_shield_exit(&s);
    return 0;
}

static void a_scope_exited_twice_is_named(void **state)
{
    (void)state;
    stops_naming(shield_exited_twice,
                 NEEDLES("task 'main': exited the shield entered at ", "test_misuse.c:",
                         "twice"));
}

static int group_waited_twice(void *arg)
{
    (void)arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    async_taskgroup_create_task(&tg, child, NULL);
    async_taskgroup_wait(&tg);
    return async_taskgroup_wait(&tg);
}

/* Python: RuntimeError, "TaskGroup ... has not been entered" / "is finished".
 * A NULL here was a child that never ran, without a word. */
static async_taskgroup never_entered;

static int creates_in_a_group_never_entered(void *arg)
{
    (void)arg;
    return async_await(async_taskgroup_create_task(&never_entered, child, NULL));
}

static int creates_after_the_wait(void *arg)
{
    (void)arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    async_taskgroup_create_task(&tg, child, NULL);
    async_taskgroup_wait(&tg);
    async_taskgroup_create_task(&tg, child, NULL);   /* the slip: after the block */
    return 0;
}

static void a_group_used_outside_its_block_is_named(void **state)
{
    (void)state;
    stops_naming(creates_in_a_group_never_entered,
                 NEEDLES("task 'main': async_taskgroup_create_task on a task group never "
                         "entered: call async_taskgroup_init first", "test_misuse.c:"));
    stops_naming(creates_after_the_wait,
                 NEEDLES("task 'main': async_taskgroup_create_task on a task group that has "
                         "ended", "TaskGroup is finished", "test_misuse.c:"));
}

static void a_group_waited_twice_is_named(void **state)
{
    (void)state;
    stops_naming(group_waited_twice,
                 NEEDLES("exited the task group entered at ", "twice",
                         "(async_taskgroup_wait was called again)"));
}

static int exits_out_of_order(void *arg)
{
    (void)arg;
    async_timeout t;
    async_shield s;
    async_timeout_enter(&t, 1);
    async_shield_enter(&s);
    int rc = async_timeout_exit(&t, 0);
    async_shield_exit(&s);
    return rc;
}

static void exits_out_of_order_are_named(void **state)
{
    (void)state;
    stops_naming(exits_out_of_order,
                 NEEDLES("exited the timeout entered at ", "while a shield entered at ",
                         "async_shield_exit was skipped"));
}

/* One timeout struct shared by every worker (a global): the second worker's
 * enter relinks it into its own task, and the first's exit would then take
 * the second's scopes for its own. Python: "Timeout has already been entered". */
static async_timeout one_for_all;

static int worker_in_shared_timeout(void *arg)
{
    (void)arg;
    async_timeout_enter(&one_for_all, 1);
    int rc = async_sleep(0.01);
    return async_timeout_exit(&one_for_all, rc);
}

static int two_workers_share_a_timeout(void *arg)
{
    (void)arg;
    async_task *a = async_create_task(worker_in_shared_timeout, NULL);
    async_task *b = async_create_task(worker_in_shared_timeout, NULL);
    int rc = async_await(a);
    return rc ? rc : async_await(b);
}

/* A scope exited by a task other than the one inside it (a closer task). */
static async_timeout main_timeout;

static int exits_mains_timeout(void *arg)
{
    (void)arg;
    return async_timeout_exit(&main_timeout, 0);
}

static int another_task_exits_the_timeout(void *arg)
{
    (void)arg;
    async_timeout_enter(&main_timeout, 1);
    int rc = async_await(async_create_task(exits_mains_timeout, NULL));
    return async_timeout_exit(&main_timeout, rc);
}

/* The same with a task group: the second init zeroed the count while the
 * first task's children ran, and the first task waited for ever. */
static async_taskgroup one_group_for_all;

static int worker_in_shared_group(void *arg)
{
    (void)arg;
    async_taskgroup_init(&one_group_for_all);
    for (int i = 0; i < 3; i++)
        async_taskgroup_create_task(&one_group_for_all, child, NULL);
    return async_taskgroup_wait(&one_group_for_all);
}

static int two_workers_share_a_group(void *arg)
{
    (void)arg;
    async_task *a = async_create_task(worker_in_shared_group, NULL);
    async_task *b = async_create_task(worker_in_shared_group, NULL);
    int rc = async_await(a);
    return rc ? rc : async_await(b);
}

static void a_scope_entered_by_two_tasks_is_named(void **state)
{
    (void)state;
    stops_naming(two_workers_share_a_timeout,
                 NEEDLES("task 'worker_in_shared_timeout': the timeout this task entered at ",
                         "test_misuse.c:", "was entered again by task "
                         "'worker_in_shared_timeout' at ", "give each task its own"));
    stops_naming(another_task_exits_the_timeout,
                 NEEDLES("task 'exits_mains_timeout': called async_timeout_exit on the timeout "
                         "that task 'main' entered at ", "test_misuse.c:",
                         "only the task that entered a scope exits it"));
    stops_naming(two_workers_share_a_group,
                 NEEDLES("task 'child': its task group was entered again, by task "
                         "'worker_in_shared_group' at ", "test_misuse.c:",
                         "give each task its own"));
}

/* The checks must not fire on correct code: nested, sequential, helpers
 * that enter for their caller (the scope lives in the caller's frame). */
static int correct_scopes(void *arg)
{
    int *ok = arg;
    for (int i = 0; i < 3; i++) {
        async_timeout t;
        async_timeout_enter(&t, 1);
        async_shield s;
        enter_and_forget(&s);
        int rc = async_sleep(0.001);
        async_shield_exit(&s);
        rc = async_timeout_exit(&t, rc);
        *ok += rc == 0;
    }
    return 0;
}

static void correct_scopes_pass_the_checks(void **state)
{
    (void)state;
    int ok = 0;
    assert_int_equal(async_run(correct_scopes, &ok), 0);
    assert_int_equal(ok, 3);
}

/* ------------------------------- 2. a task handle used after its release */

static int value_7(void *arg) { (void)arg; return 7; }
static int naps(void *arg) { (void)arg; return async_sleep(0.05); }

static uintptr_t address_of(const async_task *h) { return (uintptr_t)h & 0xFFFFFFFFFFFFu; }

static int awaits_twice(void *arg)
{
    (void)arg;
    async_task *t = async_create_task(value_7, NULL);
    async_await(t);
    return async_await(t);          /* the record is back in the pool, not reused */
}

static int awaits_twice_after_reuse(void *arg)
{
    (void)arg;
    async_task *t = async_create_task(value_7, NULL);
    async_await(t);
    async_task *other = async_create_task(naps, NULL);   /* takes t's stack slot */
    if (address_of(other) != address_of(t))
        return fprintf(stderr, "async: test: the slot was not reused\n"), -1;
    async_await(t);                 /* must not await `other` */
    return async_await(other);
}

static void a_second_await_is_named(void **state)
{
    (void)state;
    stops_naming(awaits_twice, NEEDLES("task 'main': awaited task 'value_7' (created at ",
                                       "test_misuse.c:", ") a second time: async_await "
                                       "releases the task; keep its result instead"));
    stops_naming(awaits_twice_after_reuse,
                 NEEDLES("async_await was given a task that was already released",
                         "keep its result instead"));
}

/* Python: a TaskGroup child's result can still be read after the block; here
 * the group released it, which must not be called "a second time". */
static int awaits_a_child_after_its_group(void *arg)
{
    (void)arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    async_task *kid = async_taskgroup_create_task(&tg, value_7, NULL);
    async_taskgroup_wait(&tg);
    return async_await(kid);
}

/* A handle kept from an earlier async_run: that run's stacks are unmapped
 * (2,000 tasks filled more than the first slab), so its record cannot even
 * be read. */
enum { EARLIER_TASKS = 2000 };
static async_task *kept_from_earlier_run;

static int makes_many_keeps_the_last(void *arg)
{
    (void)arg;
    static async_task *made[EARLIER_TASKS];
    for (int i = 0; i < EARLIER_TASKS; i++)
        made[i] = async_create_task(value_7, NULL);
    for (int i = 0; i < EARLIER_TASKS - 1; i++)
        async_await(made[i]);
    kept_from_earlier_run = made[EARLIER_TASKS - 1];   /* never awaited: named, fine */
    return 0;
}

static int awaits_the_kept_task(void *arg)
{
    (void)arg;
    return async_await(kept_from_earlier_run);
}

static int cancels_the_kept_task(void *arg)
{
    (void)arg;
    return async_cancel(kept_from_earlier_run);
}

static void a_released_handle_is_named_for_how_it_was_released(void **state)
{
    (void)state;
    stops_naming(awaits_a_child_after_its_group,
                 NEEDLES("task 'main': awaited task 'value_7' (created at ", "test_misuse.c:",
                         "which belonged to a task group: the group awaited it"));
    assert_int_equal(async_run(makes_many_keeps_the_last, NULL), 0);
    stops_naming(awaits_the_kept_task,
                 NEEDLES("task 'main': async_await was given a task created in an earlier "
                         "async_run"));
    assert_int_equal(async_run(cancels_the_kept_task, NULL), 0);   /* Python: False */
}

typedef struct reuse { int cancel_rc, other_rc, reused, name_ok; } reuse;

static int cancels_after_await(void *arg)
{
    reuse *r = arg;
    async_task *t = async_create_task(value_7, NULL);
    async_await(t);
    async_task *other = async_create_task(naps, NULL);
    r->reused = address_of(other) == address_of(t);
    r->cancel_rc = async_cancel(t);                  /* Python: False, nothing done */
    r->name_ok = strcmp(async_task_name(t), "(released)") == 0 &&
                 strcmp(async_task_name(other), "naps") == 0;
    r->other_rc = async_await(other);
    return 0;
}

static void a_cancel_after_the_await_acts_on_nothing(void **state)
{
    (void)state;
    reuse r = { -1, -1, 0, 0 };
    assert_int_equal(async_run(cancels_after_await, &r), 0);
    assert_true(r.reused);                 /* the case that hurt: another task there */
    assert_int_equal(r.cancel_rc, 0);
    assert_true(r.name_ok);
    assert_int_equal(r.other_rc, 0);       /* it was not cancelled */
}

static int group_child_cancelled_late(void *arg)
{
    reuse *r = arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    async_task *kid = async_taskgroup_create_task(&tg, value_7, NULL);
    async_taskgroup_wait(&tg);                       /* the group freed kid */
    async_task *other = async_create_task(naps, NULL);
    r->reused = address_of(other) == address_of(kid);
    r->cancel_rc = async_cancel(kid);
    r->other_rc = async_await(other);
    return 0;
}

static void a_group_child_cancelled_after_it_ended_acts_on_nothing(void **state)
{
    (void)state;
    reuse r = { -1, -1, 0, 0 };
    assert_int_equal(async_run(group_child_cancelled_late, &r), 0);
    assert_true(r.reused);
    assert_int_equal(r.cancel_rc, 0);
    assert_int_equal(r.other_rc, 0);
}

/* ------------------------------- 3. core calls from a to_thread function */

static async_semaphore shared_sem;

static int sleeps_in_thread(void *arg) { (void)arg; return async_sleep(0.01); }
static int releases_in_thread(void *arg) { (void)arg; async_semaphore_release(&shared_sem); return 0; }
static int creates_in_thread(void *arg) { (void)arg; return async_create_task(child, NULL) ? 0 : -1; }
static int awaits_in_thread(void *arg) { return async_await(arg); }

static int loop_in_thread(void *arg) { (void)arg; return async_loop() ? 0 : -1; }
static int current_in_thread(void *arg) { (void)arg; return async_current_task() ? 0 : -1; }
static int runs_in_thread(void *arg) { (void)arg; return async_run(child, NULL); }

static int to_thread_sleeps(void *arg) { (void)arg; return async_to_thread(sleeps_in_thread, NULL); }
static int to_thread_loop(void *arg) { (void)arg; return async_to_thread(loop_in_thread, NULL); }
static int to_thread_current(void *arg) { (void)arg; return async_to_thread(current_in_thread, NULL); }
static int to_thread_runs(void *arg) { (void)arg; return async_to_thread(runs_in_thread, NULL); }

static int to_thread_releases(void *arg)
{
    (void)arg;
    async_semaphore_init(&shared_sem, 0);
    async_to_thread(releases_in_thread, NULL);
    return async_semaphore_acquire(&shared_sem);
}

static int to_thread_creates(void *arg) { (void)arg; return async_to_thread(creates_in_thread, NULL); }

static int to_thread_awaits(void *arg)
{
    (void)arg;
    return async_to_thread(awaits_in_thread, async_create_task(child, NULL));
}

/* On the loop's thread but in no task: a libuv callback of the program's.
 * The await was refused with a bare UV_EINVAL a callback cannot even pass on. */
static async_task *awaited_from_callback;

static void awaits_in_callback(uv_timer_t *timer)
{
    async_await(awaited_from_callback);
    uv_close((uv_handle_t *)timer, NULL);
}

static int callback_awaits(void *arg)
{
    (void)arg;
    static uv_timer_t timer;
    uv_timer_init(async_loop(), &timer);
    awaited_from_callback = async_create_task(child, NULL);
    uv_timer_start(&timer, awaits_in_callback, 1, 0);
    async_sleep(0.05);
    return async_await(awaited_from_callback);
}

static void core_calls_off_the_loop_thread_are_named(void **state)
{
    (void)state;
    stops_naming(to_thread_sleeps, NEEDLES("async: async_sleep called from a to_thread "
                                           "function (off the loop thread); only plain C "
                                           "may run there"));
    stops_naming(to_thread_releases, NEEDLES("async_semaphore_release called from a to_thread"));
    stops_naming(to_thread_creates, NEEDLES("async_create_task called from a to_thread"));
    stops_naming(to_thread_awaits, NEEDLES("async_await called from a to_thread"));
    /* not awaits, but the loop's own state, which another thread must not touch */
    stops_naming(to_thread_loop, NEEDLES("async_loop called from a to_thread"));
    stops_naming(to_thread_current, NEEDLES("async_current_task called from a to_thread"));
    stops_naming(to_thread_runs, NEEDLES("async_run called from a to_thread"));
    stops_naming(callback_awaits, NEEDLES("async: async_await called outside any task (from "
                                          "a libuv callback?): only a task can await"));
}

static int outside_run_gen(async_generator *g, void *arg) { (void)g; (void)arg; return 0; }

/* Outside async_run (no loop thread at all) the calls refuse, as before. */
static void outside_async_run_calls_are_refused_not_stopped(void **state)
{
    (void)state;
    assert_null(async_create_task(child, NULL));
    assert_null(async_generator_create(outside_run_gen, NULL));
    assert_int_equal(async_sleep(0.01), UV_EINVAL);
}

/* Awaiting a task that cannot be awaited here: itself, a group's child (the
 * group awaits it), or one another task already awaits. Each is named at the
 * await's line, not refused with a bare UV_EINVAL a learner would ignore. */
static int awaits_itself(void *arg)
{
    (void)arg;
    return async_await(async_current_task());
}

static int naps_once(void *arg) { (void)arg; return async_sleep(0.05); }

static int awaits_a_group_child(void *arg)
{
    (void)arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    async_task *child = async_taskgroup_create_task(&tg, naps_once, NULL);
    async_await(child);
    return async_taskgroup_wait(&tg);
}

static int awaits_the_child(void *arg) { return async_await(arg); }

static int awaited_twice_at_once(void *arg)
{
    (void)arg;
    async_task *slow = async_create_task(naps_once, NULL);
    async_task *first = async_create_task(awaits_the_child, slow);
    async_sleep(0.01);                  /* first is now inside its await */
    async_await(slow);
    return async_await(first);
}

static void awaiting_what_cannot_be_awaited_is_named(void **state)
{
    (void)state;
    stops_naming(awaits_itself, NEEDLES("task 'main'", "cannot await itself", "test_misuse.c:"));
    stops_naming(awaits_a_group_child, NEEDLES("task 'naps_once' belongs to a task group",
                                               "await the group", "test_misuse.c:"));
    stops_naming(awaited_twice_at_once, NEEDLES("task 'naps_once' is already awaited by task "
                                                "'awaits_the_child'", "test_misuse.c:"));
}

/* ------------------------ 4. closing what another task is inside */

static int slow_items(async_generator *g, void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        if (async_sleep(0.05) || async_yield(g, NULL))
            return 0;
    }
    return 0;
}

static int next_one(void *arg)
{
    void *item;
    return async_next(arg, &item) < 0 ? -1 : 0;
}

static int closes_while_another_is_in_next(void *arg)
{
    (void)arg;
    async_generator *g = async_generator_create(slow_items, NULL);
    async_task *consumer = async_create_task(next_one, g);
    async_sleep(0.01);                      /* the consumer waits in async_next */
    async_generator_close(g);
    return async_await(consumer);
}

static int two_consumers(void *arg)
{
    (void)arg;
    async_generator *g = async_generator_create(slow_items, NULL);
    async_task *first = async_create_task(next_one, g);
    async_sleep(0.01);
    void *item;
    async_next(g, &item);
    async_await(first);
    return async_generator_close(g);
}

/* The consumer yields into the generator it reads (or a helper task of the
 * body does): a deadlock report blamed "an await that says nothing of
 * itself"; a helper's item was handed on as if the body had yielded it. */
static int counts_to_three(async_generator *g, void *arg)
{
    (void)arg;
    for (long i = 0; i < 3; i++)
        if (async_yield(g, (void *)i))
            return 0;
    return 0;
}

static int consumer_yields(void *arg)
{
    (void)arg;
    async_generator *g = async_generator_create(counts_to_three, NULL);
    void *item;
    async_next(g, &item);
    async_yield(g, NULL);                 /* the slip */
    return async_generator_close(g);
}

static void a_yield_from_outside_the_body_is_named(void **state)
{
    (void)state;
    stops_naming(consumer_yields,
                 NEEDLES("task 'main': async_yield into generator 'counts_to_three' from "
                         "outside its body", "test_misuse.c:"));
}

typedef struct after_close { int next_rc, close_rc, other_rc, reused; } after_close;

static int reads_and_closes_after_close(void *arg)
{
    after_close *a = arg;
    async_generator *g = async_generator_create(slow_items, NULL);
    void *item;
    async_next(g, &item);
    async_generator_close(g);
    async_task *other = async_create_task(naps, NULL);   /* takes the generator's slot */
    uintptr_t o = (uintptr_t)other & 0xFFFFFFFFFFFFu, s = (uintptr_t)g & 0xFFFFFFFFFFFFu;
    a->reused = (o > s ? o - s : s - o) < 4096;          /* the same slot's top page */
    a->next_rc = async_next(g, &item);                    /* Python: StopAsyncIteration */
    a->close_rc = async_generator_close(g);               /* Python: a no-op */
    a->other_rc = async_await(other);
    return 0;
}

/* As Python: a closed generator is exhausted, and closing it again does
 * nothing; neither touches the task that reuses its memory. */
static void a_generator_read_or_closed_after_its_close_is_at_its_end(void **state)
{
    (void)state;
    after_close a = { -1, -1, -1, 0 };
    assert_int_equal(async_run(reads_and_closes_after_close, &a), 0);
    assert_true(a.reused);
    assert_int_equal(a.next_rc, 0);
    assert_int_equal(a.close_rc, 0);
    assert_int_equal(a.other_rc, 0);
}

static void a_generator_closed_or_read_while_running_is_named(void **state)
{
    (void)state;
    stops_naming(closes_while_another_is_in_next,
                 NEEDLES("task 'main': async_generator_close: the generator is already "
                         "running: task 'next_one' is inside async_next (Python: aclose(): "
                         "asynchronous generator is already running)"));
    stops_naming(two_consumers,
                 NEEDLES("async_next: the generator is already running",
                         "anext(): asynchronous generator is already running",
                         "(at tests/test_misuse.c:"));
}

/* Python: RuntimeError, asyncio.run() cannot be called from a running event
 * loop. A refused inner run would skip its function without a word. */
static int runs_inside_run(void *arg)
{
    (void)arg;
    return async_run(child, NULL);
}

/* The client's memory is freed by the first close: a second close, or a
 * GET after it, is named without reading it. */
static int closes_client_twice(void *arg)
{
    (void)arg;
    async_http_client *c = async_http_client_new(NULL);
    async_http_client_close(c);
    async_http_client_close(c);
    return 0;
}

static int gets_after_close(void *arg)
{
    (void)arg;
    async_http_client *c = async_http_client_new(NULL);
    async_http_client_close(c);
    async_http_response r;
    return async_http_get(c, "http://127.0.0.1:9/", &r);
}

/* A line reader read after its free (a cleanup path run too early): at its
 * end, as a closed async generator is; it went on reading lines. */
typedef struct read_after_free { int before, after, again; } read_after_free;

static int reads_after_free(void *arg)
{
    read_after_free *r = arg;
    async_file f;
    int rc = async_file_open(&f, "tests/test_misuse.c");
    if (rc)
        return rc;
    char buf[64];
    async_line_reader lr;
    async_line_reader_init(&lr, &f, buf, sizeof buf, 0);
    const char *line;
    size_t len;
    r->before = async_line_reader_next(&lr, &line, &len);
    async_line_reader_free(&lr);
    r->after = async_line_reader_next(&lr, &line, &len);
    async_line_reader_free(&lr);                  /* a second free: nothing */
    r->again = async_line_reader_next(&lr, &line, &len);
    return async_file_close(&f);
}

/* In a child of its own, as every other case here: the file is opened on
 * libuv's thread pool, and a test process that has threads makes qemu-user
 * (make cross-test) fail the next forked child that starts one. */
static int reads_after_free_as_python(void *arg)
{
    (void)arg;
    read_after_free r = { -1, -1, -1 };
    int rc = reads_after_free(&r);
    if (rc == 0 && r.before == 1 && r.after == 0 && r.again == 0)
        return 0;
    fprintf(stderr, "rc %d; read before the free %d (want 1), after %d (want 0), after a "
                    "second free %d (want 0)\n", rc, r.before, r.after, r.again);
    return UV_EINVAL;
}

static void a_line_reader_read_after_its_free_is_at_its_end(void **state)
{
    (void)state;
    char *err = NULL;
    int status = run_forked(reads_after_free_as_python, NULL, &err);
    if (status != 0)
        print_error("status %d, stderr:\n%s\n", status, err);
    free(err);
    assert_int_equal(status, 0);
}

/* A file closed (or read) while another task's read waits on it: libuv
 * aborted on its own assertion (uv_poll_stop on a closing handle), and a
 * second reader took the first's place on the poll handle. A FIFO no one
 * writes keeps the first read waiting. */
static async_file fifo;
static char fifo_path[64];

static int reads_the_fifo(void *arg)
{
    (void)arg;
    char buf[8];
    return (int)async_file_read(&fifo, buf, sizeof buf);
}

static int file_used_under_a_read(void *arg)
{
    int close_it = *(int *)arg;
    int rc = async_file_open(&fifo, fifo_path);
    if (rc)
        return rc;
    async_task *reader = async_create_task(reads_the_fifo, NULL);
    async_sleep(0.01);                      /* the reader waits in its read */
    if (close_it)
        async_file_close(&fifo);
    else
        reads_the_fifo(NULL);
    return async_await(reader);
}

static int closes_under_a_read(void *arg) { (void)arg; static int yes = 1; return file_used_under_a_read(&yes); }
static int reads_under_a_read(void *arg) { (void)arg; static int no = 0; return file_used_under_a_read(&no); }

static void a_file_used_under_another_tasks_read_is_named(void **state)
{
    (void)state;
    snprintf(fifo_path, sizeof fifo_path, "/tmp/test_misuse_fifo.%d", (int)getpid());
    assert_int_equal(mkfifo(fifo_path, 0600), 0);
    stops_naming(closes_under_a_read,
                 NEEDLES("task 'main': async_file_close: task 'reads_the_fifo' is inside "
                         "async_file_read on this file", "test_misuse.c:"));
    stops_naming(reads_under_a_read,
                 NEEDLES("task 'main': async_file_read: task 'reads_the_fifo' is inside "
                         "async_file_read on this file (asyncio: already waiting for "
                         "incoming data)", "test_misuse.c:"));
    unlink(fifo_path);
}

static void closing_or_running_again_is_named(void **state)
{
    (void)state;
    stops_naming(runs_inside_run,
                 NEEDLES("task 'main': async_run was called inside async_run: asyncio.run() "
                         "cannot be called from a running event loop"));
    stops_naming(closes_client_twice,
                 NEEDLES("task 'main': async_http_client_close was given a client that is "
                         "already closed", "test_misuse.c:"));
    stops_naming(gets_after_close,
                 NEEDLES("task 'main': async_http_get was given a client that was closed",
                         "test_misuse.c:"));
}

/* ------------------------------------------------------- 5. big locals */

enum { BIG = 512 * 1024 };          /* twice the default stack */

static volatile int big_seed = 3;   /* not a constant the compiler could fold */

__attribute__((noinline)) static int big_frame(int seed)
{
    char buf[BIG];                  /* built with -fstack-clash-protection */
    memset(buf, seed, sizeof buf);
    __asm__ volatile("" : : "r"(buf) : "memory");   /* the array must exist: clang
                                                       kept two bytes of a volatile one */
    return buf[seed] + buf[BIG - 1];
}

static int big_locals(void *arg) { (void)arg; return big_frame(big_seed); }

/* Past the old guard budgets (4,096 stacks, then 16,384). The helper
 * thread (common/stacks/prefault.c) guards each slab of 256 stacks from its
 * far end while the loop guards from the near end: the big task gets the
 * last stack of a slab (main has the first stack of all, and no nap ends to
 * free one: 1 + 20,222 = 79 x 256 - 1), which the helper guards first. */
static int naps_till_the_end(void *arg) { (void)arg; return async_sleep(60); }

static int starts_big_locals(void *arg)
{
    int *others = arg;
    for (int i = 0; i < *others; i++)
        async_create_task(naps_till_the_end, NULL);
    async_task *t = async_create_task(big_locals, NULL);
    return async_await(t);
}

static int no_others = 0, many_others = 20222;
static int big_with_none(void *arg) { (void)arg; return starts_big_locals(&no_others); }
static int big_with_many(void *arg) { (void)arg; return starts_big_locals(&many_others); }

/* Does this build use, and this kernel have, Linux 6.13's guard advice
 * (every stack guarded)? make portable-test builds without it. */
static int guard_advice_available(void)
{
#ifndef ASYNC_HAVE_GUARD_ADVICE
    return 0;
#endif
    long page = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 0;
    /* a real guard page cannot be populated; an emulator may accept the
     * advice and do nothing (the core asks the same way: guard.c) */
    int ok = madvise(p, (size_t)page, 102 /* MADV_GUARD_INSTALL */) == 0 &&
             madvise(p, (size_t)page, 22 /* MADV_POPULATE_READ */) != 0 && errno == EFAULT;
    munmap(p, (size_t)page);
    return ok;
}

static void big_locals_die_named(async_fn fn, const char *prefault)
{
    mistake m = { fn };
    setenv("ASYNC_PREFAULT", prefault, 1);   /* "0": the loop guards every slab itself */
    char *err = NULL;
    int status = run_forked(bounded, &m, &err);
    /* the fault itself, but named; AddressSanitizer then reports it and exits 1 */
    int as_it_should = status == 128 + SIGSEGV || (built_with_asan() && status == 1);
    if (!as_it_should || !strstr(err, "async: task 'big_locals' overflowed its stack"))
        print_error("status %d, stderr:\n%s\n", status, err);
    assert_true(as_it_should);
    assert_non_null(strstr(err, "async: task 'big_locals' overflowed its stack"));
    free(err);
    unsetenv("ASYNC_PREFAULT");
}

static void a_big_local_array_is_named_not_a_bare_segfault(void **state)
{
    (void)state;
    big_locals_die_named(big_with_none, "1");
    if (!guard_advice_available()) {
        print_message("past 4,096 tasks: skipped, this build or kernel has no guard advice "
                      "(Linux 6.13+), so those stacks have no guard page\n");
        return;
    }
    big_locals_die_named(big_with_many, "1");   /* slabs guarded by the helper thread */
    big_locals_die_named(big_with_many, "0");   /* and by the loop */
}

/* Any other crash inside a task names the task and says it was a bad pointer.
 * (The held-out program that found it used a semaphore on the stack of a task
 * that had ended; whether that faults depends on what reused the memory, so
 * the test makes the plainer slip.) */
static int null_in_a_task(void *arg)
{
    (void)arg;
    async_semaphore *none = NULL;           /* the slip: a pointer never set */
    async_semaphore_release(none);
    return 0;
}

static int crashes_in_a_task(void *arg)
{
    (void)arg;
    return async_await(async_create_task(null_in_a_task, NULL));
}

static void a_crash_in_a_task_is_named(async_fn fn, const char *task)
{
    mistake m = { fn };
    char *err = NULL;
    /* As in a learner's program: no cmocka handler for the core's to pass on to
     * (cmocka's would catch the fault in the child and run on). */
    struct sigaction dfl = { .sa_handler = SIG_DFL }, cmocka;
    sigaction(SIGSEGV, &dfl, &cmocka);
    int status = run_forked(bounded, &m, &err);
    sigaction(SIGSEGV, &cmocka, NULL);
    if (built_with_asan() && status == 1 && strstr(err, "runtime error: ")) {
        free(err);                  /* UBSan named the bad access first, file:line */
        return;
    }
    const char *hit = strstr(err, "crashed on a bad pointer (segmentation fault, not a "
                                  "stack overflow)");
    /* the fault itself, named; AddressSanitizer then reports it and exits 1 */
    int as_it_should = status == 128 + SIGSEGV || (built_with_asan() && status == 1);
    if (!as_it_should || !hit || !strstr(err, task))
        print_error("status %d, stderr:\n%s\n", status, err);
    assert_true(as_it_should);
    assert_non_null(hit);
    assert_non_null(strstr(err, task));
    free(err);
}

static void a_bad_pointer_in_a_task_is_named_not_a_bare_segfault(void **state)
{
    (void)state;
    a_crash_in_a_task_is_named(crashes_in_a_task, "async: task 'null_in_a_task' (created at ");
}

/* A semaphore initialised again while tasks wait in its line: the deadlock
 * report says they are no longer in it, instead of "0th of 0 in line". */
static async_semaphore reset_sem;

static int waits_on_reset_sem(void *arg)
{
    (void)arg;
    return async_semaphore_acquire(&reset_sem);
}

static int resets_a_waited_semaphore(void *arg)
{
    (void)arg;
    async_semaphore_init(&reset_sem, 0);
    async_task *w = async_create_task(waits_on_reset_sem, NULL);
    async_sleep(0.01);
    async_semaphore_init(&reset_sem, 1);    /* the slip: "reset the limit" */
    return async_await(w);
}

static void a_semaphore_reset_under_its_waiters_is_named(void **state)
{
    (void)state;
    mistake m = { resets_a_waited_semaphore };
    char *err = NULL;
    int status = run_forked(bounded, &m, &err);
    const char *hit = strstr(err, "waits on semaphore &reset_sem, but not in its line "
                                  "(initialised again while tasks waited?)");
    if (status != 1 || !hit)
        print_error("status %d, stderr:\n%s\n", status, err);
    assert_int_equal(status, 1);            /* the deadlock report, then cancelled */
    assert_non_null(hit);
    free(err);
}

/* ------------------------------------------------------- 8. asyncio parity */

/* A ticker left running when main returns, which ignores every await's
 * status: cancelled at the run's end, its awaits return UV_ECANCELED at
 * once and it spun for ever (asyncio.run would wait for ever). */
static int ticks_ignoring_errors(void *arg)
{
    (void)arg;
    for (;;)
        async_sleep(0.01);
    return 0;
}

static int leaves_a_ticker(void *arg)
{
    (void)arg;
    async_create_task(ticks_ignoring_errors, NULL);
    return async_sleep(0.02);
}

static void a_task_that_swallows_the_cancel_at_exit_is_named(void **state)
{
    (void)state;
    stops_naming(leaves_a_ticker,
                 NEEDLES("task 'ticks_ignoring_errors': was still running when main returned "
                         "(created at ", "test_misuse.c:", "goes on after its cancellation",
                         "return when an await fails"));
}

/* asyncio.sleep(nan) never returns; here it is named, at the call's line. */
static int sleeps_nan(void *arg)
{
    (void)arg;
    volatile double zero = 0;
    return async_sleep(zero / zero);        /* the slip: a rate of 0 / 0 */
}

/* Released more often than acquired until the count is at its most: C's int
 * would wrap negative (and every acquire then wait for ever); Python's
 * count just grows. Named at the release that would overflow. */
static int releases_past_the_most(void *arg)
{
    (void)arg;
    async_semaphore s;
    async_semaphore_init(&s, INT_MAX - 1);
    async_semaphore_release(&s);          /* INT_MAX: still fine */
    async_semaphore_release(&s);          /* the slip */
    return 0;
}

static void a_semaphore_count_past_its_most_is_named(void **state)
{
    (void)state;
    stops_naming(releases_past_the_most,
                 NEEDLES("task 'main': async_semaphore_release: the semaphore's count is "
                         "already 2147483647, its most"));
}

static void a_sleep_of_nan_is_named(void **state)
{
    (void)state;
    stops_naming(sleeps_nan, NEEDLES("task 'main': async_sleep(nan): the seconds are not a "
                                     "number", "test_misuse.c:"));
}

/* ---------------------------- 8. a timeout and a sleep with one deadline */

typedef struct tie { int timed_out, expired, trials; } tie;

static int same_deadline(void *arg)
{
    tie *r = arg;
    for (int i = 0; i < r->trials; i++) {
        async_timeout t;
        async_timeout_enter(&t, 0.002);
        int rc = async_timeout_exit(&t, async_sleep(0.002));
        r->timed_out += rc == UV_ETIMEDOUT;
        r->expired += async_timeout_expired(&t);
    }
    return 0;
}

/* asyncio: the scope armed first fires first and the block raises
 * TimeoutError, 200 times of 200. */
static void a_timeout_and_a_sleep_with_one_deadline_time_out(void **state)
{
    (void)state;
    tie r = { 0, 0, under_valgrind() ? 40 : 200 };
    assert_int_equal(async_run(same_deadline, &r), 0);
    assert_int_equal(r.expired, r.trials);
    assert_int_equal(r.timed_out, r.trials);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_task_returning_inside_a_timeout_is_named),
        cmocka_unit_test(a_helper_that_skipped_its_exit_is_named_at_the_next_enter),
        cmocka_unit_test(a_function_that_returned_inside_a_shield_is_named_at_the_next_await),
        cmocka_unit_test(a_group_never_waited_is_named),
        cmocka_unit_test(a_scope_entered_twice_is_named),
        cmocka_unit_test(a_scope_exited_twice_is_named),
        cmocka_unit_test(a_group_waited_twice_is_named),
        cmocka_unit_test(a_group_used_outside_its_block_is_named),
        cmocka_unit_test(exits_out_of_order_are_named),
        cmocka_unit_test(a_scope_entered_by_two_tasks_is_named),
        cmocka_unit_test(correct_scopes_pass_the_checks),
        cmocka_unit_test(a_second_await_is_named),
        cmocka_unit_test(a_cancel_after_the_await_acts_on_nothing),
        cmocka_unit_test(a_group_child_cancelled_after_it_ended_acts_on_nothing),
        cmocka_unit_test(a_released_handle_is_named_for_how_it_was_released),
        cmocka_unit_test(a_generator_closed_or_read_while_running_is_named),
        cmocka_unit_test(a_generator_read_or_closed_after_its_close_is_at_its_end),
        cmocka_unit_test(a_yield_from_outside_the_body_is_named),
        cmocka_unit_test(closing_or_running_again_is_named),
        cmocka_unit_test(a_file_used_under_another_tasks_read_is_named),
        cmocka_unit_test(a_line_reader_read_after_its_free_is_at_its_end),
        cmocka_unit_test(core_calls_off_the_loop_thread_are_named),
        cmocka_unit_test(a_big_local_array_is_named_not_a_bare_segfault),
        cmocka_unit_test(a_bad_pointer_in_a_task_is_named_not_a_bare_segfault),
        cmocka_unit_test(a_semaphore_reset_under_its_waiters_is_named),
        cmocka_unit_test(a_semaphore_count_past_its_most_is_named),
        cmocka_unit_test(a_sleep_of_nan_is_named),
        cmocka_unit_test(a_task_that_swallows_the_cancel_at_exit_is_named),
        cmocka_unit_test(outside_async_run_calls_are_refused_not_stopped),
        cmocka_unit_test(awaiting_what_cannot_be_awaited_is_named),
        cmocka_unit_test(a_timeout_and_a_sleep_with_one_deadline_time_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

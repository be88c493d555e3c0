/* test_core_cancel_woken.c: a cancel that lands on a task whose await is
 * already done (its sleep's timer fired, the task it awaits finished, its
 * permit was granted) but which has not run yet. asyncio's Task.cancel()
 * sets _must_cancel, and the task's next step raises CancelledError at that
 * await although the awaited future has its result: the await here returns
 * UV_ECANCELED, and gives back what it got where asyncio does
 * (docs/semantics.md, "Cancellation").
 *
 * Each case stalls the loop (a blocking usleep in main), so that every
 * deadline has passed by the next poll and the wake-ups all land in one loop
 * turn, in deadline order: the order is fixed, not left to the machine's load.
 *
 * The Python twin is tests/python/cancel_woken.py; with Python 3.11 it prints
 *   sleep_then_cancel_the_other: {'a': 'slept', 'b': 'CancelledError'}
 *   await_a_finished_task: {'await': 'CancelledError', 'target result after': 7}
 *   semaphore_granted_then_cancelled: {'w1': 'CancelledError', 'w2': 'acquired',
 *                                      'value after (w2 holds it)': 0}
 *   group_child_failure: {'S first sleep': 'slept', 'S second sleep': 'CancelledError',
 *                         'group': 'ValueError'}
 *   group_parent_cancelled: {'C first sleep': 'slept', 'C second sleep': 'CancelledError',
 *                            'P': 'CancelledError'}
 *   timeout_and_result_in_one_turn: {'body': 'TimeoutError'}
 *   sleep_zero_then_cancelled: {'sleep(0)': 'CancelledError'}
 * The shield (Trio's, not asyncio.shield) and the I/O cases have no twin. */
#include "support.h"
#include "async_file.h"

#include <dirent.h>
#include <string.h>
#include <unistd.h>

enum { NOT_RUN = 1 };   /* an rc slot no await returns */

/* Lets the tasks just created (and the ones they create) start their
 * awaits, then blocks the loop past every 10 ms deadline they set. */
static void stall(void)
{
    for (int i = 0; i < 3; i++)
        async_sleep(0);
    usleep(30 * 1000);
}

/* ------------------------------------------- a sleep already over */

typedef struct duel {
    async_task *task[2];
    int rc[2];
} duel;

typedef struct duelist { duel *d; int me; } duelist;

static int sleep_then_cancel_the_other(void *arg)
{
    duelist *p = arg;
    int rc = async_sleep(0.01);
    p->d->rc[p->me] = rc;
    if (rc == 0)
        async_cancel(p->d->task[!p->me]);   /* 0 if it is done: then nothing */
    return rc;
}

static int two_sleepers(void *arg)
{
    duel *d = arg;
    duelist p[2] = { { d, 0 }, { d, 1 } };
    for (int i = 0; i < 2; i++)
        d->task[i] = async_create_task(sleep_then_cancel_the_other, &p[i]);
    stall();
    for (int i = 0; i < 2; i++)
        async_await(d->task[i]);
    return 0;
}

static void a_sleep_over_but_not_yet_returned_is_cancelled(void **state)
{
    (void)state;
    duel d = { .rc = { NOT_RUN, NOT_RUN } };
    assert_int_equal(async_run(two_sleepers, &d), 0);
    /* Both timers fired in one turn; the first to run cancelled the other. */
    assert_int_equal(d.rc[0], 0);
    assert_int_equal(d.rc[1], UV_ECANCELED);
}

/* ------------------------------------ a task awaited, finished already */

typedef struct awaited {
    async_task *target, *awaiter;
    int await_rc, again_rc;
} awaited;

static int seven_after_a_sleep(void *arg)
{
    (void)arg;
    int rc = async_sleep(0.01);
    return rc ? rc : 7;
}

static int await_target(void *arg)
{
    awaited *a = arg;
    a->await_rc = async_await(a->target);
    return a->await_rc;
}

static int cancel_the_awaiter(void *arg)
{
    awaited *a = arg;
    async_sleep(0.01);
    async_cancel(a->awaiter);
    return 0;
}

static int await_a_finished_task(void *arg)
{
    awaited *a = arg;
    a->target = async_create_task(seven_after_a_sleep, NULL);
    a->awaiter = async_create_task(await_target, a);
    async_task *k = async_create_task(cancel_the_awaiter, a);
    stall();
    /* The target ends and wakes the awaiter; k, woken with the target, runs
     * next and cancels the awaiter before it runs. */
    async_await(a->awaiter);
    async_await(k);
    a->again_rc = async_await(a->target);   /* its result is still there */
    return 0;
}

static void an_await_whose_task_finished_is_cancelled_and_the_result_kept(void **state)
{
    (void)state;
    awaited a = { .await_rc = NOT_RUN, .again_rc = NOT_RUN };
    assert_int_equal(async_run(await_a_finished_task, &a), 0);
    assert_int_equal(a.await_rc, UV_ECANCELED);
    assert_int_equal(a.again_rc, 7);     /* Python: task.result() is still 7 */
}

/* ----------------------------- a permit granted, the taker not yet run */

typedef struct permits {
    async_semaphore sem;
    async_task *w1, *w2;
    int w1_rc, w2_rc, value_after;
} permits;

static int acquire_w1(void *arg)
{
    permits *p = arg;
    p->w1_rc = async_semaphore_acquire(&p->sem);
    return 0;
}

static int acquire_w2(void *arg)
{
    permits *p = arg;
    p->w2_rc = async_semaphore_acquire(&p->sem);
    return 0;
}

static int release_once(void *arg)
{
    permits *p = arg;
    async_sleep(0.01);
    async_semaphore_release(&p->sem);      /* grants W1, the first in line */
    return 0;
}

static int cancel_w1(void *arg)
{
    permits *p = arg;
    async_sleep(0.01);
    async_cancel(p->w1);
    return 0;
}

static int granted_then_cancelled(void *arg)
{
    permits *p = arg;
    async_semaphore_init(&p->sem, 0);
    p->w1 = async_create_task(acquire_w1, p);
    p->w2 = async_create_task(acquire_w2, p);
    async_task *r = async_create_task(release_once, p);
    async_task *k = async_create_task(cancel_w1, p);
    stall();
    async_await(p->w1);
    async_await(p->w2);
    async_await(r);
    async_await(k);
    p->value_after = async_semaphore_value(&p->sem);
    return 0;
}

static void a_permit_granted_to_a_cancelled_task_goes_on_to_the_next(void **state)
{
    (void)state;
    permits p = { .w1_rc = NOT_RUN, .w2_rc = NOT_RUN, .value_after = -1 };
    assert_int_equal(async_run(granted_then_cancelled, &p), 0);
    assert_int_equal(p.w1_rc, UV_ECANCELED);
    assert_int_equal(p.w2_rc, 0);          /* the permit was passed on, not lost */
    assert_int_equal(p.value_after, 0);    /* nor released twice: W2 holds it */
}

/* -------------------------------------------- a task group's children */

/* asyncio's TaskGroup acts later than a Task.cancel(): it hears of a child's
 * failure in a done callback, and passes an outside cancel on in the parent's
 * next step, both scheduled behind the tasks already woken in this turn. So
 * a child woken in the same turn keeps its await's result (its own failure
 * too: semantics.md, TaskGroup 4) and meets the cancel at its next await. */

typedef struct family { async_task *parent; int first_rc, second_rc, group_rc; } family;

static int fail_after_a_sleep(void *arg)
{
    (void)arg;
    int rc = async_sleep(0.01);
    return rc ? rc : UV_EIO;
}

static int sleep_twice(void *arg)
{
    family *f = arg;
    f->first_rc = async_sleep(0.01);
    f->second_rc = async_sleep(0.01);
    return f->second_rc;
}

static int group_with_a_failure(void *arg)
{
    family *f = arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    async_taskgroup_create_task(&tg, fail_after_a_sleep, NULL);
    async_taskgroup_create_task(&tg, sleep_twice, f);
    stall();
    f->group_rc = async_taskgroup_wait(&tg);
    return 0;
}

static void a_child_woken_with_the_failure_keeps_its_result(void **state)
{
    (void)state;
    family f = { .first_rc = NOT_RUN, .second_rc = NOT_RUN, .group_rc = NOT_RUN };
    assert_int_equal(async_run(group_with_a_failure, &f), 0);
    assert_int_equal(f.group_rc, UV_EIO);
    assert_int_equal(f.first_rc, 0);             /* Python: 'S first sleep': 'slept' */
    assert_int_equal(f.second_rc, UV_ECANCELED); /* 'S second sleep': 'CancelledError' */
}

static int parent_of_one(void *arg)
{
    family *f = arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    async_taskgroup_create_task(&tg, sleep_twice, f);
    f->group_rc = async_taskgroup_wait(&tg);
    return 0;
}

static int cancel_the_parent(void *arg)
{
    family *f = arg;
    async_sleep(0.01);
    async_cancel(f->parent);
    return 0;
}

static int parent_cancelled_from_outside(void *arg)
{
    family *f = arg;
    f->parent = async_create_task(parent_of_one, f);
    async_task *k = async_create_task(cancel_the_parent, f);
    stall();            /* k's timer, then the child's: k runs first */
    async_await(f->parent);
    async_await(k);
    return 0;
}

static void a_child_woken_as_its_parent_is_cancelled_keeps_its_result(void **state)
{
    (void)state;
    family f = { .first_rc = NOT_RUN, .second_rc = NOT_RUN, .group_rc = NOT_RUN };
    assert_int_equal(async_run(parent_cancelled_from_outside, &f), 0);
    assert_int_equal(f.group_rc, UV_ECANCELED);
    assert_int_equal(f.first_rc, 0);
    assert_int_equal(f.second_rc, UV_ECANCELED);
}

/* --------------------------- a timeout's expiry and a result in one turn */

static int sleep_inside_a_longer_timeout(void *arg)
{
    int *rc = arg;
    async_timeout t;
    async_timeout_enter(&t, 0.02);
    *rc = async_timeout_exit(&t, async_sleep(0.01));
    return 0;
}

static int timeout_and_result(void *arg)
{
    async_task *t = async_create_task(sleep_inside_a_longer_timeout, arg);
    stall();
    return async_await(t);
}

static void a_timeout_due_with_the_result_times_the_block_out(void **state)
{
    (void)state;
    int rc = NOT_RUN;
    assert_int_equal(async_run(timeout_and_result, &rc), 0);
    assert_int_equal(rc, UV_ETIMEDOUT);    /* Python: TimeoutError */
}

/* ------------------------------------------------ a shield keeps its await */

typedef struct shielded { async_task *body; int inside_rc, after_rc; } shielded;

static int sleep_shielded(void *arg)
{
    shielded *s = arg;
    async_shield sh;
    async_shield_enter(&sh);
    s->inside_rc = async_sleep(0.01);
    async_shield_exit(&sh);
    s->after_rc = async_sleep(0);        /* the cancel is seen once outside */
    return 0;
}

static int cancel_the_body(void *arg)
{
    shielded *s = arg;
    async_sleep(0.01);
    async_cancel(s->body);
    return 0;
}

static int shield_case(void *arg)
{
    shielded *s = arg;
    async_task *k = async_create_task(cancel_the_body, s);
    s->body = async_create_task(sleep_shielded, s);
    stall();
    async_await(s->body);
    async_await(k);
    return 0;
}

static void a_shielded_await_woken_then_cancelled_keeps_its_result(void **state)
{
    (void)state;
    shielded s = { .inside_rc = NOT_RUN, .after_rc = NOT_RUN };
    assert_int_equal(async_run(shield_case, &s), 0);
    assert_int_equal(s.inside_rc, 0);
    assert_int_equal(s.after_rc, UV_ECANCELED);
}

/* ------------------------------------------------------------- sleep(0) */

typedef struct yielded { async_task *y; int rc; } yielded;

static int sleep_zero(void *arg)
{
    yielded *y = arg;
    y->rc = async_sleep(0);
    return 0;
}

static int cancel_the_yielder(void *arg)
{
    yielded *y = arg;
    async_cancel(y->y);                 /* it has run up to its sleep(0): ready */
    return 0;
}

static int yield_then_cancelled(void *arg)
{
    yielded *y = arg;
    y->y = async_create_task(sleep_zero, y);
    async_task *k = async_create_task(cancel_the_yielder, y);
    async_await(y->y);
    async_await(k);
    return 0;
}

static void a_sleep_zero_cancelled_while_ready_is_cancelled(void **state)
{
    (void)state;
    yielded y = { .rc = NOT_RUN };
    assert_int_equal(async_run(yield_then_cancelled, &y), 0);
    assert_int_equal(y.rc, UV_ECANCELED);   /* Python: CancelledError at sleep(0) */
}

/* ------------------------------------------- a file opened, then cancelled */

static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

typedef struct opening { async_task *opener; int rc, fd; } opening;

static int open_a_file(void *arg)
{
    opening *o = arg;
    async_file f;
    o->rc = async_file_open(&f, "/dev/null");
    o->fd = f.fd;
    if (o->rc == 0)
        async_file_close(&f);
    return 0;
}

static int cancel_the_opener(void *arg)
{
    opening *o = arg;
    async_sleep(0.01);
    async_cancel(o->opener);
    return 0;
}

static int open_then_cancelled(void *arg)
{
    opening *o = arg;
    async_task *k = async_create_task(cancel_the_opener, o);
    o->opener = async_create_task(open_a_file, o);
    /* The open ends on the thread pool during the stall; the next turn runs
     * the timers (k) before it collects the open: k runs first. */
    stall();
    async_await(o->opener);
    async_await(k);
    return 0;
}

static void a_file_opened_for_a_task_cancelled_before_it_ran_is_closed(void **state)
{
    (void)state;
    if (open_fds() < 0) {
        print_message("skipped: no /proc/self/fd to count descriptors\n");
        skip();
    }
    opening o = { .rc = NOT_RUN, .fd = -2 };
    int before = open_fds();
    assert_int_equal(async_run(open_then_cancelled, &o), 0);
    assert_int_equal(o.rc, UV_ECANCELED);
    assert_int_equal(o.fd, -1);
    assert_int_equal(open_fds(), before);   /* the descriptor it got was closed */
}

/* ------------------- a cancel queued, then the await's result in one turn */

static int sleep_5_ms(void *arg)
{
    (void)arg;
    usleep(5 * 1000);
    return 0;
}

static int to_thread_in_a_timeout(void *arg)
{
    int *rc = arg;
    async_timeout t;
    async_timeout_enter(&t, 0.01);
    *rc = async_timeout_exit(&t, async_to_thread(sleep_5_ms, NULL));
    return 0;
}

static int timeout_then_thread_result(void *arg)
{
    async_task *t = async_create_task(to_thread_in_a_timeout, arg);
    /* In the next turn the timeout fires (its cancel hook queued for the
     * loop's stack), then the thread's result arrives before the hook ran. */
    stall();
    return async_await(t);
}

static void a_result_after_the_cancel_but_before_its_hook_is_too_late(void **state)
{
    (void)state;
    skip_unless_spawn_works();
    int rc = NOT_RUN;
    assert_int_equal(async_run(timeout_then_thread_result, &rc), 0);
    assert_int_equal(rc, UV_ETIMEDOUT);   /* Python: TimeoutError */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_sleep_over_but_not_yet_returned_is_cancelled),
        cmocka_unit_test(an_await_whose_task_finished_is_cancelled_and_the_result_kept),
        cmocka_unit_test(a_permit_granted_to_a_cancelled_task_goes_on_to_the_next),
        cmocka_unit_test(a_child_woken_with_the_failure_keeps_its_result),
        cmocka_unit_test(a_child_woken_as_its_parent_is_cancelled_keeps_its_result),
        cmocka_unit_test(a_timeout_due_with_the_result_times_the_block_out),
        cmocka_unit_test(a_shielded_await_woken_then_cancelled_keeps_its_result),
        cmocka_unit_test(a_sleep_zero_cancelled_while_ready_is_cancelled),
        cmocka_unit_test(a_file_opened_for_a_task_cancelled_before_it_ran_is_closed),
        cmocka_unit_test(a_result_after_the_cancel_but_before_its_hook_is_too_late),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_core_semaphore.c: Semaphore, per semantics.md "Semaphore". */
#include "support.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

typedef struct crowd {
    async_semaphore sem;
    int inside, max_inside;
    char order[16];
    int n;
} crowd;

static int hold_a_while(void *arg)
{
    crowd *c = arg;
    int rc = async_semaphore_acquire(&c->sem);
    if (rc)
        return rc;
    if (++c->inside > c->max_inside)
        c->max_inside = c->inside;
    rc = async_sleep(0.01);
    c->inside--;
    async_semaphore_release(&c->sem);
    return rc;
}

static int twenty_through_three(void *arg)
{
    crowd *c = arg;
    async_semaphore_init(&c->sem, 3);
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < 20; i++)
        async_taskgroup_create_task(&tg, hold_a_while, c);
    return async_taskgroup_wait(&tg);
}

static void the_bound_is_reached_and_never_exceeded(void **state)
{
    (void)state;
    crowd c;
    memset(&c, 0, sizeof c);
    assert_int_equal(async_run(twenty_through_three, &c), 0);
    assert_int_equal(c.max_inside, 3);
    assert_int_equal(async_semaphore_value(&c.sem), 3);
}

typedef struct named { crowd *c; char letter; } named;

static int take_in_turn(void *arg)
{
    named *w = arg;
    int rc = async_semaphore_acquire(&w->c->sem);
    if (rc)
        return rc;
    w->c->order[w->c->n++] = w->letter;
    async_semaphore_release(&w->c->sem);
    return 0;
}

static int fifo(void *arg)
{
    crowd *c = arg;
    async_semaphore_init(&c->sem, 0);
    named w[5];
    async_task *t[5];
    for (int i = 0; i < 5; i++) {
        w[i] = (named){ c, (char)('a' + i) };
        t[i] = async_create_task(take_in_turn, &w[i]);
    }
    async_sleep(0.01);                 /* all five are queued now */
    async_semaphore_release(&c->sem);
    for (int i = 0; i < 5; i++)
        async_await(t[i]);
    return 0;
}

static void waiters_are_served_first_come_first_served(void **state)
{
    (void)state;
    crowd c;
    memset(&c, 0, sizeof c);
    assert_int_equal(async_run(fifo, &c), 0);
    assert_string_equal(c.order, "abcde");
}

static int newcomer_after_release(void *arg)
{
    crowd *c = arg;
    async_semaphore_init(&c->sem, 0);
    named w = { c, 'w' };
    async_task *t = async_create_task(take_in_turn, &w);
    async_sleep(0.01);                 /* w is waiting */
    async_semaphore_release(&c->sem);  /* handed to w, which has not run yet */
    int rc = async_semaphore_acquire(&c->sem);   /* a newcomer: must queue behind w */
    if (rc == 0) {
        c->order[c->n++] = 'm';
        async_semaphore_release(&c->sem);
    }
    async_await(t);
    return rc;
}

/* A release hands the permit to the first waiter: a task that asks right
 * after the release (before the waiter has run) does not barge in. */
static void a_newcomer_cannot_barge_in(void **state)
{
    (void)state;
    crowd c;
    memset(&c, 0, sizeof c);
    assert_int_equal(async_run(newcomer_after_release, &c), 0);
    assert_string_equal(c.order, "wm");
    assert_int_equal(async_semaphore_value(&c.sem), 1);
}

static void a_negative_value_is_refused(void **state)
{
    (void)state;
    async_semaphore s;
    assert_int_equal(async_semaphore_init_checked(&s, -1), UV_EINVAL);
    assert_int_equal(async_semaphore_init_checked(&s, 0), 0);
    assert_int_equal(async_semaphore_value(&s), 0);
}

/* A negative count written in the code is a programmer error: the program
 * stops with one line naming the count and the line. So does a semaphore
 * used before it was initialised (zeroed memory), instead of a crash. */
static int negative_semaphore(void *arg)
{
    (void)arg;
    async_semaphore s;
    async_semaphore_init(&s, -2);
    return 0;
}

static int uninitialised_semaphore(void *arg)
{
    (void)arg;
    async_semaphore s;
    memset(&s, 0, sizeof s);
    return async_semaphore_acquire(&s);
}

static void misuse_of_a_semaphore_is_named(void **state)
{
    (void)state;
    char *err = NULL;
    int st = run_forked(negative_semaphore, NULL, &err);
    assert_int_equal(st, 128 + SIGABRT);
    assert_non_null(strstr(err, "async: task 'main': asyncio.Semaphore(-2): a semaphore's count cannot be negative"));
    assert_non_null(strstr(err, "test_core_semaphore.c:"));
    free(err);
    st = run_forked(uninitialised_semaphore, NULL, &err);
    assert_int_equal(st, 128 + SIGABRT);
    assert_non_null(strstr(err, "async_semaphore_acquire on a semaphore that was never initialised"));
    free(err);
}

typedef struct losses { crowd c; int cancelled_rc, granted_cancelled_rc, last_rc, value, waiters; } losses;

static int acquire_only(void *arg)
{
    crowd *c = arg;
    int rc = async_semaphore_acquire(&c->sem);
    if (rc == 0)
        async_semaphore_release(&c->sem);
    return rc;
}

static int cancelled_waiters(void *arg)
{
    losses *l = arg;
    async_semaphore_init(&l->c.sem, 0);
    async_task *a = async_create_task(acquire_only, &l->c);
    async_task *b = async_create_task(acquire_only, &l->c);
    async_task *c = async_create_task(acquire_only, &l->c);
    async_sleep(0.01);
    async_cancel(a);                       /* before its turn: skipped */
    async_semaphore_release(&l->c.sem);    /* goes to b */
    async_cancel(b);                       /* granted, not yet running: passes it on */
    l->cancelled_rc = async_await(a);
    l->granted_cancelled_rc = async_await(b);
    l->last_rc = async_await(c);
    l->value = async_semaphore_value(&l->c.sem);
    l->waiters = async_semaphore_waiters(&l->c.sem);
    return 0;
}

static void a_cancelled_waiter_loses_no_permit(void **state)
{
    (void)state;
    losses l;
    memset(&l, 0, sizeof l);
    assert_int_equal(async_run(cancelled_waiters, &l), 0);
    assert_int_equal(l.cancelled_rc, UV_ECANCELED);
    assert_int_equal(l.granted_cancelled_rc, UV_ECANCELED);
    assert_int_equal(l.last_rc, 0);
    assert_int_equal(l.value, 1);
    assert_int_equal(l.waiters, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_bound_is_reached_and_never_exceeded),
        cmocka_unit_test(waiters_are_served_first_come_first_served),
        cmocka_unit_test(a_newcomer_cannot_barge_in),
        cmocka_unit_test(a_negative_value_is_refused),
        cmocka_unit_test(misuse_of_a_semaphore_is_named),
        cmocka_unit_test(a_cancelled_waiter_loses_no_permit),
    };
    return cmocka_run_group_tests_name("core: semaphore", tests, NULL, NULL);
}

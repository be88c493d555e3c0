/* test_core_group.c: TaskGroup, per semantics.md "TaskGroup" 1-7. */
#include "support.h"

#include <string.h>

typedef struct child { double delay; int fail; int rc; int cancelled; int ran; } child;

static int child_body(void *arg)
{
    child *c = arg;
    c->ran = 1;
    int rc = async_sleep(c->delay);
    if (rc == UV_ECANCELED)
        c->cancelled = 1;
    if (rc)
        return c->rc = rc;
    return c->rc = c->fail;
}

typedef struct scene {
    child kids[4];
    int body_rc, wait_rc, errors, late_create_null, late_ran;
    double took;
    char first_name[32];
} scene;

static int fail_fast(void *arg)
{
    scene *s = arg;
    async_taskgroup tg;
    double start = async_time();
    async_taskgroup_init(&tg);
    s->kids[0] = (child){ 1.0, 0, 0, 0, 0 };
    s->kids[1] = (child){ 1.0, 0, 0, 0, 0 };
    s->kids[2] = (child){ 0.05, UV_EIO, 0, 0, 0 };
    for (int i = 0; i < 3; i++)
        async_taskgroup_create_task(&tg, child_body, &s->kids[i]);
    s->body_rc = async_sleep(5);                 /* the parent's body is cancelled too */
    static child late = { 0.01, 0, 0, 0, 0 };
    s->late_create_null = async_taskgroup_create_task(&tg, child_body, &late) == NULL;
    s->wait_rc = async_taskgroup_wait(&tg);
    s->took = async_time() - start;
    s->errors = async_taskgroup_error_count(&tg);
    snprintf(s->first_name, sizeof s->first_name, "%s", async_taskgroup_error(&tg, 0)->name);
    s->late_ran = late.ran;
    return async_sleep(0.001);                   /* awaits work again after the wait */
}

static void failing_child_cancels_siblings_and_body(void **state)
{
    (void)state;
    scene s;
    memset(&s, 0, sizeof s);
    assert_int_equal(async_run(fail_fast, &s), 0);
    assert_int_equal(s.body_rc, UV_ECANCELED);
    assert_int_equal(s.wait_rc, UV_EIO);
    assert_true(s.kids[0].cancelled && s.kids[1].cancelled);
    assert_int_equal(s.errors, 1);
    assert_string_equal(s.first_name, "child_body");
    assert_true(s.late_create_null);
    assert_false(s.late_ran);
    assert_true(s.took < 0.5);
}

static int same_turn(void *arg)
{
    scene *s = arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < 3; i++) {
        s->kids[i] = (child){ 0.05, UV_EIO - i, 0, 0, 0 };
        async_taskgroup_create_task(&tg, child_body, &s->kids[i]);
    }
    s->wait_rc = async_taskgroup_wait(&tg);
    s->errors = async_taskgroup_error_count(&tg);
    return 0;
}

static void failures_in_the_same_turn_are_all_kept(void **state)
{
    (void)state;
    scene s;
    memset(&s, 0, sizeof s);
    assert_int_equal(async_run(same_turn, &s), 0);
    assert_int_equal(s.wait_rc, UV_EIO);
    assert_int_equal(s.errors, 3);
}

typedef struct spawner { async_taskgroup *tg; int spawned_ran; } spawner;

static int grandchild(void *arg) { spawner *sp = arg; async_sleep(0.05); sp->spawned_ran = 1; return 0; }

static int spawn_more(void *arg)
{
    spawner *sp = arg;
    async_sleep(0.02);
    return async_taskgroup_create_task(sp->tg, grandchild, sp) ? 0 : UV_ENOMEM;
}

static int add_while_waiting(void *arg)
{
    spawner *sp = arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    sp->tg = &tg;
    async_taskgroup_create_task(&tg, spawn_more, sp);
    return async_taskgroup_wait(&tg);
}

static void children_added_while_waiting_are_waited_for(void **state)
{
    (void)state;
    spawner sp = { 0 };
    assert_int_equal(async_run(add_while_waiting, &sp), 0);
    assert_int_equal(sp.spawned_ran, 1);
}

static int self_cancel(void *arg) { (void)arg; async_cancel(async_current_task()); return async_sleep(1); }

static int lone_cancel(void *arg)
{
    scene *s = arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    s->kids[0] = (child){ 0.05, 0, 0, 0, 0 };
    async_taskgroup_create_task(&tg, self_cancel, NULL);
    async_taskgroup_create_task(&tg, child_body, &s->kids[0]);
    s->wait_rc = async_taskgroup_wait(&tg);
    return 0;
}

static void a_child_cancelled_alone_is_not_a_failure(void **state)
{
    (void)state;
    scene s;
    memset(&s, 0, sizeof s);
    assert_int_equal(async_run(lone_cancel, &s), 0);
    assert_int_equal(s.wait_rc, 0);
    assert_int_equal(s.kids[0].rc, 0);
    assert_false(s.kids[0].cancelled);
}

typedef struct outside { child kids[3]; int wait_rc; } outside;

static int parent_with_group(void *arg)
{
    outside *o = arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < 3; i++) {
        o->kids[i] = (child){ 5, 0, 0, 0, 0 };
        async_taskgroup_create_task(&tg, child_body, &o->kids[i]);
    }
    return o->wait_rc = async_taskgroup_wait(&tg);
}

static int cancel_parent_from_outside(void *arg)
{
    async_task *p = async_create_task(parent_with_group, arg);
    async_sleep(0.02);
    async_cancel(p);
    return async_await(p) == UV_ECANCELED ? 0 : UV_EINVAL;
}

static void outside_cancel_reaches_every_child(void **state)
{
    (void)state;
    outside o;
    memset(&o, 0, sizeof o);
    double start = now_seconds();
    assert_int_equal(async_run(cancel_parent_from_outside, &o), 0);
    assert_int_equal(o.wait_rc, UV_ECANCELED);
    for (int i = 0; i < 3; i++)
        assert_true(o.kids[i].cancelled);
    assert_true(now_seconds() - start < 2);
}

typedef struct nested { child inner_kid; int inner_rc, outer_rc; } nested;

static int inner_group(void *arg)
{
    nested *n = arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    n->inner_kid = (child){ 5, 0, 0, 0, 0 };
    async_taskgroup_create_task(&tg, child_body, &n->inner_kid);
    return n->inner_rc = async_taskgroup_wait(&tg);
}

static int failing(void *arg) { (void)arg; async_sleep(0.02); return UV_EPIPE; }

static int outer_group(void *arg)
{
    nested *n = arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    async_taskgroup_create_task(&tg, inner_group, n);
    async_taskgroup_create_task(&tg, failing, NULL);
    return n->outer_rc = async_taskgroup_wait(&tg);
}

static void outer_failure_cancels_inner_group(void **state)
{
    (void)state;
    nested n;
    memset(&n, 0, sizeof n);
    assert_int_equal(async_run(outer_group, &n), UV_EPIPE);
    assert_int_equal(n.outer_rc, UV_EPIPE);
    assert_int_equal(n.inner_rc, UV_ECANCELED);
    assert_true(n.inner_kid.cancelled);
}

static int nap(void *arg) { (void)arg; return async_sleep(0.1); }

typedef struct many { int n, rc; double took; } many;

static int many_sleepers(void *arg)
{
    many *m = arg;
    async_taskgroup tg;
    double start = async_time();
    async_taskgroup_init(&tg);
    for (int i = 0; i < m->n; i++)
        if (!async_taskgroup_create_task(&tg, nap, NULL))
            break;
    m->rc = async_taskgroup_wait(&tg);
    m->took = async_time() - start;
    return 0;
}

static void hundred_thousand_tasks_in_one_group(void **state)
{
    (void)state;
    many m = { under_valgrind() ? 2000 : 100000, -1, 0 };
    assert_int_equal(async_run(many_sleepers, &m), 0);
    assert_int_equal(m.rc, 0);
    print_message("%d tasks sleeping 0.1 s in one group: %.2f s\n", m.n, m.took);
    assert_true(m.took < (under_valgrind() ? 60 : 10));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(failing_child_cancels_siblings_and_body),
        cmocka_unit_test(failures_in_the_same_turn_are_all_kept),
        cmocka_unit_test(children_added_while_waiting_are_waited_for),
        cmocka_unit_test(a_child_cancelled_alone_is_not_a_failure),
        cmocka_unit_test(outside_cancel_reaches_every_child),
        cmocka_unit_test(outer_failure_cancels_inner_group),
        cmocka_unit_test(hundred_thousand_tasks_in_one_group),
    };
    return cmocka_run_group_tests_name("core: task groups", tests, NULL, NULL);
}

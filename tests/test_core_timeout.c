/* test_core_timeout.c: timeout scopes and shields, per semantics.md "Timeouts". */
#include "support.h"

typedef struct obs { int rc, rc2, rc3, later; double at; } obs;

static int expires(void *arg)
{
    obs *o = arg;
    double start = async_time();
    async_timeout t;
    async_timeout_enter(&t, 0.05);
    o->rc = async_timeout_exit(&t, async_sleep(1));
    o->at = async_time() - start;
    o->later = async_sleep(0.01);               /* the task is not left cancelled */
    return 0;
}

static void a_timeout_that_expires(void **state)
{
    (void)state;
    obs o = { 0 };
    assert_int_equal(async_run(expires, &o), 0);
    assert_int_equal(o.rc, UV_ETIMEDOUT);
    assert_int_equal(o.later, 0);
    assert_true(o.at >= 0.049 && o.at < 0.5);
}

static int does_not_expire(void *arg)
{
    obs *o = arg;
    async_timeout t;
    async_timeout_enter(&t, 0.05);
    o->rc = async_timeout_exit(&t, async_sleep(0.01));
    o->later = async_sleep(0.1);                /* past the old deadline: nothing fires */
    return 0;
}

static void a_timeout_that_does_not_expire_cancels_nothing_later(void **state)
{
    (void)state;
    obs o = { 0 };
    assert_int_equal(async_run(does_not_expire, &o), 0);
    assert_int_equal(o.rc, 0);
    assert_int_equal(o.later, 0);
}

static int deadline_zero(void *arg)
{
    obs *o = arg;
    async_timeout t;
    async_timeout_enter(&t, 0);
    o->rc = async_timeout_exit(&t, async_sleep(0.01));
    async_timeout_enter(&t, -1);
    o->rc2 = async_timeout_exit(&t, async_sleep(0.01));
    return 0;
}

static void a_deadline_of_zero_or_past_fires_at_the_first_await(void **state)
{
    (void)state;
    obs o = { 0 };
    assert_int_equal(async_run(deadline_zero, &o), 0);
    assert_int_equal(o.rc, UV_ETIMEDOUT);
    assert_int_equal(o.rc2, UV_ETIMEDOUT);
}

static int nested(void *arg)
{
    obs *o = arg;
    async_timeout outer, inner;
    /* inner first: the inner times out, the outer body goes on */
    async_timeout_enter(&outer, 1);
    async_timeout_enter(&inner, 0.02);
    o->rc = async_timeout_exit(&inner, async_sleep(1));
    int after = async_sleep(0.01);
    o->rc2 = async_timeout_exit(&outer, after);
    /* outer first: the inner passes the cancellation through */
    async_timeout_enter(&outer, 0.02);
    async_timeout_enter(&inner, 1);
    int in = async_timeout_exit(&inner, async_sleep(1));
    o->rc3 = async_timeout_exit(&outer, in);
    o->later = in;
    return 0;
}

static void nested_timeouts_each_way(void **state)
{
    (void)state;
    obs o = { 0 };
    assert_int_equal(async_run(nested, &o), 0);
    assert_int_equal(o.rc, UV_ETIMEDOUT);
    assert_int_equal(o.rc2, 0);
    assert_int_equal(o.later, UV_ECANCELED);
    assert_int_equal(o.rc3, UV_ETIMEDOUT);
}

static int both_at_once(void *arg)
{
    obs *o = arg;
    async_timeout outer, inner;
    async_timeout_enter(&outer, 0.03);
    async_timeout_enter(&inner, 0.03);
    o->rc = async_timeout_exit(&inner, async_sleep(1));
    o->rc2 = async_timeout_exit(&outer, o->rc);
    return 0;
}

static void both_expiring_at_once_only_the_outermost_times_out(void **state)
{
    (void)state;
    obs o = { 0 };
    assert_int_equal(async_run(both_at_once, &o), 0);
    assert_int_equal(o.rc, UV_ECANCELED);
    assert_int_equal(o.rc2, UV_ETIMEDOUT);
}

static int inside_scope(void *arg)
{
    obs *o = arg;
    async_timeout t;
    async_timeout_enter(&t, 0.05);
    o->rc = async_timeout_exit(&t, async_sleep(1));
    return o->rc;
}

static int cancel_from_outside(void *arg)
{
    obs *o = arg;
    async_task *t = async_create_task(inside_scope, o);
    async_sleep(0.01);
    async_cancel(t);
    o->rc2 = async_await(t);
    /* and landing at the deadline itself */
    t = async_create_task(inside_scope, o);
    async_sleep(0.05);
    async_cancel(t);
    o->rc3 = async_await(t);
    return 0;
}

static void an_outside_cancel_inside_a_scope_stays_a_cancellation(void **state)
{
    (void)state;
    obs o = { 0 };
    assert_int_equal(async_run(cancel_from_outside, &o), 0);
    assert_int_equal(o.rc2, UV_ECANCELED);
    assert_int_equal(o.rc3, UV_ECANCELED);
}

static int shielded_cleanup(void *arg)
{
    obs *o = arg;
    int rc = async_sleep(1);                    /* cancelled */
    async_shield s;
    async_shield_enter(&s);
    o->rc2 = async_sleep(0.02);                 /* cleanup that must await */
    async_shield_exit(&s);
    o->rc3 = async_sleep(0.01);                 /* cancelled again outside */
    return rc;
}

static int shield_case(void *arg)
{
    obs *o = arg;
    async_task *t = async_create_task(shielded_cleanup, o);
    async_sleep(0.01);
    async_cancel(t);
    o->rc = async_await(t);
    return 0;
}

static void a_shield_lets_cleanup_await(void **state)
{
    (void)state;
    obs o = { 0 };
    assert_int_equal(async_run(shield_case, &o), 0);
    assert_int_equal(o.rc, UV_ECANCELED);
    assert_int_equal(o.rc2, 0);
    assert_int_equal(o.rc3, UV_ECANCELED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_timeout_that_expires),
        cmocka_unit_test(a_timeout_that_does_not_expire_cancels_nothing_later),
        cmocka_unit_test(a_deadline_of_zero_or_past_fires_at_the_first_await),
        cmocka_unit_test(nested_timeouts_each_way),
        cmocka_unit_test(both_expiring_at_once_only_the_outermost_times_out),
        cmocka_unit_test(an_outside_cancel_inside_a_scope_stays_a_cancellation),
        cmocka_unit_test(a_shield_lets_cleanup_await),
    };
    return cmocka_run_group_tests_name("core: timeouts and shields", tests, NULL, NULL);
}

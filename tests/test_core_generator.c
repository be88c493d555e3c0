/* test_core_generator.c: async generators and to_thread, per semantics.md. */
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct counter { int upto, cleaned, fail_at, sleep_each; } counter;

static int count_up(async_generator *g, void *arg)
{
    counter *c = arg;
    static int values[100];
    int rc = 0;
    for (int i = 0; i < c->upto; i++) {
        if (c->sleep_each && (rc = async_sleep(0.001)))
            break;
        if (c->fail_at && i == c->fail_at) {
            rc = UV_EIO;
            break;
        }
        values[i] = i;
        if ((rc = async_yield(g, &values[i])))
            break;
    }
    c->cleaned = 1;
    return rc;
}

typedef struct seen { int items[100]; int n, end_rc, again_rc, close_rc, cleaned_before_close; } seen;

static int consume(async_generator *g, seen *s, int stop_after)
{
    void *item;
    int rc;
    while ((rc = async_next(g, &item)) == 1) {
        s->items[s->n++] = *(int *)item;
        if (s->n == stop_after)
            return 1;
    }
    return rc;
}

typedef struct gen_case { counter c; seen s; } gen_case;

static int to_the_end(void *arg)
{
    gen_case *k = arg;
    async_generator *g = async_generator_create(count_up, &k->c);
    k->s.end_rc = consume(g, &k->s, -1);
    k->s.again_rc = async_next(g, NULL);
    k->s.close_rc = async_generator_close(g);
    return 0;
}

static void items_arrive_in_order_and_the_end_once(void **state)
{
    (void)state;
    gen_case k;
    memset(&k, 0, sizeof k);
    k.c.upto = 5;
    k.c.sleep_each = 1;
    assert_int_equal(async_run(to_the_end, &k), 0);
    assert_int_equal(k.s.n, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(k.s.items[i], i);
    assert_int_equal(k.s.end_rc, 0);
    assert_int_equal(k.s.again_rc, 0);
    assert_int_equal(k.s.close_rc, 0);
}

static int close_early(void *arg)
{
    gen_case *k = arg;
    async_generator *g = async_generator_create(count_up, &k->c);
    consume(g, &k->s, 2);
    k->s.cleaned_before_close = k->c.cleaned;
    k->s.close_rc = async_generator_close(g);
    return 0;
}

static void closing_early_runs_the_cleanup_before_close_returns(void **state)
{
    (void)state;
    gen_case k;
    memset(&k, 0, sizeof k);
    k.c.upto = 50;
    assert_int_equal(async_run(close_early, &k), 0);
    assert_int_equal(k.s.n, 2);
    assert_int_equal(k.s.cleaned_before_close, 0);
    assert_int_equal(k.c.cleaned, 1);
    assert_int_equal(k.s.close_rc, 0);
}

static void a_producer_that_fails_reports_its_error(void **state)
{
    (void)state;
    gen_case k;
    memset(&k, 0, sizeof k);
    k.c.upto = 10;
    k.c.fail_at = 3;
    assert_int_equal(async_run(to_the_end, &k), 0);
    assert_int_equal(k.s.n, 3);
    assert_int_equal(k.s.end_rc, UV_EIO);
    assert_int_equal(k.s.close_rc, UV_EIO);
}

static int slow_producer(async_generator *g, void *arg)
{
    (void)g;
    counter *c = arg;
    int rc = async_sleep(10);
    c->cleaned = 1;
    return rc;
}

typedef struct cc { counter c; async_generator *g; int next_rc, close_rc; } cc;

static int next_only(void *arg)
{
    cc *k = arg;
    return k->next_rc = async_next(k->g, NULL);
}

static int cancel_consumer(void *arg)
{
    cc *k = arg;
    k->g = async_generator_create(slow_producer, &k->c);
    async_task *t = async_create_task(next_only, k);
    async_sleep(0.02);
    async_cancel(t);
    async_await(t);
    k->close_rc = async_generator_close(k->g);
    return 0;
}

static void a_cancelled_consumer_cancels_the_producer_await(void **state)
{
    (void)state;
    cc k;
    memset(&k, 0, sizeof k);
    double start = now_seconds();
    assert_int_equal(async_run(cancel_consumer, &k), 0);
    assert_int_equal(k.next_rc, UV_ECANCELED);
    assert_int_equal(k.c.cleaned, 1);
    assert_int_equal(k.close_rc, 0);
    assert_true(now_seconds() - start < 5);
}

static int stubborn(async_generator *g, void *arg)
{
    (void)arg;
    static int v = 1;
    async_yield(g, &v);
    async_yield(g, &v);      /* ignores the close */
    return 0;
}

static int close_stubborn(void *arg)
{
    int *rc = arg;
    async_generator *g = async_generator_create(stubborn, NULL);
    async_next(g, NULL);
    *rc = async_generator_close(g);
    return 0;
}

static void yielding_after_close_is_an_error(void **state)
{
    (void)state;
    int rc = 0;
    assert_int_equal(async_run(close_stubborn, &rc), 0);
    assert_int_equal(rc, UV_EINVAL);
}

/* ------------------------------------------------------------ to_thread */

typedef struct job { int ran; int result; } job;

static int blocking_work(void *arg)
{
    job *j = arg;
    usleep(200000);
    j->ran = 1;
    return j->result;
}

static int ticker(void *arg)
{
    int *ticks = arg;
    while (async_sleep(0.01) == 0)
        ++*ticks;
    return 0;
}

typedef struct threads { job j[6]; int rc[6]; int ticks; } threads;

static int thread_result(void *arg)
{
    threads *t = arg;
    async_task *tick = async_create_task(ticker, &t->ticks);
    t->j[0].result = 42;
    t->rc[0] = async_to_thread(blocking_work, &t->j[0]);
    async_cancel(tick);
    return async_await(tick);
}

static void to_thread_returns_while_the_loop_keeps_ticking(void **state)
{
    (void)state;
    skip_unless_spawn_works();
    threads t;
    memset(&t, 0, sizeof t);
    assert_int_equal(async_run(thread_result, &t), 0);
    assert_int_equal(t.rc[0], 42);
    assert_true(t.ticks >= 5);       /* 200 ms of 10 ms ticks, wide margin */
}

static int call_work(void *arg)
{
    return async_to_thread(blocking_work, arg);
}

static int cancel_threads(void *arg)
{
    threads *t = arg;
    async_task *tasks[6];
    /* libuv's pool has 4 threads: the 5th and 6th calls wait in its queue */
    for (int i = 0; i < 6; i++)
        tasks[i] = async_create_task(call_work, &t->j[i]);
    async_sleep(0.05);
    async_cancel(tasks[5]);          /* queued: never runs */
    async_cancel(tasks[0]);          /* running: waited for, then UV_ECANCELED */
    for (int i = 0; i < 6; i++)
        t->rc[i] = async_await(tasks[i]);
    return 0;
}

static void to_thread_cancel_queued_and_running(void **state)
{
    (void)state;
    skip_unless_spawn_works();
    if (getenv("UV_THREADPOOL_SIZE"))
        skip();
    threads t;
    memset(&t, 0, sizeof t);
    assert_int_equal(async_run(cancel_threads, &t), 0);
    assert_int_equal(t.rc[5], UV_ECANCELED);
    assert_int_equal(t.j[5].ran, 0);
    assert_int_equal(t.rc[0], UV_ECANCELED);
    assert_int_equal(t.j[0].ran, 1);
    assert_int_equal(t.rc[1], 0);
}

static int null_generator(void *arg)
{
    (void)arg;
    void *item = NULL;
    assert_int_equal(async_next(NULL, &item), UV_EINVAL);
    assert_int_equal(async_yield(NULL, item), UV_EINVAL);
    assert_int_equal(async_generator_close(NULL), UV_EINVAL);
    return 0;
}

static void a_null_generator_is_an_error_not_a_crash(void **state)
{
    (void)state;
    assert_int_equal(async_run(null_generator, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(items_arrive_in_order_and_the_end_once),
        cmocka_unit_test(closing_early_runs_the_cleanup_before_close_returns),
        cmocka_unit_test(a_producer_that_fails_reports_its_error),
        cmocka_unit_test(a_cancelled_consumer_cancels_the_producer_await),
        cmocka_unit_test(yielding_after_close_is_an_error),
        cmocka_unit_test(to_thread_returns_while_the_loop_keeps_ticking),
        cmocka_unit_test(to_thread_cancel_queued_and_running),
        cmocka_unit_test(a_null_generator_is_an_error_not_a_crash),
    };
    return cmocka_run_group_tests_name("core: generators and to_thread", tests, NULL, NULL);
}

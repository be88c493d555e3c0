#include "check.h"
#include "exercise.h"

typedef struct result { pool p; int rc; int out_while_running; } result;

static int run(void *arg)
{
    result *r = arg;
    async_task *t = async_create_task(use_a_connection, &r->p);
    async_sleep(0.05);
    r->out_while_running = r->p.connections_out;
    async_cancel(t);
    r->rc = async_await(t);
    return 0;
}

static void the_connection_comes_back_on_cancel(void **state)
{
    (void)state;
    result r = { { 0 }, 0, 0 };
    assert_int_equal(async_run(run, &r), 0);
    assert_int_equal(r.out_while_running, 1);
    assert_int_equal(r.rc, UV_ECANCELED);
    assert_int_equal(r.p.connections_out, 0);
}

CHECK_MAIN(the_connection_comes_back_on_cancel)

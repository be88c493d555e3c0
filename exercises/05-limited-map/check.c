#include "check.h"
#include "exercise.h"

typedef struct result { job_board board; int rc; } result;

static int run(void *arg)
{
    result *r = arg;
    r->rc = limited_map(&r->board, 30, 4);
    return 0;
}

static void never_more_than_k_and_all_done(void **state)
{
    (void)state;
    result r = { { 0, 0, 0 }, -1 };
    assert_int_equal(async_run(run, &r), 0);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.board.done, 30);
    assert_int_equal(r.board.most_running, 4);   /* reached, never exceeded */
}

CHECK_MAIN(never_more_than_k_and_all_done)

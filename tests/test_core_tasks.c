/* test_core_tasks.c: tasks, awaits, cancellation, the end-of-run report,
 * Ctrl-C. Observations are collected inside async_run and asserted after it
 * returns: a cmocka failure must not jump out of a task's stack. */
#include "support.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>

static int sleep_tenth(void *arg)
{
    (void)arg;
    return async_sleep(0.1);
}

typedef struct five { double took; int rc[5]; } five;

static int five_sleeps(void *arg)
{
    five *f = arg;
    async_task *t[5];
    double start = async_time();
    for (int i = 0; i < 5; i++)
        t[i] = async_create_task(sleep_tenth, NULL);
    for (int i = 0; i < 5; i++)
        f->rc[i] = async_await(t[i]);
    f->took = async_time() - start;
    return 0;
}

static void five_sleeps_run_concurrently(void **state)
{
    (void)state;
    five f = { 0 };
    assert_int_equal(async_run(five_sleeps, &f), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(f.rc[i], 0);
    assert_true(f.took >= 0.099);
    assert_true(f.took < 0.25);
}

static int return_status(void *arg)
{
    return *(int *)arg;
}

static void run_returns_main_status(void **state)
{
    (void)state;
    int v = UV_EIO;
    assert_int_equal(async_run(return_status, &v), UV_EIO);
    v = 0;
    assert_int_equal(async_run(return_status, &v), 0);
}

typedef struct cancels {
    int ran_body, pending_rc, finished_cancel, finished_rc, before_rc, cancel_pending;
} cancels;

static int mark_ran(void *arg)
{
    *(int *)arg = 1;
    return 0;
}

static int long_sleep(void *arg)
{
    (void)arg;
    return async_sleep(10);
}

static int cancel_cases(void *arg)
{
    cancels *c = arg;
    async_task *pending = async_create_task(long_sleep, NULL);
    async_sleep(0.01);
    c->cancel_pending = async_cancel(pending);
    c->pending_rc = async_await(pending);

    int dummy = 0;
    async_task *finished = async_create_task(mark_ran, &dummy);
    async_sleep(0.01);
    c->finished_cancel = async_cancel(finished);
    c->finished_rc = async_await(finished);

    async_task *never = async_create_task(mark_ran, &c->ran_body);
    async_cancel(never);                     /* before its first run */
    c->before_rc = async_await(never);
    return 0;
}

static void cancel_pending_finished_and_unstarted(void **state)
{
    (void)state;
    cancels c = { 0 };
    assert_int_equal(async_run(cancel_cases, &c), 0);
    assert_int_equal(c.cancel_pending, 1);
    assert_int_equal(c.pending_rc, UV_ECANCELED);
    assert_int_equal(c.finished_cancel, 0);
    assert_int_equal(c.finished_rc, 0);
    assert_int_equal(c.before_rc, UV_ECANCELED);
    assert_int_equal(c.ran_body, 0);
}

typedef struct await_pair { async_task *inner; int outer_rc, inner_rc, inner_done_ok; } await_pair;

static int await_inner(void *arg)
{
    await_pair *p = arg;
    return async_await(p->inner);
}

static int cancel_the_awaiter(void *arg)
{
    await_pair *p = arg;
    p->inner = async_create_task(sleep_tenth, NULL);
    async_task *outer = async_create_task(await_inner, p);
    async_sleep(0.02);
    async_cancel(outer);
    p->outer_rc = async_await(outer);
    p->inner_rc = async_await(p->inner);   /* still running, still ours to await */
    return 0;
}

static void cancelling_an_await_leaves_the_awaited_task_alone(void **state)
{
    (void)state;
    await_pair p = { 0 };
    assert_int_equal(async_run(cancel_the_awaiter, &p), 0);
    assert_int_equal(p.outer_rc, UV_ECANCELED);
    assert_int_equal(p.inner_rc, 0);
}

typedef struct order { char log[16]; int n; } order;

static int append_a(void *arg) { order *o = arg; for (int i = 0; i < 3; i++) { o->log[o->n++] = 'a'; async_sleep(0); } return 0; }
static int append_b(void *arg) { order *o = arg; for (int i = 0; i < 3; i++) { o->log[o->n++] = 'b'; async_sleep(0); } return 0; }

static int interleave(void *arg)
{
    async_task *a = async_create_task(append_a, arg);
    async_task *b = async_create_task(append_b, arg);
    async_await(a);
    async_await(b);
    return 0;
}

static void sleep_zero_yields_in_turn(void **state)
{
    (void)state;
    order o = { { 0 }, 0 };
    assert_int_equal(async_run(interleave, &o), 0);
    assert_string_equal(o.log, "ababab");
}

typedef struct names { const char *current_name; int same; char set_name[32]; } names;

static int who_am_i(void *arg)
{
    names *n = arg;
    n->current_name = async_task_name(async_current_task());
    return 0;
}

static int naming(void *arg)
{
    names *n = arg;
    async_task *t = async_create_task(who_am_i, n);
    async_await(t);
    n->same = strcmp(n->current_name, "who_am_i") == 0;
    t = async_create_task(sleep_tenth, NULL);
    async_task_set_name(t, "renamed");
    snprintf(n->set_name, sizeof n->set_name, "%s", async_task_name(t));
    return async_await(t);
}

static void tasks_are_named_after_their_function(void **state)
{
    (void)state;
    names n = { 0 };
    assert_int_equal(async_run(naming, &n), 0);
    assert_true(n.same);
    assert_string_equal(n.set_name, "renamed");
    assert_null(async_current_task());
}

static int forgotten(void *arg) { (void)arg; return 0; }
static int forget_one(void *arg) { (void)arg; async_create_task(forgotten, NULL); return async_sleep(0.01); }
static int still_running(void *arg) { (void)arg; return async_sleep(10); }
static int leave_one_running(void *arg) { (void)arg; async_create_task(still_running, NULL); return async_sleep(0.01); }

static void never_awaited_task_is_reported_by_name(void **state)
{
    (void)state;
    char *err = NULL;
    assert_int_equal(run_forked(forget_one, NULL, &err), 0);
    assert_non_null(strstr(err, "async: task 'forgotten' was never awaited"));
    free(err);
    double start = now_seconds();
    assert_int_equal(run_forked(leave_one_running, NULL, &err), 0);
    assert_true(now_seconds() - start < 5);   /* cancelled, not waited for 10 s */
    assert_non_null(strstr(err, "async: task 'still_running' was still pending when main returned"));
    free(err);
}

static int awaits_everything(void *arg) { (void)arg; async_task *t = async_create_task(forgotten, NULL); return async_await(t); }

static void awaited_task_is_not_reported(void **state)
{
    (void)state;
    char *err = NULL;
    assert_int_equal(run_forked(awaits_everything, NULL, &err), 0);
    assert_string_equal(err, "");
    free(err);
}

static int cleanup_worker(void *arg)
{
    (void)arg;
    int rc = async_sleep(30);
    fprintf(stderr, "cleanup ran: %s\n", uv_err_name(rc));
    return rc;
}

static int group_of_sleepers(void *arg)
{
    (void)arg;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < 3; i++)
        async_taskgroup_create_task(&tg, cleanup_worker, NULL);
    fprintf(stderr, "ready\n");
    int rc = async_taskgroup_wait(&tg);
    fprintf(stderr, "main cleanup: %s\n", uv_err_name(rc));
    return rc;
}

static void sigint_cancels_main_runs_cleanup_and_exits_130(void **state)
{
    (void)state;
    skip_unless_spawn_works();
    int err[2];
    assert_int_equal(pipe(err), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(err[1], 2);
        close(err[0]);
        async_run(group_of_sleepers, NULL);
        _exit(0);   /* not reached: async_run exits 130 after a Ctrl-C */
    }
    close(err[1]);
    char buf[4096] = { 0 };
    size_t len = 0;
    double start = now_seconds();
    while (!strstr(buf, "ready") && len < sizeof buf - 1) {
        ssize_t n = read(err[0], buf + len, sizeof buf - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    usleep(under_valgrind() ? 500000 : 100000);
    kill(pid, SIGINT);
    ssize_t n;
    while ((n = read(err[0], buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)n;
    close(err[0]);
    int st;
    waitpid(pid, &st, 0);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 130);
    assert_int_equal(count_lines_with(buf, "cleanup ran: ECANCELED"), 3);
    assert_non_null(strstr(buf, "main cleanup: ECANCELED"));
    assert_true(now_seconds() - start < 10);
}

static int nothing(void *arg) { (void)arg; return 0; }

/* An await outside any task is refused with UV_EINVAL; entering a scope
 * outside a task (a void call) stops the program with a message naming the
 * mistake, not a segfault. */
static void awaits_outside_a_task_are_refused(void **state)
{
    (void)state;
    async_semaphore s;
    async_semaphore_init(&s, 1);
    assert_int_equal(async_sleep(0.01), UV_EINVAL);
    assert_int_equal(async_semaphore_acquire(&s), UV_EINVAL);
    assert_int_equal(async_to_thread(nothing, NULL), UV_EINVAL);
    assert_int_equal(async_await(NULL), UV_EINVAL);
    assert_null(async_create_task(nothing, NULL));
    skip_unless_spawn_works();
    fflush(NULL);
    int err[2];
    assert_int_equal(pipe(err), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(err[1], 2);
        async_timeout t;
        async_timeout_enter(&t, 1);
        _exit(0);
    }
    close(err[1]);
    char buf[512] = { 0 };
    size_t len = 0;
    ssize_t n;
    while (len < sizeof buf - 1 && (n = read(err[0], buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)n;
    close(err[0]);
    int st;
    waitpid(pid, &st, 0);
    assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
    assert_non_null(strstr(buf, "entered outside a task"));
}

typedef struct wakeups { double woke_after; } wakeups;

static int sleep_then_note(void *arg)
{
    wakeups *w = arg;
    double start = async_time();
    async_sleep(0.001);
    w->woke_after = async_time() - start;
    return 0;
}

static int spin_20ms(void *arg)
{
    (void)arg;
    double end = async_time() + 0.02;
    while (async_time() < end)
        ;
    return 0;
}

/* By the time the loop polls, the short sleep is already due: its timer
 * fires in uv_run's first phase, before the poll. */
static int one_short_one_long(void *arg)
{
    async_task *long_one = async_create_task(long_sleep, NULL);
    async_task *short_one = async_create_task(sleep_then_note, arg);
    async_task *spinner = async_create_task(spin_20ms, NULL);
    async_await(short_one);
    async_await(spinner);
    async_cancel(long_one);
    return async_await(long_one) == UV_ECANCELED ? 0 : UV_EINVAL;
}

/* A timer callback readies a task inside uv_run; the loop must not then
 * block in its poll until the next timer (10 s away here). */
static void a_task_woken_by_a_timer_runs_at_once(void **state)
{
    (void)state;
    wakeups w = { 0 };
    assert_int_equal(async_run(one_short_one_long, &w), 0);
    assert_true(w.woke_after >= 0.001 && w.woke_after < 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(five_sleeps_run_concurrently),
        cmocka_unit_test(a_task_woken_by_a_timer_runs_at_once),
        cmocka_unit_test(run_returns_main_status),
        cmocka_unit_test(cancel_pending_finished_and_unstarted),
        cmocka_unit_test(cancelling_an_await_leaves_the_awaited_task_alone),
        cmocka_unit_test(sleep_zero_yields_in_turn),
        cmocka_unit_test(tasks_are_named_after_their_function),
        cmocka_unit_test(never_awaited_task_is_reported_by_name),
        cmocka_unit_test(awaited_task_is_not_reported),
        cmocka_unit_test(sigint_cancels_main_runs_cleanup_and_exits_130),
        cmocka_unit_test(awaits_outside_a_task_are_refused),
    };
    return cmocka_run_group_tests_name("core: tasks", tests, NULL, NULL);
}

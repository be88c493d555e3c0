/* test_chaos.c: thousands of tasks mixing sleeps, HTTP fetches against the
 * demo server (some of which misbehave), semaphore waits, generators and
 * thread work, with random cancellations and timeouts. Nothing may crash or
 * leak (make asan, make valgrind), every task must be accounted for, and the
 * semaphore must be back to its initial value. The seed is printed. */
#include "async_http.h"
#include "wb_demo_server.h"
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { KINDS = 5, PERMITS = 8 };

typedef struct chaos {
    async_semaphore sem;
    async_http_client *client;
    int port;
    unsigned seed;
    int created, cancel_requests;
    int started[KINDS], finished[KINDS], cancelled, timed_out, failed;
    int in_sem, max_in_sem;
    int odd_error;      /* a failure other than the misbehaving server's */
} chaos;

typedef struct job {
    chaos *c;
    async_task *task;
    int running;        /* between its first line and its return: safe to cancel */
    int kind;
    double delay;
    int misbehave;
} job;

static int numbers(async_generator *g, void *arg)
{
    static int v[4] = { 1, 2, 3, 4 };
    job *j = arg;
    for (int i = 0; i < 4; i++) {
        int rc = async_sleep(j->delay / 4);
        if (rc || (rc = async_yield(g, &v[i])))
            return rc;
    }
    return 0;
}

static int snooze(void *arg)
{
    job *j = arg;
    usleep((useconds_t)(j->delay * 1e6));
    return 0;
}

static int do_job(job *j)
{
    chaos *c = j->c;
    char url[96];
    async_http_response r;
    int rc;
    switch (j->kind) {
    case 0:
        return async_sleep(j->delay);
    case 1:
        if ((rc = async_semaphore_acquire(&c->sem)))
            return rc;
        if (++c->in_sem > c->max_in_sem)
            c->max_in_sem = c->in_sem;
        rc = async_sleep(j->delay);
        c->in_sem--;
        async_semaphore_release(&c->sem);
        return rc;
    case 2: {
        static const char *paths[] = { "/delay/%d", "/delay/%d", "/hang", "/drop", "/garbage", "/status/500" };
        const char *p = paths[j->misbehave % 6];
        char path[32];
        snprintf(path, sizeof path, p, (int)(j->delay * 1000));
        snprintf(url, sizeof url, "http://127.0.0.1:%d%s", c->port, path);
        rc = async_http_get(c->client, url, &r);
        async_http_response_free(&r);
        return rc;
    }
    case 3: {
        async_generator *g = async_generator_create(numbers, j);
        void *item;
        while ((rc = async_next(g, &item)) == 1)
            ;
        int closed = async_generator_close(g);
        return rc ? rc : closed;
    }
    default:
        return async_to_thread(snooze, j);
    }
}

static int chaos_task(void *arg)
{
    job *j = arg;
    chaos *c = j->c;
    j->running = 1;
    c->started[j->kind]++;
    async_timeout t;
    async_timeout_enter(&t, j->delay * 2 + 0.05 * (j->misbehave % 3));
    int rc = async_timeout_exit(&t, do_job(j));
    c->finished[j->kind]++;
    if (rc == UV_ECANCELED) c->cancelled++;
    else if (rc == UV_ETIMEDOUT) c->timed_out++;
    else if (rc) c->failed++;
    /* /drop and /garbage fail as protocol errors (or a reset); nothing else may */
    if (rc && rc != UV_ECANCELED && rc != UV_ETIMEDOUT && rc != UV_EPROTO && rc != UV_ECONNRESET)
        c->odd_error = rc;
    j->running = 0;
    return 0;       /* failures are counted, not propagated: the group must go on */
}

typedef struct plan { chaos *c; job *jobs; int n; } plan;

static int run_chaos(void *arg)
{
    plan *p = arg;
    chaos *c = p->c;
    async_semaphore_init(&c->sem, PERMITS);
    c->client = async_http_client_new(NULL);
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < p->n; i++) {
        p->jobs[i].task = async_taskgroup_create_task(&tg, chaos_task, &p->jobs[i]);
        c->created += p->jobs[i].task != NULL;
        if (i % 97 == 0)
            async_sleep(0);
    }
    /* Random cancellations while they run: a tenth of the tasks, a few per
     * millisecond. A group frees a child as soon as it ends, so only a task
     * between its first line and its return is a valid target: a few random
     * picks find one while many still run. */
    for (int k = 0; k < p->n / 10; k++) {
        if (k % 8 == 0)
            async_sleep(0.001);
        for (int tries = 0; tries < 16; tries++) {
            job *victim = &p->jobs[rand_r(&c->seed) % p->n];
            if (victim->running) {
                c->cancel_requests += async_cancel(victim->task);
                break;
            }
        }
    }
    int rc = async_taskgroup_wait(&tg);
    async_http_client_close(c->client);
    return rc;
}

static void ten_thousand_tasks_in_chaos(void **state)
{
    (void)state;
    skip_unless_spawn_works();                     /* the demo server is a thread */
    wb_demo_server_options o = { NULL, 0, 0.01 };
    wb_demo_server *demo = wb_demo_server_start(&o);
    assert_non_null(demo);
    chaos c;
    memset(&c, 0, sizeof c);
    c.port = wb_demo_server_port(demo);
    const char *s = getenv("CHAOS_SEED");
    c.seed = s ? (unsigned)atoi(s) : (unsigned)time(NULL);
    print_message("chaos seed %u (CHAOS_SEED=%u repeats this run)\n", c.seed, c.seed);
    int n = under_valgrind() ? 600 : 10000;
    job *jobs = calloc((size_t)n, sizeof *jobs);
    unsigned seed = c.seed;
    for (int i = 0; i < n; i++) {
        jobs[i].c = &c;
        jobs[i].kind = rand_r(&seed) % KINDS;
        if (jobs[i].kind == 4 && rand_r(&seed) % 4)
            jobs[i].kind = 0;                      /* few thread jobs: the pool has 4 threads */
        jobs[i].delay = (rand_r(&seed) % 50) / 1000.0 + 0.001;
        jobs[i].misbehave = rand_r(&seed);
    }
    plan p = { &c, jobs, n };
    double start = now_seconds();
    assert_int_equal(async_run(run_chaos, &p), 0);
    double took = now_seconds() - start;
    int started = 0, finished = 0;
    for (int k = 0; k < KINDS; k++) {
        started += c.started[k];
        finished += c.finished[k];
    }
    print_message("%d tasks in %.1f s: %d cancel requests, %d cancelled, %d timed out, %d failed;"
                  " at most %d in the semaphore\n", n, took, c.cancel_requests, c.cancelled,
                  c.timed_out, c.failed, c.max_in_sem);
    assert_int_equal(c.created, n);
    assert_int_equal(started, n);                  /* only running tasks are cancelled */
    assert_int_equal(finished, started);           /* every task that ran has ended */
    assert_true(c.cancel_requests > 0);
    if (c.odd_error)
        print_message("unexpected error: %s\n", uv_strerror(c.odd_error));
    assert_int_equal(c.odd_error, 0);
    assert_int_equal(async_semaphore_value(&c.sem), PERMITS);
    assert_int_equal(async_semaphore_waiters(&c.sem), 0);
    assert_true(c.max_in_sem <= PERMITS);
    assert_true(took < (under_valgrind() ? 300 : 60));
    free(jobs);
    wb_demo_server_stop(demo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ten_thousand_tasks_in_chaos),
    };
    return cmocka_run_group_tests_name("chaos", tests, NULL, NULL);
}

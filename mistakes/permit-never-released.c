/* Mistake: a semaphore permit never released.
 *
 * Six jobs share a database that takes two connections at once: a
 * Semaphore(2). Jobs 2 and 4 fail; a failed job notes its error and returns.
 * The wrong version returns before it releases its permit, so each failure
 * loses one: after the second, no permit is left and the jobs still queued
 * wait for ever. Here nothing else runs, so the core sees that nothing can
 * wake them: it prints where every task waits (the tree names the semaphore,
 * the line that took the lost permit and the task that took it, now
 * finished) and cancels them. In a program with a server or a heartbeat
 * beside it, nothing is detected: it just hangs, and Ctrl-\ prints the same
 * tree. The fix: release on every path (one way out, as `async with sem:`).
 */
#include "async.h"
#include "mistake_harness.h"
#include "wb_output.h"

enum { JOBS = 6, PERMITS = 2 };

typedef struct job {
    int number;
    int fails;          /* this job's query fails */
    int done;           /* it ran to the end (failed or not) */
} job;

static async_semaphore db_permits;

static int query(void)
{
    return async_sleep(0.05);       /* the query: 50 ms */
}

static int run_job_leaky(void *arg)
{
    job *j = arg;
    int rc = async_semaphore_acquire(&db_permits);
    if (rc)
        return rc;
    if (j->fails) {
        j->done = 1;
        return 0;                   /* the mistake: this path keeps the permit */
    }
    rc = query();
    async_semaphore_release(&db_permits);
    j->done = rc == 0;
    return rc;
}

static int run_job(void *arg)
{
    job *j = arg;
    int rc = async_semaphore_acquire(&db_permits);
    if (rc)
        return rc;
    if (!j->fails)
        rc = query();
    async_semaphore_release(&db_permits);   /* the fix: every path comes through here */
    j->done = rc == 0;
    return rc;
}

typedef struct batch {
    job jobs[JOBS];
    int leaky;
} batch;

static int run_batch(void *arg)
{
    batch *b = arg;
    async_semaphore_init(&db_permits, PERMITS);
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < JOBS; i++) {
        b->jobs[i] = (job){ .number = i + 1, .fails = i == 1 || i == 3 };
        if (b->leaky)
            async_taskgroup_create_task(&tg, run_job_leaky, &b->jobs[i]);
        else
            async_taskgroup_create_task(&tg, run_job, &b->jobs[i]);
    }
    return async_taskgroup_wait(&tg);
}

static int count_done(const batch *b)
{
    int n = 0;
    for (int i = 0; i < JOBS; i++)
        n += b->jobs[i].done;
    return n;
}

int main(int argc, char **argv)
{
    int done = mistake_start(argc, argv, "permit-never-released",
                             "a failure path that keeps its semaphore permit starves the "
                             "others; the task tree names the line that took it");
    if (done >= 0)
        return done;
    static batch leaky = { .leaky = 1 }, fixed = { .leaky = 0 };
    printf("%d jobs share a database that takes %d connections at once (a Semaphore(%d)); "
           "jobs 2 and 4 fail\n", JOBS, PERMITS, PERMITS);
    printf("(the core's deadlock report, with the task tree, follows on stderr)\n");
    wb_output_flush();
    /* No heartbeat beside the wrong half: with one, nothing would detect the
     * deadlock and the demo would hang, as a real server does. */
    double start = async_time();
    int rc = async_run(run_batch, &leaky);
    double took = async_time() - start;
    if (rc && rc != UV_ECANCELED) {   /* the deadlock check's cancel is the demo, not this */
        fprintf(stderr, "mistake-permit-never-released: the run of the wrong way failed: %s\n",
                uv_strerror(rc));
        return 1;
    }
    printf("wrong: took %.2f s; %d of %d jobs ran to the end; the others waited for a permit "
           "until the deadlock check cancelled them (%s)\n",
           took, count_done(&leaky), JOBS, rc ? uv_err_name(rc) : "no error");
    mistake_half right;
    mistake_run(&right, "right", run_batch, &fixed);
    mistake_print(&right);
    printf("right: %d of %d jobs ran to the end\n", count_done(&fixed), JOBS);
    printf("verdict: two failures kept their permits and %d jobs could never start; releasing "
           "on every path ran all %d\n", JOBS - count_done(&leaky), count_done(&fixed));
    return 0;
}

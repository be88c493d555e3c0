/* Mistake: the gather pattern (create tasks, then await each in turn).
 *
 * When one awaited task fails, the caller returns its error at once, but
 * nothing stops the others: they keep working for nothing (and here, since
 * main ends, they are cancelled late and reported as still pending). A
 * TaskGroup cancels the siblings as soon as one fails.
 */
#include "async.h"
#include "mistake_harness.h"

enum { JOBS = 5 };

typedef struct job {
    int id;
    double wasted;       /* seconds spent after the caller had given up */
    double *gave_up;
} job;

static int fetch_report(void *arg)
{
    job *j = arg;
    double start = async_time();
    if (j->id == 1) {
        async_sleep(0.05);
        return UV_ECONNREFUSED;        /* the first job fails at 50 ms */
    }
    int rc = async_sleep(0.5);
    if (*j->gave_up > 0)
        j->wasted = async_time() - (*j->gave_up > start ? *j->gave_up : start);
    return rc;
}

typedef struct plan {
    job jobs[JOBS];
    double gave_up;
    double returned_at;
} plan;

static double wasted(const plan *p)
{
    double total = 0;
    for (int i = 0; i < JOBS; i++)
        total += p->jobs[i].wasted;
    return total;
}

static void prepare(plan *p)
{
    for (int i = 0; i < JOBS; i++)
        p->jobs[i] = (job){ i + 1, 0, &p->gave_up };
}

static int await_each(void *arg)
{
    plan *p = arg;
    async_task *tasks[JOBS];
    double start = async_time();
    for (int i = 0; i < JOBS; i++)
        tasks[i] = async_create_task(fetch_report, &p->jobs[i]);
    for (int i = 0; i < JOBS; i++) {
        int rc = async_await(tasks[i]);
        if (rc) {                       /* the mistake: return, leaving the rest running */
            p->gave_up = async_time();
            p->returned_at = p->gave_up - start;
            async_sleep(0.6);           /* the program goes on with other work... */
            return rc;
        }
    }
    return 0;
}

static int in_a_group(void *arg)
{
    plan *p = arg;
    double start = async_time();
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < JOBS; i++)
        async_taskgroup_create_task(&tg, fetch_report, &p->jobs[i]);
    int rc = async_taskgroup_wait(&tg);  /* the fix: the failure cancels the rest */
    p->gave_up = async_time();
    p->returned_at = p->gave_up - start;
    async_sleep(0.6);
    return rc;
}

int main(int argc, char **argv)
{
    int done = mistake_start(argc, argv, "gather-orphans",
                             "awaiting one by one leaves orphans running after a failure; a TaskGroup cancels them");
    if (done >= 0)
        return done;
    mistake_half wrong, right;
    static plan gathered, grouped;
    prepare(&gathered);
    prepare(&grouped);
    printf("five jobs of 0.5 s; job 1 fails at 50 ms; the caller then does 0.6 s of other work\n");
    mistake_run(&wrong, "wrong", await_each, &gathered);
    mistake_print(&wrong);
    printf("wrong: the caller had the error at %.2f s; the 4 other jobs worked on for %.2f s in "
           "all, for nothing\n", gathered.returned_at, wasted(&gathered));
    mistake_run(&right, "right", in_a_group, &grouped);
    mistake_print(&right);
    printf("right: the caller had the error at %.2f s; the group had cancelled the 4 others "
           "(%.2f s wasted)\n", grouped.returned_at, wasted(&grouped));
    printf("verdict: both took %.2f s and saw the error at once: the time is not the harm. "
           "Awaiting one by one left %.1f s of orphaned work running; the TaskGroup left none\n",
           wrong.took, wasted(&gathered));
    return 0;
}

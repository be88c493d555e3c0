/* Mistake: creating tasks without awaiting them (fire-and-forget).
 *
 * main starts five save_record tasks and returns without waiting: when
 * async_run ends, they are still running. asyncio would print "Task was
 * destroyed but it is pending!"; the core cancels them, reports each by name
 * on stderr, and their work is lost. The fix: a TaskGroup, whose end waits.
 */
#include "async.h"
#include "mistake_harness.h"

enum { RECORDS = 5 };

typedef struct ledger {
    int saved;
} ledger;

static int save_record(void *arg)
{
    ledger *l = arg;
    if (async_sleep(0.1) != 0)          /* the write takes 100 ms */
        return UV_ECANCELED;
    l->saved++;
    return 0;
}

static int forget_them(void *arg)
{
    for (int i = 0; i < RECORDS; i++)
        async_create_task(save_record, arg);   /* the mistake: nobody awaits them */
    return async_sleep(0.01);                  /* main is done before they are */
}

static int group_them(void *arg)
{
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < RECORDS; i++)
        async_taskgroup_create_task(&tg, save_record, arg);
    return async_taskgroup_wait(&tg);          /* the fix: the block's end waits */
}

int main(int argc, char **argv)
{
    int done = mistake_start(argc, argv, "fire-and-forget",
                             "tasks never awaited are cancelled at the end; a TaskGroup keeps them");
    if (done >= 0)
        return done;
    mistake_half wrong, right;
    ledger lost = { 0 }, kept = { 0 };
    printf("main starts %d tasks that each save a record in 100 ms\n", RECORDS);
    printf("(the core's report of the forgotten tasks follows on stderr)\n");
    mistake_run(&wrong, "wrong", forget_them, &lost);
    mistake_print(&wrong);
    printf("wrong: %d of %d records saved\n", lost.saved, RECORDS);
    mistake_run(&right, "right", group_them, &kept);
    mistake_print(&right);
    printf("right: %d of %d records saved\n", kept.saved, RECORDS);
    printf("verdict: fire-and-forget lost %d of %d records (the core named each task it had to "
           "cancel); the TaskGroup saved all %d\n", RECORDS - lost.saved, RECORDS, kept.saved);
    return 0;
}

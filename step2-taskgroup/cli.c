/* cli.c: step 2's flags and printing. */
#include "wb_cli.h"
#include "wb_output.h"
#include "wb_timeline.h"
#include "users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_USERS = 100000 };
#define FETCH_SECONDS 0.1
#define FAIL_SECONDS 0.05

static long fail_id = -1;
static double started;

void user_make(user *u, int id)
{
    u->id = id;
    snprintf(u->name, sizeof u->name, "User %d", id);
}

int simulated_io(const fetch_user_call *call)
{
    char name[32];
    snprintf(name, sizeof name, "fetch_user(%d)", call->user_id);
    async_task_set_name(async_current_task(), name);
    async_task_set_label(async_current_task(), "user %d", call->user_id);   /* its row in --timeline */
    int fails = call->user_id == fail_id;
    int rc = async_sleep(fails ? FAIL_SECONDS : FETCH_SECONDS);
    if (rc == UV_ECANCELED) {   /* flushed: in order with the core's lines on stderr */
        printf("fetch_user(%d) cancelled at %.2f s\n", call->user_id, async_time() - started);
        wb_output_flush();
    }
    if (rc)
        return rc;
    return fails ? UV_ECONNREFUSED : 0;
}

/* As an ExceptionGroup lists them: here only --fail's fetch can fail. */
static void report_failure(int rc)
{
    wb_output_flush();   /* keep the cancelled lines before the error */
    if (rc != UV_ECANCELED && fail_id > 0)
        fprintf(stderr, "error: fetch_user(%ld) failed: %s\n", fail_id, uv_strerror(rc));
}

static void print_users(const fetch_all_call *all)
{
    putchar('[');
    for (size_t i = 0; i < all->count; i++)
        printf("%s{'id': %d, 'name': '%s'}", i ? ", " : "", all->calls[i].result.id,
               all->calls[i].result.name);
    printf("]\n");
}

static int usage(void)
{
    return wb_cli_help("usage: step2 [ID...] [--fail ID] [--timeline[=FILE.html]]\n"
                       "  fetches the users (default 1 2 3 4 5) concurrently in one TaskGroup;\n"
                       "  --fail ID makes that user's fetch fail at 50 ms\n");
}

/* --fail names a user the run fetches: else nothing fails and the lesson is lost. */
static int fail_id_is_fetched(const fetch_all_call *all)
{
    if (fail_id < 0)
        return 1;
    for (size_t i = 0; i < all->count; i++)
        if (all->calls[i].user_id == fail_id)
            return 1;
    fprintf(stderr, "step2: --fail %ld: user %ld is not among the ids fetched\n", fail_id, fail_id);
    return 0;
}

static int parse(int argc, char **argv, fetch_all_call *all)
{
    static fetch_user_call calls[MAX_USERS];
    size_t n = 0;
    long v;
    int t;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((t = wb_timeline_option("step2", a)) != 0) {
            if (t < 0)
                return -1;
        } else if (strcmp(a, "--fail") == 0) {
            const char *val = wb_cli_value("step2", argc, argv, &i);
            if (!val || wb_cli_int("step2", "--fail", val, 1, 2147483647, &fail_id))
                return -1;
        } else if (wb_cli_is_help(a)) {
            return 1;
        } else if (a[0] == '-' && a[1] != 0 && (a[1] < '0' || a[1] > '9')) {
            wb_cli_unknown("step2", a);
            return -1;
        } else if (n == MAX_USERS) {
            fprintf(stderr, "step2: more than %d user ids\n", MAX_USERS);
            return -1;
        } else {
            if (wb_cli_int("step2", "user id", a, 1, 2147483647, &v))
                return -1;
            calls[n++].user_id = (int)v;
        }
    }
    if (n == 0)
        for (n = 0; n < 5; n++)
            calls[n].user_id = (int)n + 1;
    all->calls = calls;
    all->count = n;
    return fail_id_is_fetched(all) ? 0 : -1;
}

/* A fetch whose task the group could not create (out of memory), or that
 * was not in the group at all (TUTORIAL's fire-and-forget), has no user. */
static size_t never_fetched(const fetch_all_call *all)
{
    size_t n = 0;
    for (size_t i = 0; i < all->count; i++)
        n += all->calls[i].result.id == 0;
    return n;
}

int step2_cli(int argc, char **argv, async_fn fetch_all_users)
{
    fetch_all_call all;
    wb_output_init("step2");
    int p = parse(argc, argv, &all);
    if (p > 0)
        return usage();
    if (p < 0)
        return 2;
    started = async_time();
    int rc = async_run(fetch_all_users, &all);
    double took = async_time() - started;
    if (rc == 0 && never_fetched(&all)) {
        fprintf(stderr, "step2: %zu of %zu fetches never finished in the group (a task created "
                "outside it, or out of memory for its stack)\n", never_fetched(&all), all.count);
        return 1;
    }
    if (rc == 0) {
        print_users(&all);
        printf("%zu fetches of %.1f s each took %.2f s: they ran concurrently "
               "(one by one would take %.2f s)\n",
               all.count, FETCH_SECONDS, took, all.count * FETCH_SECONDS);
    } else if (never_fetched(&all) == 0) {
        /* every fetch finished: the run failed after the group (its ASYNC_TRACE
         * file, say, named on the line above) */
        fprintf(stderr, "step2: %s\n", uv_strerror(rc));
    } else {
        report_failure(rc);
        fprintf(stderr, "step2: the group failed after %.2f s: %s; the other fetches "
                "were cancelled\n", took, uv_strerror(rc));
    }
    int drawn = wb_timeline_print(stdout);
    return rc || drawn ? 1 : 0;
}

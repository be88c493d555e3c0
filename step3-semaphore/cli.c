/* cli.c: step 3's flags, the demo server, measurements and printing. */
#include "async_http.h"
#include "wb_cli.h"
#include "wb_output.h"
#include "wb_demo_server.h"
#include "wb_demo_request.h"
#include "wb_timeline.h"
#include "crawl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WB_DEMO_PAGES = 50 };

/* The task's row in --timeline: "GET /page/7", the URL's path. */
static void label_after_url(const fetch_job *job)
{
    const char *path = strstr(job->url, "://");
    path = path ? strchr(path + 3, '/') : NULL;
    async_task_set_label(async_current_task(), "GET %s", path ? path : job->url);
}

void request_starts(fetch_job *job)
{
    crawl_job *c = job->crawl;
    label_after_url(job);
    if (++c->in_flight > c->max_in_flight)
        c->max_in_flight = c->in_flight;
    job->started = async_time();
}

static int fetch_result(fetch_job *job, int rc);

int request_ends(fetch_job *job, int rc)
{
    job->crawl->in_flight--;
    job->took = async_time() - job->started;
    if (rc == 0 && job->response.status < 400)
        wb_printf("  %3ld %7zu B  %5.2f s  %s\n", job->response.status, job->response.len,
               job->took, job->url);
    return fetch_result(job, rc);
}

static int fetch_result(fetch_job *job, int rc)
{
    if (rc == 0 && job->response.status >= 400) {
        snprintf(job->response.error, sizeof job->response.error, "HTTP %ld",
                 job->response.status);
        rc = UV_EPROTO;
    }
    job->status = rc;
    /* Our timeout scope cancelled the GET: say that, not the client's "cancelled". */
    if (rc == UV_ETIMEDOUT && (!job->response.error[0] ||
                               strcmp(job->response.error, "cancelled") == 0))
        snprintf(job->response.error, sizeof job->response.error,
                 "no full answer within --timeout %g s", job->crawl->timeout);
    if (rc && rc != UV_ECANCELED && !job->crawl->first_failure)
        job->crawl->first_failure = job;
    return job->crawl->keep_going ? 0 : rc;
}

static void print_failure(const fetch_job *job)
{
    /* "HTTP 500" says it all; so does the body's size (E2BIG's own words are
     * "argument list too long", which is about exec, not a download) */
    if ((job->response.error[0] && strncmp(job->response.error, "HTTP ", 5) == 0) ||
        job->status == UV_E2BIG)
        fprintf(stderr, "step3: %s: %s\n", job->url, job->response.error);
    else
        fprintf(stderr, "step3: %s: %s (%s)\n", job->url, uv_strerror(job->status),
                job->response.error);
}

/* The main task: the crawl, its own status kept apart from the run's (a run
 * whose ASYNC_TRACE file cannot be written fails after a good crawl). */
static int crawl_and_keep_status(void *arg)
{
    crawl_job *c = arg;
    c->crawl_status = c->crawl(c);
    c->crawled = 1;
    return c->crawl_status;
}

/* After the first failure, what became of the others: the group cancelled
 * them, some in the middle of their GET, the rest before it, in line for a
 * permit (every task reaches its acquire before the first GET can end, for
 * up to the core's 256 slices between two looks at I/O). Said only when
 * there were others. */
static void report_stop(const crawl_job *c, size_t ok, size_t failed, double took)
{
    size_t during = 0, waiting = 0;
    for (size_t i = 0; i < c->count; i++) {
        if (c->jobs[i].started == 0)
            waiting++;                          /* never reached request_starts */
        else if (c->jobs[i].status == UV_ECANCELED)
            during++;
    }
    if (c->count < 2)
        return;
    printf("stopped after %.2f s by the first failure: %zu of %zu pages crawled, %zu failed, "
           "%zu cancelled", took, ok, c->count, failed, during + waiting);
    if (during && waiting)
        printf(" (%zu during their GET, %zu still waiting for the semaphore)", during, waiting);
    else if (during || waiting)
        printf(" (%s)", during ? "during their GET" : "still waiting for the semaphore");
    printf("\n");
}

static int report(const crawl_job *c, int rc, double took, wb_demo_server *demo)
{
    size_t ok = 0, failed = 0, bytes = 0;
    double one_by_one = 0;
    for (size_t i = 0; i < c->count; i++) {
        const fetch_job *j = &c->jobs[i];
        if (j->status == 0 && j->took > 0) {
            ok++;
            bytes += j->response.len;
            one_by_one += j->took;
        } else if (j->status && j->status != UV_ECANCELED) {
            failed++;
        }
    }
    wb_output_flush();
    if (rc && c->crawled && c->crawl_status == 0) {   /* the crawl ended well; the run did not */
        fprintf(stderr, "step3: %s\n", uv_strerror(rc));
        return 1;
    }
    if (rc && !c->keep_going) {
        if (c->first_failure) {
            print_failure(c->first_failure);   /* the one that cancelled the others */
            report_stop(c, ok, failed, took);
        } else                                   /* the crawl itself: no client, say */
            fprintf(stderr, "step3: the crawl failed: %s\n", uv_strerror(rc));
        return 1;
    }
    printf("crawled %zu of %zu pages (%zu bytes) in %.2f s, at most %d in flight\n",
           ok, c->count, bytes, took, c->max_in_flight);
    if (demo)
        printf("  measured: %d in flight by the crawler, %d by the demo server; the semaphore "
               "allows %ld\n", c->max_in_flight, wb_demo_server_max_in_flight(demo), c->max_concurrent);
    printf("  one by one, the same requests would take about %.2f s (the sum of their times)\n",
           one_by_one);
    if (ok + failed < c->count) {      /* a task the group could not create */
        wb_output_flush();
        fprintf(stderr, "step3: %zu of %zu URLs were never fetched (out of memory for "
                "their tasks)\n", c->count - ok - failed, c->count);
        return 1;
    }
    if (failed) {
        wb_output_flush();
        fprintf(stderr, "step3: %zu of %zu URLs failed:\n", failed, c->count);
        for (size_t i = 0; i < c->count; i++)
            if (c->jobs[i].status && c->jobs[i].status != UV_ECANCELED)
                print_failure(&c->jobs[i]);
        return 1;
    }
    return 0;
}

static int usage(void)
{
    printf("usage: step3 [URL...] [-i FILE] [--max-concurrent N] [--timeout S] [--keep-going]"
            " [--timeline[=FILE.html]] [--seconds]\n"
            "  with no URL, crawls %d pages of a demo server started on 127.0.0.1\n"
            "  --seconds: end with 'seconds S pages N', the crawl's own time (for bench/)\n",
            WB_DEMO_PAGES);
    return 0;
}

typedef struct args {
    char **urls;
    long count;
    const char *list;
    int owned;                  /* urls came from a file: free them */
    int seconds;                /* --seconds: print the crawl's time, exactly */
} args;

static int parse(int argc, char **argv, crawl_job *c, args *a)
{
    long n;
    int t;
    static char *given[4096];
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *v;
        if (strcmp(s, "--max-concurrent") == 0 || strcmp(s, "-n") == 0) {
            if (!(v = wb_cli_value("step3", argc, argv, &i)) ||
                wb_cli_int("step3", s, v, 1, 10000, &n))
                return -1;
            c->max_concurrent = n;
        } else if (strcmp(s, "--timeout") == 0) {
            if (!(v = wb_cli_value("step3", argc, argv, &i)) ||
                wb_cli_double("step3", s, v, 0.001, 86400, &c->timeout))
                return -1;
        } else if (strcmp(s, "-i") == 0) {
            if (!(a->list = wb_cli_value("step3", argc, argv, &i)))
                return -1;
        } else if (strcmp(s, "--keep-going") == 0) {
            c->keep_going = 1;
        } else if ((t = wb_timeline_option("step3", s)) != 0) {
            if (t < 0)
                return -1;
        } else if (strcmp(s, "--seconds") == 0) {
            a->seconds = 1;
        } else if (wb_cli_is_help(s)) {
            return 1;
        } else if (s[0] == '-') {
            wb_cli_unknown("step3", s);
            return -1;
        } else if (a->count == (long)(sizeof given / sizeof given[0])) {
            fprintf(stderr, "step3: too many URLs on the command line: use -i FILE\n");
            return -1;
        } else {
            given[a->count++] = (char *)s;
        }
    }
    if (a->list && a->count) {
        fprintf(stderr, "step3: give URLs or -i FILE, not both\n");
        return -1;
    }
    a->urls = given;
    if (a->list) {
        if ((a->count = read_url_list(a->list, &a->urls)) < 0)
            return -1;
        a->owned = 1;
    }
    return 0;
}

static char **demo_urls(wb_demo_server *demo, long n)
{
    char **urls = calloc((size_t)n, sizeof *urls);
    for (long i = 0; urls && i < n; i++) {
        urls[i] = malloc(64);
        if (urls[i])
            snprintf(urls[i], 64, "http://127.0.0.1:%d/page/%ld", wb_demo_server_port(demo), i + 1);
    }
    return urls;
}

int step3_cli(int argc, char **argv, async_fn crawl)
{
    crawl_job c = { .max_concurrent = 10, .timeout = 10 };
    args a = { 0 };
    wb_demo_server *demo = NULL;
    wb_output_init("step3");
    int p = parse(argc, argv, &c, &a);
    if (p)
        return p > 0 ? usage() : 2;
    if (a.count == 0) {
        if (!(demo = wb_demo_server_start(NULL)))
            return 1;
        a.urls = demo_urls(demo, WB_DEMO_PAGES);
        a.count = WB_DEMO_PAGES;
        a.owned = 1;
        printf("crawling %d pages of the demo server on 127.0.0.1:%d (each answered after "
               "0.1 s), %ld at a time\n", WB_DEMO_PAGES, wb_demo_server_port(demo), c.max_concurrent);
    }
    c.count = (size_t)a.count;
    c.jobs = calloc(c.count, sizeof *c.jobs);
    for (size_t i = 0; c.jobs && i < c.count; i++) {
        c.jobs[i].url = a.urls[i];
        c.jobs[i].crawl = &c;
    }
    double t0 = async_time();
    c.crawl = crawl;
    int rc = c.jobs ? async_run(crawl_and_keep_status, &c) : UV_ENOMEM;
    double took = async_time() - t0;
    int status = report(&c, rc, took, demo);
    if (a.seconds)              /* what bench/peers/crawl.py prints, timed the same way */
        printf("seconds %.6f pages %zu\n", took, c.count);
    if (wb_timeline_print(stdout))
        status = 1;
    for (size_t i = 0; c.jobs && i < c.count; i++)
        async_http_response_free(&c.jobs[i].response);
    free(c.jobs);
    if (a.owned) {
        for (long i = 0; i < a.count; i++)
            free(a.urls[i]);
        free(a.urls);
    }
    wb_demo_server_stop(demo);
    return status;
}

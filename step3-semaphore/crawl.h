/* crawl.h: step 3's jobs, flags, measurements and printing. */
#ifndef STEP3_CRAWL_H
#define STEP3_CRAWL_H

#include "async.h"
#include "async_http.h"

typedef struct crawl_job crawl_job;

typedef struct fetch_job {
    const char *url;
    crawl_job *crawl;
    async_http_client *client;
    async_semaphore *sem;
    async_http_response response;
    int status;                 /* 0, or why this URL failed */
    double started, took;
} fetch_job;

struct crawl_job {
    fetch_job *jobs;
    size_t count;
    long max_concurrent;        /* --max-concurrent, default 10 */
    double timeout;             /* --timeout per request, default 10 s */
    int keep_going;             /* --keep-going: report every failure at the end */
    int in_flight, max_in_flight;
    const fetch_job *first_failure;   /* in completion order: what cancelled the others */
    double t0;
    async_fn crawl;             /* the main task's work (step3.c's crawl) */
    int crawl_status;           /* what it returned (async_run may fail after it) */
    int crawled;                /* it returned at all */
};

/* The demo's bookkeeping around the GET. request_starts counts the request
 * in flight and starts its clock. request_ends stops both, prints the page's
 * line, and returns the task's status: the failure (an HTTP error status
 * counts as one, as after httpx's raise_for_status()), or 0 under
 * --keep-going, which reports every failure at the end instead of letting
 * the first one cancel the group. */
void request_starts(fetch_job *job);
int request_ends(fetch_job *job, int rc);

int step3_cli(int argc, char **argv, async_fn crawl);

/* url_list.c: one URL per line; blank lines and #comments skipped. Returns
 * the count (>= 0) with *urls malloc'd (free each and the array), or -1 with
 * a message naming the file. */
long read_url_list(const char *path, char ***urls);
long parse_url_list(const char *text, size_t len, char ***urls);

#endif

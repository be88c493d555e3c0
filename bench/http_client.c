/* http_client.c (W3): the HTTP client alone, shaped the way wrk drives a
 * server: LIMIT tasks, each fetching the next URL of the list until none is
 * left, over one shared client. Step 3 measures the lesson's shape instead
 * (a task per URL waiting on a semaphore, a line printed per page); the two
 * figures side by side say what that shape costs and what the client costs.
 *
 * The list is crawled twice with the same client. The first ("cold") pass
 * pays for opening LIMIT connections: over loopback both ends of each TCP
 * handshake run on the client's core, ~10 ms for 100 of them, a fifth of a
 * 2,000-page crawl. The second ("warm") pass reuses them, as wrk reuses its
 * connections for all but the first moment of its run: that is the figure
 * to set beside wrk's.
 * Usage: http_client URL_FILE LIMIT.
 * Prints: seconds S pages N cold_seconds C (S: the warm pass). */
#include "async.h"
#include "async_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct crawl {
    char **urls;
    size_t count, next;
    async_http_client *client;
    long limit;
    double took, cold;
} crawl;

static int fetch_until_none_left(void *arg)
{
    crawl *k = arg;
    while (k->next < k->count) {
        const char *url = k->urls[k->next++];
        async_http_response r;
        memset(&r, 0, sizeof r);
        int rc = async_http_get(k->client, url, &r);
        if (rc == 0 && r.status != 200)
            rc = UV_EPROTO;           /* an error page is not a page: the run must not count */
        if (rc == UV_EPROTO)
            fprintf(stderr, "http_client: %s: HTTP %ld, not 200\n", url, r.status);
        else if (rc && rc != UV_ECANCELED)
            fprintf(stderr, "http_client: %s: %s\n", url, uv_strerror(rc));
        async_http_response_free(&r);
        if (rc)
            return rc;
    }
    return 0;
}

static int one_pass(crawl *k, double *took)
{
    double start = async_time();
    k->next = 0;
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    int rc = 0;
    for (long i = 0; i < k->limit && rc == 0; i++)
        if (!async_taskgroup_create_task(&tg, fetch_until_none_left, k))
            rc = UV_ENOMEM;           /* fewer workers would be another concurrency */
    int wait_rc = async_taskgroup_wait(&tg);
    *took = async_time() - start;
    return rc ? rc : wait_rc;
}

static int crawl_twice(void *arg)
{
    crawl *k = arg;
    double start = async_time();
    k->client = async_http_client_new(NULL);
    if (!k->client)
        return UV_ENOMEM;
    double unused;
    int rc = one_pass(k, &unused);
    k->cold = async_time() - start;          /* the client's creation included */
    if (rc == 0)
        rc = one_pass(k, &k->took);
    async_http_client_close(k->client);
    return rc;
}

static int read_urls(const char *path, crawl *k)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t cap = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!*line)
            continue;
        if (k->count == cap) {
            cap = cap ? cap * 2 : 1024;
            char **more = realloc(k->urls, cap * sizeof *more);
            if (!more)
                break;
            k->urls = more;
        }
        if (!(k->urls[k->count] = strdup(line)))
            break;
        k->count++;
    }
    fclose(f);
    return k->count ? 0 : -1;
}

int main(int argc, char **argv)
{
    crawl k = { 0 };
    k.limit = argc > 2 ? atol(argv[2]) : 10;
    if (argc != 3 || k.limit < 1 || k.limit > 10000 || read_urls(argv[1], &k) != 0) {
        fprintf(stderr, "usage: http_client URL_FILE LIMIT (1-10000; the file one URL per line)\n");
        return 2;
    }
    int rc = async_run(crawl_twice, &k);
    if (rc)
        fprintf(stderr, "http_client: the crawl failed: %s\n", uv_strerror(rc));
    else
        printf("seconds %.6f pages %zu cold_seconds %.6f\n", k.took, k.count, k.cold);
    for (size_t i = 0; i < k.count; i++)
        free(k.urls[i]);
    free(k.urls);
    return rc ? 1 : 0;
}

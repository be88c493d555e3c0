/* Mistake: requests.get() in async code.
 *
 * curl_easy_perform() is the C requests.get(): it blocks until the answer is
 * in. Five tasks fetching a 200 ms page with it take a second, one after the
 * other, and the loop is frozen meanwhile. The async client (httpx in the
 * tutorial) parks each task instead: the five fetches overlap.
 */
#include "async.h"
#include "mistake_harness.h"
#include "async_http.h"
#include "wb_demo_server.h"
#include "wb_output.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

enum { FETCHES = 5 };

typedef struct fetch {
    char url[128];
    long status;
    async_http_client *client;
    int rc;
    char error[CURL_ERROR_SIZE];    /* why it failed, in curl's words */
} fetch;

static size_t discard(char *data, size_t size, size_t n, void *userp)
{
    (void)data; (void)userp;
    return size * n;
}

static double longest_block;   /* the longest single blocking call, seconds */

static int fetch_blocking(void *arg)
{
    fetch *f = arg;
    double start = async_time();
    CURL *easy = curl_easy_init();
    curl_easy_setopt(easy, CURLOPT_URL, f->url);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, f->error);
    CURLcode rc = curl_easy_perform(easy);     /* the mistake: blocks the loop */
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &f->status);
    long sys = 0;                /* the socket's own error (EMFILE...), where curl kept it */
    curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &sys);
    curl_easy_cleanup(easy);
    if (rc == CURLE_COULDNT_CONNECT && sys <= 0) {   /* curl keeps no errno for socket() */
        int probe = socket(AF_INET, SOCK_STREAM, 0);
        if (probe < 0)
            sys = errno;
        else
            close(probe);
    }
    if (async_time() - start > longest_block)
        longest_block = async_time() - start;
    return f->rc = rc == CURLE_OK ? 0 : sys > 0 ? uv_translate_sys_error((int)sys) : UV_EIO;
}

static int fetch_async(void *arg)
{
    fetch *f = arg;
    async_http_response r;
    async_timeout t;                                  /* always time external calls */
    async_timeout_enter(&t, 5);
    int rc = async_http_get(f->client, f->url, &r);   /* the fix: parks this task */
    rc = async_timeout_exit(&t, rc);
    f->status = r.status;
    snprintf(f->error, sizeof f->error, "%s", r.error);
    async_http_response_free(&r);
    return f->rc = rc;
}

typedef struct plan {
    async_fn get;
    const char *name;
    fetch fetches[FETCHES];
} plan;

static int five_fetches(void *arg)
{
    plan *p = arg;
    async_http_client *client = async_http_client_new(NULL);
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < FETCHES; i++) {
        p->fetches[i].client = client;
        async_taskgroup_create_task_at(&tg, p->get, &p->fetches[i], p->name, __FILE__, __LINE__);
    }
    int rc = async_taskgroup_wait(&tg);
    async_http_client_close(client);
    return rc;
}

/* A half whose fetches failed (no descriptor left under ulimit -n, say)
 * measured nothing: name the first failure and stop, before a verdict on
 * zeros. */
static void stop_if_failed(const plan *p, const char *half)
{
    const fetch *failed = NULL;
    for (int i = 0; i < FETCHES; i++)       /* the cause, not the others it cancelled */
        if (p->fetches[i].rc && (!failed || failed->rc == UV_ECANCELED))
            failed = &p->fetches[i];
    if (!failed)
        return;
    wb_output_flush();
    fprintf(stderr, "mistake-blocking-http: the %s way's GET %s failed: %s (%s)\n", half,
            failed->url, uv_strerror(failed->rc), failed->error);
    exit(1);
}

int main(int argc, char **argv)
{
    int done = mistake_start(argc, argv, "blocking-http",
                             "curl_easy_perform() in a task freezes the loop; the async client does not");
    if (done >= 0)
        return done;
    wb_demo_server *demo = wb_demo_server_start(NULL);
    if (!demo)
        return 1;
    static plan blocking = { .get = fetch_blocking, .name = "fetch_blocking" };
    static plan parked = { .get = fetch_async, .name = "fetch_async" };
    for (int i = 0; i < FETCHES; i++) {
        snprintf(blocking.fetches[i].url, sizeof blocking.fetches[i].url,
                 "http://127.0.0.1:%d/delay/200", wb_demo_server_port(demo));
        parked.fetches[i] = blocking.fetches[i];
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    mistake_half wrong, right;
    printf("five fetches of a page that takes 200 ms, with curl_easy_perform() and then with "
           "the async client\n");
    mistake_run(&wrong, "wrong", five_fetches, &blocking);
    stop_if_failed(&blocking, "wrong");
    mistake_print(&wrong);
    mistake_run(&right, "right", five_fetches, &parked);
    stop_if_failed(&parked, "right");
    mistake_print(&right);
    printf("wrong: each curl_easy_perform() froze the loop for %.0f ms; the five ran back to "
           "back, so the heartbeat waited %.0f ms\n", longest_block * 1000, wrong.hb.worst_lag * 1000);
    printf("verdict: the blocking calls took %.2f s one after another, freezing the loop %.0f ms "
           "at a time; the async client took %.2f s with the loop lagging at most %.0f ms\n",
           wrong.took, longest_block * 1000, right.took, right.hb.worst_lag * 1000);
    curl_global_cleanup();
    wb_demo_server_stop(demo);
    return wrong.status || right.status;
}

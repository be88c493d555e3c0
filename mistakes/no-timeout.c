/* Mistake: an external call with no timeout.
 *
 * The demo server's /hang accepts the request and never answers. Without a
 * timeout the GET waits as long as anyone lets it: here until the demo's
 * bound of 2 s, in real life for ever. With asyncio.timeout() around it
 * (async_timeout_enter/exit) it fails cleanly at its deadline.
 */
#include "async.h"
#include "mistake_harness.h"
#include "async_http.h"
#include "wb_demo_server.h"

#define BOUND 2.0          /* the demo gives up on the hung call after this */
#define DEADLINE 0.3

typedef struct call {
    char url[128];
    int rc;
    double took;
} call;

static int get_without_timeout(void *arg)
{
    call *c = arg;
    async_http_client *client = async_http_client_new(NULL);
    async_http_response r;
    c->rc = async_http_get(client, c->url, &r);      /* the mistake: no deadline */
    async_http_response_free(&r);
    async_http_client_close(client);
    return 0;
}

static int get_with_timeout(void *arg)
{
    call *c = arg;
    async_http_client *client = async_http_client_new(NULL);
    async_http_response r;
    async_timeout t;
    async_timeout_enter(&t, DEADLINE);               /* the fix: async with timeout(0.3) */
    c->rc = async_timeout_exit(&t, async_http_get(client, c->url, &r));
    async_http_response_free(&r);
    async_http_client_close(client);
    return 0;
}

/* The demo's bound, so that the wrong half ends at all. */
static int bounded(void *arg)
{
    call *c = arg;
    double start = async_time();
    async_task *t = async_create_task(get_without_timeout, c);
    async_timeout bound;
    async_timeout_enter(&bound, BOUND);
    int rc = async_timeout_exit(&bound, async_await(t));
    if (rc == UV_ETIMEDOUT) {
        async_cancel(t);
        async_await(t);
        c->rc = UV_ETIMEDOUT;
    }
    c->took = async_time() - start;
    return 0;
}

static int timed(void *arg)
{
    call *c = arg;
    double start = async_time();
    get_with_timeout(c);
    c->took = async_time() - start;
    return 0;
}

int main(int argc, char **argv)
{
    int done = mistake_start(argc, argv, "no-timeout",
                             "a GET with no timeout waits for ever on a server that never answers");
    if (done >= 0)
        return done;
    wb_demo_server *demo = wb_demo_server_start(NULL);
    if (!demo)
        return 1;
    static call hung, cut;
    snprintf(hung.url, sizeof hung.url, "http://127.0.0.1:%d/hang", wb_demo_server_port(demo));
    cut = hung;
    mistake_half wrong, right;
    printf("a GET to a server that accepts and never answers\n");
    mistake_run(&wrong, "wrong", bounded, &hung);
    mistake_print(&wrong);
    printf("wrong: still waiting after %.2f s, when the demo's bound gave up on it\n", hung.took);
    mistake_run(&right, "right", timed, &cut);
    mistake_print(&right);
    printf("right: failed cleanly after %.2f s: %s\n", cut.took, uv_strerror(cut.rc));
    printf("verdict: with no timeout the call hung until something else stopped it (%.1f s here, "
           "for ever in real life); a %.1f s timeout scope ended it at %.2f s\n",
           hung.took, DEADLINE, cut.took);
    wb_demo_server_stop(demo);
    return 0;
}

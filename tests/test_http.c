/* test_http.c: the async HTTP client against the demo server and against a
 * real, independent server (a private nginx on a free loopback port). */
#include "async_http.h"
#include "wb_demo_server.h"
#include "support.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static wb_demo_server *demo;
static char base[64];

typedef struct get_case {
    const char *url;
    double timeout;            /* 0: none */
    size_t max_body;
    int rc;
    long status;
    size_t len;
    char error[256];
} get_case;

static int one_get(void *arg)
{
    get_case *g = arg;
    async_http_options opt = { .max_body = g->max_body };
    async_http_client *c = async_http_client_new(&opt);
    async_http_response r;
    async_timeout t;
    if (g->timeout > 0)
        async_timeout_enter(&t, g->timeout);
    g->rc = async_http_get(c, g->url, &r);
    if (g->timeout > 0)
        g->rc = async_timeout_exit(&t, g->rc);
    g->status = r.status;
    g->len = r.len;
    memcpy(g->error, r.error, sizeof g->error);
    async_http_response_free(&r);
    async_http_client_close(c);
    return 0;
}

static get_case get(const char *path, double timeout)
{
    get_case g = { 0 };
    char url[256];
    if (path[0] == '/')
        snprintf(url, sizeof url, "%s%s", base, path);
    else
        snprintf(url, sizeof url, "%s", path);
    g.url = url;
    g.timeout = timeout;
    assert_int_equal(async_run(one_get, &g), 0);
    g.url = NULL;
    return g;
}

static void status_and_body_are_data(void **state)
{
    (void)state;
    get_case g = get("/page/1", 0);
    assert_int_equal(g.rc, 0);
    assert_int_equal(g.status, 200);
    assert_true(g.len > 50);
    g = get("/status/500", 0);
    assert_int_equal(g.rc, 0);
    assert_int_equal(g.status, 500);
    g = get("/nowhere", 0);
    assert_int_equal(g.rc, 0);
    assert_int_equal(g.status, 404);
}

/* The client reads the proxy variables once, when it is made: with one set
 * (to a port where nothing listens) the GET goes there and fails; without,
 * it goes straight to the server. */
static void the_proxy_variables_are_still_honoured(void **state)
{
    (void)state;
    setenv("http_proxy", "http://127.0.0.1:1", 1);
    get_case g = get("/page/1", 5);
    unsetenv("http_proxy");
    assert_int_equal(g.rc, UV_ECONNREFUSED);
    assert_non_null(strstr(g.error, "port 1"));
    g = get("/page/1", 5);
    assert_int_equal(g.rc, 0);
    assert_int_equal(g.status, 200);
}

static void big_and_chunked_bodies_arrive_whole(void **state)
{
    (void)state;
    get_case g = get("/bytes/10000000", 0);
    assert_int_equal(g.rc, 0);
    assert_int_equal(g.len, 10000000);
    g = get("/chunked/300000", 0);
    assert_int_equal(g.rc, 0);
    assert_int_equal(g.len, 300000);
}

static void each_failure_is_a_clear_error(void **state)
{
    (void)state;
    get_case g = get("http://127.0.0.1:1/", 0);
    assert_int_equal(g.rc, UV_ECONNREFUSED);
    assert_non_null(strstr(g.error, "onnect"));
    g = get("http://nonexistent.invalid/", 0);
    assert_int_equal(g.rc, UV_EAI_NONAME);
    assert_non_null(strstr(g.error, "resolve"));
    g = get("htp:/bad url", 0);
    assert_int_equal(g.rc, UV_EINVAL);
    g = get("file:///etc/passwd", 0);          /* an HTTP client never reads the disk */
    assert_int_equal(g.rc, UV_EINVAL);
    assert_int_equal(g.len, 0);
    assert_non_null(strstr(g.error, "file"));
    char ftp[96];                               /* nor waits for an FTP greeting */
    snprintf(ftp, sizeof ftp, "ftp://%s/", base + strlen("http://"));
    g = get(ftp, 2);
    assert_int_equal(g.rc, UV_EINVAL);
    g = get("/drop", 0);
    assert_int_equal(g.rc, UV_EPROTO);
    g = get("/garbage", 0);
    assert_int_equal(g.rc, UV_EPROTO);
    get_case small = { 0 };
    char url[128];
    snprintf(url, sizeof url, "%s/bytes/100000", base);
    small.url = url;
    small.max_body = 1000;
    assert_int_equal(async_run(one_get, &small), 0);
    assert_int_equal(small.rc, UV_E2BIG);
    print_message("max_body 1000: %s\n", small.error);
    assert_non_null(strstr(small.error, "larger than the client's max_body, 1000 bytes"));
}

static void a_server_that_never_answers_hits_the_timeout(void **state)
{
    (void)state;
    double start = now_seconds();
    get_case g = get("/hang", 0.2);
    double took = now_seconds() - start;
    assert_int_equal(g.rc, UV_ETIMEDOUT);
    assert_true(took >= 0.19 && took < (under_valgrind() ? 5 : 1));
    start = now_seconds();
    g = get("/stall", 0.2);                     /* goes quiet mid-body */
    took = now_seconds() - start;
    assert_int_equal(g.rc, UV_ETIMEDOUT);
    assert_true(g.len > 0 && g.len < 1000);
    assert_true(took >= 0.19 && took < (under_valgrind() ? 5 : 1));
}

/* ------------------------------------------------- many, through a semaphore */

typedef struct crowd {
    async_http_client *client;
    async_semaphore sem;
    const char *path;
    int n, limit, in_flight, max_in_flight, failures;
} crowd;

static int limited_get(void *arg)
{
    crowd *c = arg;
    char url[128];
    snprintf(url, sizeof url, "%s%s", base, c->path);
    int rc = async_semaphore_acquire(&c->sem);
    if (rc)
        return rc;
    if (++c->in_flight > c->max_in_flight)
        c->max_in_flight = c->in_flight;
    async_http_response r;
    rc = async_http_get(c->client, url, &r);
    c->in_flight--;
    async_semaphore_release(&c->sem);
    if (rc || r.status != 200) {
        if (c->failures < 5)
            print_message("%s: %s (%s)\n", c->path, uv_strerror(rc), r.error);
        c->failures++;
    }
    async_http_response_free(&r);
    return rc;
}

static int crowd_run(void *arg)
{
    crowd *c = arg;
    c->client = async_http_client_new(NULL);
    async_semaphore_init(&c->sem, c->limit);
    async_taskgroup tg;
    async_taskgroup_init(&tg);
    for (int i = 0; i < c->n; i++)
        async_taskgroup_create_task(&tg, limited_get, c);
    int rc = async_taskgroup_wait(&tg);
    async_http_client_close(c->client);
    return rc;
}

static void in_flight_reaches_the_limit_and_never_exceeds_it(void **state)
{
    (void)state;
    crowd c = { .path = "/delay/50", .n = 40, .limit = 7 };
    wb_demo_server_reset_stats(demo);
    assert_int_equal(async_run(crowd_run, &c), 0);
    assert_int_equal(c.failures, 0);
    assert_int_equal(c.max_in_flight, 7);
    assert_int_equal(wb_demo_server_max_in_flight(demo), 7);
}

static void connections_are_reused(void **state)
{
    (void)state;
    crowd c = { .path = "/status/200", .n = under_valgrind() ? 200 : 2000, .limit = 10 };
    wb_demo_server_reset_stats(demo);
    assert_int_equal(async_run(crowd_run, &c), 0);
    assert_int_equal(c.failures, 0);
    assert_int_equal(wb_demo_server_requests(demo), c.n);
    print_message("%d requests over %ld connections\n", c.n, wb_demo_server_connections(demo));
    assert_true(wb_demo_server_connections(demo) <= 2 * c.limit);   /* not one per request */
}

/* A server that drops each kept-alive connection just as the client reuses
 * it (/one-shot/N resets the connection when the next request arrives): curl
 * retries such a GET on a fresh connection, as it does for a dead reused
 * connection, and every GET succeeds. It failed at the first reuse, with
 * "select/poll returned error", when the socket's hang-up was passed to curl
 * as a poll error. One at a time: curl retries up to 5 times, each on another
 * pooled connection, and here every pooled connection is doomed. */
static void a_reused_connection_reset_by_the_server_is_retried(void **state)
{
    (void)state;
    crowd c = { .path = "/one-shot/1", .n = 20, .limit = 1 };
    wb_demo_server_reset_stats(demo);
    assert_int_equal(async_run(crowd_run, &c), 0);
    print_message("%d GETs, %ld connections\n", c.n, wb_demo_server_connections(demo));
    assert_int_equal(c.failures, 0);
    assert_int_equal(wb_demo_server_connections(demo), c.n);   /* each reuse was refused */
}

/* A chunked body that breaks HTTP is a protocol error, not a reset (it was
 * "connection reset by peer (Illegal or missing hexadecimal sequence ...)"). */
static void a_broken_chunk_is_a_protocol_error(void **state)
{
    (void)state;
    get_case g = get("/bad-chunk", 0);
    print_message("/bad-chunk: %s (%s)\n", uv_strerror(g.rc), g.error);
    assert_int_equal(g.rc, UV_EPROTO);
    assert_non_null(strstr(g.error, "chunk"));
}

/* A reset mid-body is named by its cause, as curl names it. */
static void a_reset_mid_body_is_connection_reset(void **state)
{
    (void)state;
    get_case g = get("/reset", 0);
    print_message("/reset: %s (%s)\n", uv_strerror(g.rc), g.error);
    assert_int_equal(g.rc, UV_ECONNRESET);
    assert_non_null(strstr(g.error, "reset"));
}

/* ------------------------------------------------- a client never closed */

static int line_of_new;

/* A GET, then main returns with the client (its connection kept alive, its
 * timer and socket watch) still open. */
static int forget_the_client(void *arg)
{
    (void)arg;
    line_of_new = __LINE__ + 1;
    async_http_client *c = async_http_client_new(NULL);
    char url[128];
    snprintf(url, sizeof url, "%s/page/1", base);
    async_http_response r;
    int rc = async_http_get(c, url, &r);
    async_http_response_free(&r);
    return rc;
}

/* The leftover is named where it was created, and freed anyway: ASan and
 * valgrind see this suite's process, so a leak fails it. It said only
 * "some libuv handles were left open" and leaked the client. */
static void a_client_never_closed_is_named_and_freed(void **state)
{
    (void)state;
    char path[] = "/tmp/async-test-stderr-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    int rc = async_run(forget_the_client, NULL);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char err[2048] = "";
    ssize_t n = pread(fd, err, sizeof err - 1, 0);
    err[n > 0 ? n : 0] = 0;
    close(fd);
    unlink(path);
    print_message("%s", err);
    assert_int_equal(rc, 0);
    char want[256];
    snprintf(want, sizeof want, "async: an HTTP client created at tests/test_http.c:%d was "
             "never closed; closing it now\n", line_of_new);
    assert_non_null(strstr(err, want));
    assert_null(strstr(err, "left open"));
}

/* -------------------------------------------------- cancelled mid-body */

enum { STALLED_BODY = 1000 };   /* /stall promises this much, sends a little */

typedef struct midway {
    async_http_client *client;
    async_http_response r;      /* watched by the canceller while it fills */
    int rc;
    size_t len_at_cancel;
} midway;

static int big_get(void *arg)
{
    midway *m = arg;
    char url[128];
    snprintf(url, sizeof url, "%s/stall", base);
    m->rc = async_http_get(m->client, url, &m->r);
    return 0;
}

/* Cancels once the body has begun to arrive: the server sent the headers
 * and the start of the body and went quiet, so the cancel lands mid-body. */
static int cancel_midway(void *arg)
{
    midway *m = arg;
    m->client = async_http_client_new(NULL);
    async_task *t = async_create_task(big_get, m);
    for (int i = 0; i < 5000 && m->r.len == 0; i++)
        async_sleep(0.001);
    m->len_at_cancel = m->r.len;
    async_cancel(t);
    async_await(t);
    async_http_response_free(&m->r);
    async_http_client_close(m->client);
    return 0;
}

static void a_transfer_cancelled_mid_body_leaves_nothing_behind(void **state)
{
    (void)state;
    midway m;
    memset(&m, 0, sizeof m);
    assert_int_equal(async_run(cancel_midway, &m), 0);
    print_message("cancelled after %zu of %d bytes\n", m.len_at_cancel, STALLED_BODY);
    assert_int_equal(m.rc, UV_ECANCELED);   /* and valgrind/ASan see no leak */
    assert_true(m.len_at_cancel > 0 && m.len_at_cancel < STALLED_BODY);
    assert_null(m.r.body);
}

/* ------------------------- a GET done, cancelled before its task ran */

typedef struct done_get {
    async_http_client *client;
    async_task *getter;
    async_http_response r;
    int rc;
} done_get;

static int get_page(void *arg)
{
    done_get *d = arg;
    char url[128];
    snprintf(url, sizeof url, "%s/page/1", base);
    d->rc = async_http_get(d->client, url, &d->r);
    return 0;     /* frees nothing: a GET that failed leaves no body behind */
}

/* Spins a turn at a time until the response is in (finish() fills it as it
 * wakes the getter, which then waits its turn behind this task). */
static int cancel_once_answered(void *arg)
{
    done_get *d = arg;
    while (d->r.status == 0 && async_sleep(0) == 0) {}
    async_cancel(d->getter);
    return 0;
}

static int get_then_cancel(void *arg)
{
    done_get *d = arg;
    d->client = async_http_client_new(NULL);
    d->getter = async_create_task(get_page, d);
    async_task *k = async_create_task(cancel_once_answered, d);
    async_await(d->getter);
    async_await(k);
    async_http_client_close(d->client);
    return 0;
}

/* asyncio: CancelledError at the await, the response dropped. */
static void a_get_done_but_cancelled_before_its_task_ran_frees_the_body(void **state)
{
    (void)state;
    done_get d;
    memset(&d, 0, sizeof d);
    assert_int_equal(async_run(get_then_cancel, &d), 0);
    assert_int_equal(d.rc, UV_ECANCELED);
    assert_null(d.r.body);                   /* and valgrind/ASan see no leak */
    assert_string_equal(d.r.error, "cancelled");
}

/* ------------------------------- closing a client other tasks are using */

typedef struct in_flight {
    async_http_client *client;
    int rc[3];
    char error[3][256];
    double close_took;
} in_flight;

typedef struct slow_get { in_flight *f; int i; } slow_get;

static int get_slow(void *arg)
{
    slow_get *g = arg;
    char url[128];
    snprintf(url, sizeof url, "%s/delay/3000", base);
    async_http_response r;
    g->f->rc[g->i] = async_http_get(g->f->client, url, &r);
    memcpy(g->f->error[g->i], r.error, sizeof r.error);
    async_http_response_free(&r);
    return 0;
}

static int close_under_gets(void *arg)
{
    in_flight *f = arg;
    f->client = async_http_client_new(NULL);
    slow_get g[3];
    async_task *t[3];
    for (int i = 0; i < 3; i++) {
        g[i] = (slow_get){ f, i };
        t[i] = async_create_task(get_slow, &g[i]);
    }
    async_sleep(0.1);                       /* the three GETs are in flight */
    double start = async_time();
    async_http_client_close(f->client);     /* the learner's slip */
    f->close_took = async_time() - start;
    for (int i = 0; i < 3; i++)
        async_await(t[i]);
    return 0;
}

/* The GETs end with UV_ECANCELED before the client's memory goes (it was a
 * use-after-free, then a crash in the deadlock handler). */
static void closing_a_client_ends_the_gets_in_flight(void **state)
{
    (void)state;
    in_flight f;
    memset(&f, 0, sizeof f);
    assert_int_equal(async_run(close_under_gets, &f), 0);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(f.rc[i], UV_ECANCELED);
        assert_string_equal(f.error[i], "the client was closed during the GET");
    }
    assert_true(f.close_took < 2.0);        /* not after the server's 3 s */
}

/* ------------------------------------------- one client, reused throughout */

/* The client keeps its easy handles and its sockets' watches from one GET to
 * the next: after an error, a timeout, a cancel and a connection the server
 * closed while it sat idle, the next GET on the same client still works. */
typedef struct reuse_case {
    int rc[8];
    long status[8];
    size_t len[8];
} reuse_case;

static int get_on(async_http_client *c, const char *path, double timeout, reuse_case *k, int i)
{
    char url[128];
    snprintf(url, sizeof url, "%s%s", base, path);
    async_http_response r;
    async_timeout t;
    if (timeout > 0)
        async_timeout_enter(&t, timeout);
    int rc = async_http_get(c, url, &r);
    if (timeout > 0)
        rc = async_timeout_exit(&t, rc);
    k->rc[i] = rc;
    k->status[i] = r.status;
    k->len[i] = r.len;
    async_http_response_free(&r);
    return rc;
}

static int cancelled_big_get(void *arg)
{
    void **a = arg;
    return get_on(a[0], "/bytes/60000000", 0, a[1], 4);
}

static int reuse_run(void *arg)
{
    reuse_case *k = arg;
    async_http_client *c = async_http_client_new(NULL);
    get_on(c, "/status/200", 0, k, 0);
    get_on(c, "/drop", 0, k, 1);
    get_on(c, "/garbage", 0, k, 2);
    get_on(c, "/hang", 0.1, k, 3);
    void *a[2] = { c, k };
    async_task *t = async_create_task(cancelled_big_get, a);
    async_sleep(0.05);
    async_cancel(t);
    async_await(t);
    get_on(c, "/bytes/100", 0, k, 5);
    /* the server goes away and comes back on the same port: the connection
     * kept alive is dead, noticed while idle or when reused */
    wb_demo_server_options opt = { .port = wb_demo_server_port(demo) };
    wb_demo_server_stop(demo);
    async_sleep(0.05);
    demo = wb_demo_server_start(&opt);
    get_on(c, "/bytes/200", 0, k, 6);
    get_on(c, "/status/404", 0, k, 7);
    async_http_client_close(c);
    return 0;
}

static void one_client_outlives_errors_timeouts_cancels_and_dead_connections(void **state)
{
    (void)state;
    reuse_case k = { 0 };
    assert_int_equal(async_run(reuse_run, &k), 0);
    assert_non_null(demo);
    assert_int_equal(k.rc[0], 0);
    assert_int_equal(k.status[0], 200);
    assert_int_equal(k.rc[1], UV_EPROTO);
    assert_int_equal(k.rc[2], UV_EPROTO);
    assert_int_equal(k.rc[3], UV_ETIMEDOUT);
    assert_int_equal(k.rc[4], UV_ECANCELED);
    assert_int_equal(k.rc[5], 0);
    assert_int_equal(k.len[5], 100);
    assert_int_equal(k.rc[6], 0);
    assert_int_equal(k.len[6], 200);
    assert_int_equal(k.rc[7], 0);
    assert_int_equal(k.status[7], 404);
}

/* ------------------------------------------------------ a real nginx */

static char nginx_dir[] = "/tmp/async-nginx-XXXXXX";
static int nginx_port;

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        close(fd);
        return -1;
    }
    close(fd);
    return ntohs(a.sin_port);
}

/* The response head of GET path with Accept-Encoding: gzip, straight off a
 * socket, to see how nginx framed the body (the client hides that). */
static void raw_head(int port, const char *path, char *head, size_t size)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    head[0] = 0;
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return;
    }
    dprintf(fd, "GET %s HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n"
                "Connection: close\r\n\r\n", path);
    size_t len = 0;
    ssize_t n;
    while (len < size - 1 && (n = read(fd, head + len, size - 1 - len)) > 0)
        len += (size_t)n;
    head[len] = 0;
    char *end = strstr(head, "\r\n\r\n");
    if (end)
        *end = 0;
    close(fd);
}

static int start_nginx(void)
{
    if (!mkdtemp(nginx_dir))
        return -1;
    nginx_port = free_port();
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "tests/nginx/start %s %d", nginx_dir, nginx_port);
    if (system(cmd) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "head -c 10000000 /dev/urandom > %s/www/ten.bin && "
             "echo hello > %s/www/small.txt && mkdir -p %s/www/gz && "
             "seq 1 100000 > %s/www/gz/numbers.txt && chmod -R a+rX %s/www",
             nginx_dir, nginx_dir, nginx_dir, nginx_dir, nginx_dir);
    if (system(cmd) != 0)
        return -1;
    usleep(200000);
    return 0;
}

static void against_nginx(void **state)
{
    (void)state;
    if (nginx_port <= 0) {
        print_message("skipped: nginx could not be started (Debian: nginx-light)\n");
        skip();
    }
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/ten.bin", nginx_port);
    get_case g = get(url, 10);
    assert_int_equal(g.rc, 0);
    assert_int_equal(g.status, 200);
    assert_int_equal(g.len, 10000000);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/error500", nginx_port);
    g = get(url, 10);
    assert_int_equal(g.status, 500);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/missing", nginx_port);
    g = get(url, 10);
    assert_int_equal(g.status, 404);
    char head[2048];                             /* a chunked (and gzipped) body */
    raw_head(nginx_port, "/gz/numbers.txt", head, sizeof head);
    assert_non_null(strstr(head, "Transfer-Encoding: chunked"));
    snprintf(url, sizeof url, "http://127.0.0.1:%d/gz/numbers.txt", nginx_port);
    g = get(url, 10);
    assert_int_equal(g.rc, 0);
    assert_int_equal(g.status, 200);
    assert_int_equal(g.len, 588895);             /* `seq 1 100000 | wc -c` */
    snprintf(base, sizeof base, "http://127.0.0.1:%d", nginx_port);
    crowd c = { .path = "/small.txt", .n = 300, .limit = 5 };
    assert_int_equal(async_run(crowd_run, &c), 0);
    assert_int_equal(c.failures, 0);
    assert_int_equal(c.max_in_flight, 5);
    snprintf(base, sizeof base, "http://127.0.0.1:%d", wb_demo_server_port(demo));
}

/* A host that is not an IPv4 address, or a port already taken, is NULL and
 * one line saying why (it aborted inside libuv for a name like localhost). */
static int start_on(void *arg)
{
    const wb_demo_server_options *opt = arg;
    wb_demo_server *s = wb_demo_server_start(opt);
    wb_demo_server_stop(s);
    return s ? 1 : 0;
}

static void a_server_that_cannot_listen_says_why(void **state)
{
    (void)state;
    char *err = NULL;
    wb_demo_server_options by_name = { "localhost", 0, 0 };
    assert_int_equal(run_forked(start_on, &by_name, &err), 0);
    assert_non_null(strstr(err, "demo server: cannot listen on 'localhost': not an IPv4 address"));
    free(err);
    wb_demo_server_options taken = { "127.0.0.1", wb_demo_server_port(demo), 0 };
    assert_int_equal(run_forked(start_on, &taken, &err), 0);
    assert_non_null(strstr(err, "demo server: cannot listen on 127.0.0.1:"));
    assert_non_null(strstr(err, "address already in use"));
    free(err);
}

static int setup(void **state)
{
    (void)state;
    demo = wb_demo_server_start(NULL);
    if (!demo)
        return -1;
    snprintf(base, sizeof base, "http://127.0.0.1:%d", wb_demo_server_port(demo));
    if (start_nginx() != 0)
        nginx_port = -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    wb_demo_server_stop(demo);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "tests/nginx/stop %s; rm -rf %s", nginx_dir, nginx_dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_and_body_are_data),
        cmocka_unit_test(the_proxy_variables_are_still_honoured),
        cmocka_unit_test(big_and_chunked_bodies_arrive_whole),
        cmocka_unit_test(each_failure_is_a_clear_error),
        cmocka_unit_test(a_server_that_never_answers_hits_the_timeout),
        cmocka_unit_test(in_flight_reaches_the_limit_and_never_exceeds_it),
        cmocka_unit_test(connections_are_reused),
        cmocka_unit_test(a_reused_connection_reset_by_the_server_is_retried),
        cmocka_unit_test(a_reset_mid_body_is_connection_reset),
        cmocka_unit_test(a_broken_chunk_is_a_protocol_error),
        cmocka_unit_test(a_client_never_closed_is_named_and_freed),
        cmocka_unit_test(a_transfer_cancelled_mid_body_leaves_nothing_behind),
        cmocka_unit_test(a_get_done_but_cancelled_before_its_task_ran_frees_the_body),
        cmocka_unit_test(closing_a_client_ends_the_gets_in_flight),
        cmocka_unit_test(one_client_outlives_errors_timeouts_cancels_and_dead_connections),
        cmocka_unit_test(against_nginx),
        cmocka_unit_test(a_server_that_cannot_listen_says_why),
    };
    return cmocka_run_group_tests_name("http client", tests, setup, teardown);
}

/* http.c: libcurl's multi-socket interface on the core's loop, after curl's
 * docs/examples/multi-uv.c: curl says which sockets to watch (socket
 * callback -> one uv_poll each) and when to call it back (timer callback ->
 * one uv_timer); we tell it what happened (curl_multi_socket_action) and
 * then collect finished transfers (curl_multi_info_read). Tasks are never
 * resumed from inside a curl callback: a finished GET only wakes its task. */
#include "async_internal.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

struct async_http_client {
    CURLM *multi;
    uv_timer_t timer;
    async_http_options opt;
    int open_handles;            /* the timer and the socket polls, until closed */
    async_task *closer;          /* waits in async_http_client_close */
};

typedef struct socket_watch {
    uv_poll_t poll;
    curl_socket_t fd;
    async_http_client *client;
} socket_watch;

typedef struct transfer {
    CURL *easy;
    async_task *task;
    async_http_client *client;
    async_http_response *r;
    size_t cap;
    int too_big;
    int added;                   /* curl_multi_add_handle has run */
    async_soon add;              /* adding happens on the loop's stack */
    char errbuf[CURL_ERROR_SIZE];
} transfer;

/* ---------------------------------------------------------- curl -> uv */

static void handle_released(async_http_client *c)
{
    if (--c->open_handles == 0 && c->closer)
        async__wake(c->closer, 0);
}

static void timer_closed(uv_handle_t *h)
{
    handle_released(h->data);
}

static void watch_closed(uv_handle_t *h)
{
    socket_watch *w = h->data;
    async_http_client *c = w->client;
    free(w);
    handle_released(c);
}

static void check_done(async_http_client *c);

static void on_poll(uv_poll_t *p, int status, int events)
{
    socket_watch *w = p->data;
    int flags = status < 0 ? CURL_CSELECT_ERR : 0;
    if (events & UV_READABLE) flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
    int running;
    curl_multi_socket_action(w->client->multi, w->fd, flags, &running);
    check_done(w->client);
}

static int on_socket(CURL *easy, curl_socket_t fd, int action, void *userp, void *socketp)
{
    (void)easy;
    async_http_client *c = userp;
    socket_watch *w = socketp;
    if (action == CURL_POLL_REMOVE) {
        if (w) {
            /* uv_close stops polling at once, before curl closes the socket */
            uv_close((uv_handle_t *)&w->poll, watch_closed);
            curl_multi_assign(c->multi, fd, NULL);
        }
        return 0;
    }
    if (!w) {
        w = calloc(1, sizeof *w);
        if (!w || uv_poll_init_socket(async_loop(), &w->poll, fd) != 0) {
            free(w);
            return -1;
        }
        w->fd = fd;
        w->client = c;
        w->poll.data = w;
        c->open_handles++;
        curl_multi_assign(c->multi, fd, w);
    }
    int events = (action & CURL_POLL_IN ? UV_READABLE : 0) | (action & CURL_POLL_OUT ? UV_WRITABLE : 0);
    uv_poll_start(&w->poll, events, on_poll);
    return 0;
}

static void on_timeout(uv_timer_t *t)
{
    async_http_client *c = t->data;
    int running;
    curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_done(c);
}

/* -1: stop; 0: "soon", which a 0 ms uv_timer gives without calling curl
 * back from inside its own callback. */
static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
    (void)multi;
    async_http_client *c = userp;
    if (timeout_ms < 0)
        uv_timer_stop(&c->timer);
    else
        uv_timer_start(&c->timer, on_timeout, (uint64_t)timeout_ms, 0);
    return 0;
}

/* ------------------------------------------------------------ results */

static int uv_error_of(CURLcode rc, const transfer *t)
{
    switch (rc) {
    case CURLE_OK: return 0;
    case CURLE_URL_MALFORMAT: return UV_EINVAL;
    case CURLE_UNSUPPORTED_PROTOCOL:
        return strstr(t->errbuf, "HTTP/0.9") ? UV_EPROTO : UV_EINVAL;
    case CURLE_COULDNT_RESOLVE_HOST: return UV_EAI_NONAME;
    case CURLE_COULDNT_CONNECT: return UV_ECONNREFUSED;
    case CURLE_OPERATION_TIMEDOUT: return UV_ETIMEDOUT;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR: return UV_ECONNRESET;
    case CURLE_SEND_ERROR: return UV_EPIPE;
    case CURLE_PARTIAL_FILE:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING: return UV_EPROTO;
    case CURLE_WRITE_ERROR: return t->too_big ? UV_E2BIG : UV_EIO;
    case CURLE_OUT_OF_MEMORY: return UV_ENOMEM;
    default: return UV_EIO;
    }
}

static void finish(transfer *t, CURLcode code)
{
    int rc = uv_error_of(code, t);
    if (rc) {
        snprintf(t->r->error, sizeof t->r->error, "%s",
                 t->too_big ? "the body is larger than the client's max_body"
                 : t->errbuf[0] ? t->errbuf : curl_easy_strerror(code));
    } else {
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->r->status);
    }
    curl_multi_remove_handle(t->client->multi, t->easy);
    curl_easy_cleanup(t->easy);
    t->easy = NULL;
    async__wake(t->task, rc);
}

static void check_done(async_http_client *c)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(c->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        transfer *t;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        finish(t, msg->data.result);
    }
}

/* ------------------------------------------------------------- the GET */

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
    transfer *t = userp;
    async_http_response *r = t->r;
    size_t len = size * n;
    if (r->len + len > t->client->opt.max_body) {
        t->too_big = 1;
        return 0;                 /* CURLE_WRITE_ERROR */
    }
    if (r->len + len + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 16384;
        while (cap < r->len + len + 1)
            cap *= 2;
        char *body = realloc(r->body, cap);
        if (!body)
            return 0;
        r->body = body;
        t->cap = cap;
    }
    memcpy(r->body + r->len, data, len);
    r->len += len;
    r->body[r->len] = 0;
    return len;
}

/* curl_multi_add_handle calls our callbacks and may connect: it runs on the
 * loop's stack, not the task's. */
static void add_transfer(async_soon *node)
{
    transfer *t = (transfer *)((char *)node - offsetof(transfer, add));
    CURLMcode mc = curl_multi_add_handle(t->client->multi, t->easy);
    if (mc != CURLM_OK) {
        snprintf(t->r->error, sizeof t->r->error, "%s", curl_multi_strerror(mc));
        curl_easy_cleanup(t->easy);
        t->easy = NULL;
        async__wake(t->task, UV_ENOMEM);
        return;
    }
    t->added = 1;
}

static void get_cancel(void *ctx)
{
    transfer *t = ctx;
    if (t->easy) {
        if (t->added)             /* not added yet: add_or_skip will skip it */
            curl_multi_remove_handle(t->client->multi, t->easy);
        curl_easy_cleanup(t->easy);
        t->easy = NULL;
    }
    snprintf(t->r->error, sizeof t->r->error, "cancelled");
    async__wake(t->task, UV_ECANCELED);
}

static void add_or_skip(async_soon *node)
{
    transfer *t = (transfer *)((char *)node - offsetof(transfer, add));
    if (t->easy)
        add_transfer(node);
}

/* An HTTP client, as httpx is: libcurl would otherwise read file:// URLs from
 * the disk (a crawler's URL list must not do that) and wait on ftp:// or
 * telnet:// servers for a greeting an HTTP server never sends. */
static void allow_http_only(CURL *e)
{
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
}

static CURL *new_easy(transfer *t, const char *url)
{
    CURL *e = curl_easy_init();
    if (!e)
        return NULL;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(e, CURLOPT_PRIVATE, t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
    curl_easy_setopt(e, CURLOPT_USERAGENT, t->client->opt.user_agent);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    allow_http_only(e);
    return e;
}

int async_http_get(async_http_client *c, const char *url, async_http_response *r)
{
    memset(r, 0, sizeof *r);
    if (!c || !url)
        return UV_EINVAL;
    int rc = async__check();
    if (rc)
        return rc;
    async__debug_no_timeout("an HTTP GET");    /* best practice: time external calls */
    transfer t = { .task = async__current(), .client = c, .r = r };
    t.easy = new_easy(&t, url);
    if (!t.easy)
        return UV_ENOMEM;
    async__call_soon(&t.add, add_or_skip);
    return async__park(get_cancel, &t);
}

void async_http_response_free(async_http_response *r)
{
    free(r->body);
    r->body = NULL;
    r->len = 0;
}

/* ------------------------------------------------------------ the client */

static void warn_without_async_dns(void)
{
    static int warned;
    curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    if (!(v->features & CURL_VERSION_ASYNCHDNS) && !warned) {
        warned = 1;
        fprintf(stderr, "async http: this libcurl (%s) has no asynchronous resolver: every "
                        "name lookup will block the loop\n", v->version);
    }
}

async_http_client *async_http_client_new(const async_http_options *opt)
{
    static int curl_ready;
    if (!async_loop())
        return NULL;
    if (!curl_ready) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
            return NULL;
        curl_ready = 1;
    }
    warn_without_async_dns();
    async_http_client *c = calloc(1, sizeof *c);
    if (!c || !(c->multi = curl_multi_init())) {
        free(c);
        return NULL;
    }
    c->opt.max_body = opt && opt->max_body ? opt->max_body : 64u * 1024 * 1024;
    c->opt.max_connections = opt ? opt->max_connections : 0;
    c->opt.user_agent = opt && opt->user_agent ? opt->user_agent : "async-workbook/1";
    uv_timer_init(async_loop(), &c->timer);
    c->timer.data = c;
    c->open_handles = 1;
    curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
    curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
    if (c->opt.max_connections > 0)
        curl_multi_setopt(c->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, c->opt.max_connections);
    /* libcurl sizes its idle-connection cache from the handles added at the
     * moment, which here come and go: keep enough idle connections to reuse. */
    curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS,
                      c->opt.max_connections > 64 ? c->opt.max_connections : 64L);
    return c;
}

typedef struct closing {
    async_soon node;
    async_http_client *client;
} closing;

static void cleanup_multi(async_soon *node)
{
    async_http_client *c = ((closing *)node)->client;
    curl_multi_cleanup(c->multi);    /* closes the pooled connections */
    c->multi = NULL;
    uv_timer_stop(&c->timer);
    uv_close((uv_handle_t *)&c->timer, timer_closed);
}

void async_http_client_close(async_http_client *c)
{
    if (!c)
        return;
    async_shield shield;
    async_shield_enter(&shield);
    closing job = { .client = c };
    c->closer = async__current();
    async__call_soon(&job.node, cleanup_multi);
    while (c->open_handles > 0)
        async__park(NULL, NULL);
    async_shield_exit(&shield);
    free(c);
}

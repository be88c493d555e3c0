/* http.c: libcurl's multi-socket interface on the core's loop, after curl's
 * docs/examples/multi-uv.c: curl says which sockets to watch (socket
 * callback -> one uv_poll each) and when to call it back (timer callback ->
 * one uv_timer); we tell it what happened (curl_multi_socket_action) and
 * then collect finished transfers (curl_multi_info_read). Tasks are never
 * resumed from inside a curl callback: a finished GET only wakes its task. */
#include "async_internal.h"
#include "resource.h"
#include "async_http.h"
#include "platform.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Easy handles are kept between GETs (configured once, only the URL set per
 * GET): up to this many idle ones per client. */
enum { IDLE_HANDLES_MAX = 256 };

typedef struct socket_watch socket_watch;
typedef struct easy_slot easy_slot;

struct async_http_client {
    async_resource resource;     /* named and closed by async_run if forgotten */
    int abandoned;               /* so: free it once its uv handles are closed */
    CURLM *multi;
    uv_timer_t timer;
    async_http_options opt;
    int uv_handles_open;         /* the timer and the socket polls, until closed */
    async_task *closer;          /* waits in async_http_client_close */
    easy_slot *idle;             /* easy slots between GETs */
    int idle_count, easy_alive;  /* easy slots idle, and alive (idle or in a GET) */
    long max_connects;           /* CURLMOPT_MAXCONNECTS as last set */
    int proxy_from_env;          /* an http_proxy-style variable is set */
    struct fd_slot *fds;         /* by fd: the sockets the client opened */
    int fds_cap;
    async_list in_flight;        /* the GETs running (transfer.link) */
};

struct fd_slot {
    int opened;                  /* by on_open, so curl closes it with on_close */
    socket_watch *w;             /* its watch, if it has one */
};

/* One uv_poll per socket. A socket the client opened itself (on_open) keeps
 * its watch from one GET to the next on a kept-alive connection, until curl
 * closes it through on_close: no epoll_ctl and no allocation per GET. */
struct socket_watch {
    uv_poll_t poll;
    curl_socket_t fd;
    async_http_client *client;
    int events;                  /* being polled for (UV_READABLE...), 0: stopped */
    int wanted;                  /* curl watches it (not CURL_POLL_REMOVE) */
    int want;                    /* what curl asked for (UV_READABLE...) */
    int ours;                    /* opened by on_open, so closed by on_close */
};

typedef struct transfer transfer;

/* An easy slot: libcurl's easy handle, configured once. Its callbacks' data,
 * private pointer and error buffer all point here and stay valid while it
 * sits idle. */
struct easy_slot {
    CURL *easy;
    easy_slot *next;             /* in the client's idle list */
    transfer *t;                 /* the GET using it, or NULL */
    long connects;               /* connections it opened, over all its GETs */
    async_http_client *client;
    int open_errno;              /* why on_open could not make a socket (EMFILE) */
    char errbuf[CURL_ERROR_SIZE];
};

struct transfer {
    easy_slot *h;                   /* NULL once finished or cancelled */
    async_task *task;
    async_http_client *client;
    async_http_response *r;
    size_t cap;
    int too_big;
    int added;                   /* curl_multi_add_handle has run */
    int finished;                /* curl ended it (finish), not a cancel */
    async_soon add;              /* adding happens on the loop's stack */
    async_list link;             /* in the client's in_flight list */
};

/* ---------------------------------------------------------- curl -> uv */

static void client_free(async_http_client *c)
{
    free(c->fds);
    free(c);
}

static void handle_released(async_http_client *c)
{
    if (--c->uv_handles_open > 0)
        return;
    if (c->closer)
        async__wake(c->closer, 0);
    else if (c->abandoned)
        client_free(c);
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

static struct fd_slot *fd_slot(async_http_client *c, curl_socket_t fd)
{
    return fd >= 0 && fd < c->fds_cap && c->fds[fd].opened ? &c->fds[fd] : NULL;
}

/* uv_close stops polling at once (epoll forgets the fd while it is open) */
static void watch_close(socket_watch *w)
{
    struct fd_slot *slot = fd_slot(w->client, w->fd);
    if (slot && slot->w == w)
        slot->w = NULL;
    uv_close((uv_handle_t *)&w->poll, watch_closed);
}

static void on_poll(uv_poll_t *p, int status, int events);

static void watch_poll(socket_watch *w, int events)
{
    if (events == w->events)
        return;
    if (events)
        uv_poll_start(&w->poll, events, on_poll);
    else
        uv_poll_stop(&w->poll);
    w->events = events;
}

static void check_done(async_http_client *c);

static void on_poll(uv_poll_t *p, int status, int events)
{
    socket_watch *w = p->data;
    if (!w->wanted) {
        /* an idle kept-alive connection became readable (the server closed
         * it, most likely): stop polling; curl checks it before reusing it */
        if (status < 0)
            w->events = 0;       /* libuv stopped it already */
        watch_poll(w, 0);
        return;
    }
    if (status < 0) {
        /* POLLERR (libuv stops the poll and gives no events): a reset, most
         * often. Let curl read or write as it asked, so that it meets the
         * socket's own error (ECONNRESET: "Connection reset by peer") and,
         * on a kept-alive connection reused, retries on a fresh one. Told
         * CURL_CSELECT_ERR instead, it fails the transfer with "select/poll
         * returned error" (CURLE_SEND_ERROR) and never retries. */
        w->events = 0;
        events = w->want;
    }
    int flags = 0;
    if (events & UV_READABLE) flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
    int running;
    curl_multi_socket_action(w->client->multi, w->fd, flags, &running);
    /* still watched and curl asked for nothing new: poll again (a close is
     * only completed on the next loop turn, so w is still ours here) */
    if (status < 0 && w->wanted && !uv_is_closing((uv_handle_t *)&w->poll))
        watch_poll(w, w->want);
    check_done(w->client);
}

static int on_socket(CURL *easy, curl_socket_t fd, int action, void *userp, void *socketp)
{
    (void)easy;
    async_http_client *c = userp;
    socket_watch *w = socketp;
    struct fd_slot *slot = fd_slot(c, fd);
    if (!w && slot)
        w = slot->w;
    if (action == CURL_POLL_REMOVE) {
        if (!w)
            return 0;
        w->wanted = 0;
        /* One of our kept-alive connections stays watched for the next GET;
         * only its writable interest goes (it would fire at once, for
         * nothing). A socket curl opened itself (its resolver's) may be
         * closed without telling us: stop watching it now, before it is. */
        if (!w->ours)
            watch_close(w);
        else if (w->events & UV_WRITABLE)
            watch_poll(w, 0);
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
        c->uv_handles_open++;
        if (slot) {
            w->ours = 1;
            slot->w = w;
        }
    }
    if (!socketp)
        curl_multi_assign(c->multi, fd, w);
    w->wanted = 1;
    w->want = (action & CURL_POLL_IN ? UV_READABLE : 0) | (action & CURL_POLL_OUT ? UV_WRITABLE : 0);
    watch_poll(w, w->want);
    return 0;
}

/* A socket that a program's child (a fork and exec) does not inherit: set by
 * socket() itself where it can (no window for another thread's exec), by
 * fcntl where SOCK_CLOEXEC does not exist (macOS). */
static curl_socket_t cloexec_socket(int family, int type, int protocol)
{
#ifdef ASYNC_HAVE_SOCK_CLOEXEC
    return socket(family, type | SOCK_CLOEXEC, protocol);
#else
    curl_socket_t fd = socket(family, type, protocol);
    if (fd >= 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
        close(fd);
        return -1;
    }
    return fd;
#endif
}

/* CURLOPT_OPENSOCKETFUNCTION: the client's own connections, which it may
 * keep watching between GETs since curl closes them through on_close. */
static curl_socket_t on_open(void *userp, curlsocktype purpose, struct curl_sockaddr *a)
{
    easy_slot *h = userp;
    async_http_client *c = h->client;
    (void)purpose;
    curl_socket_t fd = cloexec_socket(a->family, a->socktype, a->protocol);
    if (fd < 0) {
        h->open_errno = errno;   /* curl would call it "Couldn't connect" */
        return CURL_SOCKET_BAD;
    }
    if (fd >= c->fds_cap) {
        int cap = c->fds_cap ? c->fds_cap : 64;
        while (cap <= fd)
            cap *= 2;
        struct fd_slot *more = realloc(c->fds, (size_t)cap * sizeof *more);
        if (!more) {
            close(fd);
            return CURL_SOCKET_BAD;
        }
        memset(more + c->fds_cap, 0, (size_t)(cap - c->fds_cap) * sizeof *more);
        c->fds = more;
        c->fds_cap = cap;
    }
    if (c->fds[fd].w)            /* closed behind our back: never expected */
        watch_close(c->fds[fd].w);
    c->fds[fd].opened = 1;
    return fd;
}

/* CURLOPT_CLOSESOCKETFUNCTION: a socket is never closed while it is polled */
static int on_close(void *userp, curl_socket_t fd)
{
    async_http_client *c = userp;
    struct fd_slot *slot = fd_slot(c, fd);
    if (slot) {
        if (slot->w)
            watch_close(slot->w);
        slot->opened = 0;
    }
    return close(fd);
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

/* A socket's own error, as the system named it (ECONNRESET, EHOSTUNREACH,
 * ETIMEDOUT...), where curl kept it; 0 if none. */
static int socket_error(const transfer *t)
{
    long err = 0;
    if (curl_easy_getinfo(t->h->easy, CURLINFO_OS_ERRNO, &err) != CURLE_OK || err <= 0)
        return 0;
    return uv_translate_sys_error((int)err);
}

static int uv_error_of(CURLcode rc, const transfer *t)
{
    int sys;
    switch (rc) {
    case CURLE_OK: return 0;
    case CURLE_URL_MALFORMAT: return UV_EINVAL;
    case CURLE_UNSUPPORTED_PROTOCOL:
        return strstr(t->h->errbuf, "HTTP/0.9") ? UV_EPROTO : UV_EINVAL;
    case CURLE_COULDNT_RESOLVE_HOST: return UV_EAI_NONAME;
    case CURLE_OPERATION_TIMEDOUT: return UV_ETIMEDOUT;
    case CURLE_GOT_NOTHING: return UV_ECONNRESET;
    case CURLE_COULDNT_CONNECT:
        return (sys = socket_error(t)) ? sys : UV_ECONNREFUSED;
    case CURLE_RECV_ERROR:
        if ((sys = socket_error(t)))
            return sys;
        /* no socket error: curl could not decode what arrived (a chunk size
         * that is not hexadecimal): the server broke HTTP, nothing was reset */
        return strstr(t->h->errbuf, "chunk") ? UV_EPROTO : UV_ECONNRESET;
    case CURLE_SEND_ERROR:
        return (sys = socket_error(t)) ? sys : UV_EPIPE;
    case CURLE_PARTIAL_FILE:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING: return UV_EPROTO;
    case CURLE_WRITE_ERROR: return t->too_big ? UV_E2BIG : UV_EIO;
    case CURLE_OUT_OF_MEMORY: return UV_ENOMEM;
    default: return UV_EIO;
    }
}

/* The end of a GET, whichever way: the handle goes back to the client (not
 * in a multi handle any more), kept for the next GET or cleaned up. */
static void release_easy(async_http_client *c, easy_slot *h)
{
    h->t = NULL;
    /* libcurl retries a GET whose reused connection turns out dead, up to 5
     * times, but 7.88 counts those retries over the easy handle's whole life
     * (the count is reset only when it gives up): a kept handle would fail
     * its sixth retry, one GET among many, on a server that drops kept-alive
     * connections. A handle that had to open a second connection (after a
     * retry, or a server's close) is not kept; one on a healthy kept-alive
     * connection, the common case, is. */
    long connects = 0;
    if (curl_easy_getinfo(h->easy, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK)
        h->connects += connects;
    if (h->connects <= 1 && c->idle_count < IDLE_HANDLES_MAX && c->multi) {
        h->next = c->idle;
        c->idle = h;
        c->idle_count++;
        return;
    }
    curl_easy_cleanup(h->easy);
    free(h);
    c->easy_alive--;
}

/* Out of descriptors, curl says "Couldn't connect to server": name the cause */
static const char *open_failure(int err)
{
    if (err == EMFILE)
        return "no file descriptor left for its socket: raise ulimit -n";
    if (err == ENFILE)
        return "the system has no file descriptor left for its socket";
    return strerror(err);
}

/* A server in this same process (the workbook's demo server) that runs out
 * of descriptors cannot accept: libuv then accepts and closes the connection
 * to keep its loop going, and the client sees only a reset. When this
 * process has no descriptor left, say so beside curl's words. */
static void name_a_reset_by_no_descriptors(transfer *t, int rc)
{
    if (rc != UV_ECONNRESET || async__descriptors_left() != UV_EMFILE)
        return;
    size_t n = strlen(t->r->error);
    snprintf(t->r->error + n, sizeof t->r->error - n, "; this process has no file descriptor "
             "left, so a server in it may have dropped the connection: raise ulimit -n");
}

static void finish(transfer *t, CURLcode code)
{
    easy_slot *h = t->h;
    int rc = uv_error_of(code, t);
    if (rc && code == CURLE_COULDNT_CONNECT && h->open_errno) {
        rc = uv_translate_sys_error(h->open_errno);
        snprintf(t->r->error, sizeof t->r->error, "%s", open_failure(h->open_errno));
    } else if (rc == UV_E2BIG) {
        snprintf(t->r->error, sizeof t->r->error, "the body is larger than the client's "
                 "max_body, %zu bytes", t->client->opt.max_body);
    } else if (rc) {
        snprintf(t->r->error, sizeof t->r->error, "%s",
                 h->errbuf[0] ? h->errbuf : curl_easy_strerror(code));
        name_a_reset_by_no_descriptors(t, rc);
    } else {
        curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &t->r->status);
    }
    curl_multi_remove_handle(t->client->multi, h->easy);
    release_easy(t->client, h);
    t->h = NULL;
    t->finished = 1;
    async__wake(t->task, rc);
}

static void check_done(async_http_client *c)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(c->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        easy_slot *h;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&h);
        finish(h->t, msg->data.result);
    }
}

/* ------------------------------------------------------------- the GET */

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
    transfer *t = ((easy_slot *)userp)->t;
    async_http_response *r = t->r;
    size_t len = size * n;
    if (r->len + len > t->client->opt.max_body) {
        t->too_big = 1;
        return 0;                 /* CURLE_WRITE_ERROR */
    }
    if (r->len + len + 1 > t->cap) {
        /* the first piece exactly (a small page is one piece), then doubling */
        size_t cap = t->cap ? t->cap * 2 : 0;
        if (cap < r->len + len + 1)
            cap = r->len + len + 1;
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
    CURLMcode mc = curl_multi_add_handle(t->client->multi, t->h->easy);
    if (mc != CURLM_OK) {
        snprintf(t->r->error, sizeof t->r->error, "%s", curl_multi_strerror(mc));
        release_easy(t->client, t->h);
        t->h = NULL;
        async__wake(t->task, UV_ENOMEM);
        return;
    }
    t->added = 1;
}

static void get_cancel(void *ctx)
{
    transfer *t = ctx;
    if (t->h) {
        if (t->added)             /* not added yet: add_or_skip will skip it */
            curl_multi_remove_handle(t->client->multi, t->h->easy);
        release_easy(t->client, t->h);
        t->h = NULL;
    }
    snprintf(t->r->error, sizeof t->r->error, "cancelled");
    async__wake(t->task, UV_ECANCELED);
}

/* A cancel may land after the transfer ended, before the task ran (the GET
 * returns UV_ECANCELED all the same, as asyncio's would): the response it got
 * is dropped here, so a caller that frees only on success leaks nothing. (A
 * transfer cancelled midway keeps its partial body, as before, for the
 * caller's async_http_response_free.) */
static void drop_response(async_http_response *r)
{
    free(r->body);
    r->body = NULL;
    r->len = 0;
    r->status = 0;
    snprintf(r->error, sizeof r->error, "cancelled");
}

static void add_or_skip(async_soon *node)
{
    transfer *t = (transfer *)((char *)node - offsetof(transfer, add));
    if (t->h)
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

/* libcurl looks up the proxy variables (http_proxy, all_proxy...) on every
 * GET: about 1% of a crawl's instructions. The environment does not change
 * under a running client, so look once; with none set, say "no proxy"
 * outright, which is what curl would have concluded. */
static int proxy_in_env(void)
{
    static const char *names[] = { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                   "all_proxy", "ALL_PROXY" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = getenv(names[i]);
        if (v && *v)
            return 1;
    }
    return 0;
}

/* libcurl sizes its connection cache from the handles added at the moment,
 * which here come and go: size it, as curl would, at 4 per handle, counting
 * every handle alive, so that N GETs at a time keep N connections alive. */
static void size_connection_cache(async_http_client *c)
{
    long want = 4L * c->easy_alive;
    if (want < 64)
        want = 64;
    if (c->opt.max_connections > want)
        want = c->opt.max_connections;
    if (want > c->max_connects) {
        curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, want);
        c->max_connects = want;
    }
}

/* An idle handle, or a new one configured once for all its GETs. */
static easy_slot *take_easy(async_http_client *c)
{
    easy_slot *h = c->idle;
    if (h) {
        c->idle = h->next;
        c->idle_count--;
        return h;
    }
    h = calloc(1, sizeof *h);
    if (!h || !(h->easy = curl_easy_init())) {
        free(h);
        return NULL;
    }
    h->client = c;
    CURL *e = h->easy;
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(e, CURLOPT_PRIVATE, h);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, h->errbuf);
    curl_easy_setopt(e, CURLOPT_USERAGENT, c->opt.user_agent);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    allow_http_only(e);
    if (!c->proxy_from_env)
        curl_easy_setopt(e, CURLOPT_PROXY, "");
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, on_open);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, h);
    curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, on_close);
    curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, c);
    c->easy_alive++;
    size_connection_cache(c);
    return h;
}

#undef async_http_get
int async_http_get(async_http_client *c, const char *url, async_http_response *r)
{
    return async_http_get_at(c, url, r, NULL, 0);
}

int async_http_get_at(async_http_client *c, const char *url, async_http_response *r,
                      const char *file, int line)
{
    memset(r, 0, sizeof *r);
    if (!c || !url)
        return UV_EINVAL;
    int rc = async__check();
    if (!rc && !async__resource_is_open(&c->resource))   /* freed: never read */
        async__misuse(file, line, "async_http_get was given a client that was closed "
                      "(httpx: Cannot send a request, as the client has been closed)");
    if (rc)
        return rc;
    async__debug_no_timeout("an HTTP GET");    /* best practice: time external calls */
    if (c->closer || !c->multi) {     /* httpx: "the client has been closed" */
        snprintf(r->error, sizeof r->error, "the client is closed");
        return UV_EINVAL;
    }
    transfer t = { .task = async__current(), .client = c, .r = r };
    if (!(t.h = take_easy(c)))
        return UV_ENOMEM;
    if (curl_easy_setopt(t.h->easy, CURLOPT_URL, url) != CURLE_OK) {
        release_easy(c, t.h);
        return UV_ENOMEM;
    }
    t.h->t = &t;
    t.h->errbuf[0] = 0;
    t.h->open_errno = 0;
    async__call_soon(&t.add, add_or_skip);
    async_list_push_back(&c->in_flight, &t.link);
    async__wait_here(ASYNC_ON_HTTP_GET, c, file, line)->detail.text = url;
    rc = async__park(get_cancel, &t);
    async_list_remove(&t.link);       /* a no-op if the close already did */
    if (rc == UV_ECANCELED && t.finished)
        drop_response(r);
    return rc;
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

static void abandon_client(async_resource *r);

#undef async_http_client_new
async_http_client *async_http_client_new(const async_http_options *opt)
{
    return async_http_client_new_at(opt, NULL, 0);
}

async_http_client *async_http_client_new_at(const async_http_options *opt, const char *file,
                                            int line)
{
    static int curl_ready;
    async__on_loop("async_http_client_new");
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
    c->proxy_from_env = proxy_in_env();
    async_list_init(&c->in_flight);
    uv_timer_init(async_loop(), &c->timer);
    c->timer.data = c;
    c->uv_handles_open = 1;
    curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
    curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
    if (c->opt.max_connections > 0)
        curl_multi_setopt(c->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, c->opt.max_connections);
    size_connection_cache(c);
    async__resource_open(&c->resource, "an HTTP client", file, line, abandon_client);
    return c;
}

typedef struct closing {
    async_soon node;
    async_http_client *client;
} closing;

/* A close while other tasks' GETs are in flight ends each of them first,
 * with UV_ECANCELED, as a cancel would: their transfers live on their own
 * stacks and must be off the client before its memory goes. */
static void end_in_flight(async_http_client *c)
{
    for (async_list *n; (n = async_list_pop_front(&c->in_flight));) {
        transfer *t = async_container_of(n, transfer, link);
        async_list_init(n);          /* the GET's own remove becomes a no-op */
        get_cancel(t);
        snprintf(t->r->error, sizeof t->r->error, "the client was closed during the GET");
    }
}

static void close_multi(async_http_client *c)
{
    end_in_flight(c);
    while (c->idle) {
        easy_slot *h = c->idle;
        c->idle = h->next;
        curl_easy_cleanup(h->easy);
        free(h);
    }
    c->idle_count = 0;
    curl_multi_cleanup(c->multi);    /* closes the pooled connections (on_close) */
    c->multi = NULL;
    /* every socket the client opened was closed through on_close: a watch
     * left here would be a bug in that bookkeeping; never leave it open */
    for (int fd = 0; fd < c->fds_cap; fd++)
        if (c->fds[fd].w)
            watch_close(c->fds[fd].w);
    uv_timer_stop(&c->timer);
    uv_close((uv_handle_t *)&c->timer, timer_closed);
}

static void cleanup_multi(async_soon *node)
{
    close_multi(((closing *)node)->client);
}

/* main returned without async_http_client_close (async_run said so): close
 * it from the loop; the last handle's close callback frees it. */
static void abandon_client(async_resource *r)
{
    async_http_client *c = async_container_of(r, async_http_client, resource);
    c->abandoned = 1;
    c->closer = NULL;
    close_multi(c);
}

#undef async_http_client_close
void async_http_client_close(async_http_client *c)
{
    async_http_client_close_at(c, NULL, 0);
}

void async_http_client_close_at(async_http_client *c, const char *file, int line)
{
    async__on_loop("async_http_client_close");
    if (!c)
        return;
    if (!async__resource_is_open(&c->resource))   /* its memory is freed: not read */
        async__misuse(file, line, "async_http_client_close was given a client that is "
                      "already closed (closed twice, or in an earlier async_run)");
    if (c->closer)
        async__misuse(file, line, "async_http_client_close: task '%s' is already closing "
                      "this client (closed twice)", async_task_name(c->closer));
    async_shield shield;
    async_shield_enter(&shield);
    closing job = { .client = c };
    c->closer = async__current();
    async__call_soon(&job.node, cleanup_multi);
    while (c->uv_handles_open > 0) {
        async__wait_here(ASYNC_ON_HTTP_CLOSE, c, file, line);
        async__park(NULL, NULL);
    }
    async_shield_exit(&shield);
    async__resource_close(&c->resource);     /* open until here: see the checks above */
    client_free(c);
}

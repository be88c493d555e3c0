/* demo_server.c: a small HTTP/1.1 server on its own thread and libuv loop,
 * so that the crawler, the mistakes and the tests need no network and no
 * server of their own. It answers like a slow remote site (each /page/N after
 * a delay) and can misbehave on request (/hang, /drop, /stall, /garbage,
 * /reset, /bad-chunk). */
#include "wb_demo_server.h"
#include "wb_demo_request.h"
#include "list.h"
#include "resource.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

typedef struct connection connection;

struct wb_demo_server {
    uv_loop_t loop;
    uv_tcp_t listener;
    uv_async_t stop;
    uv_thread_t thread;
    int port;
    double delay;
    async_list conns;            /* every open connection (connection.link) */
    atomic_int in_flight, max_in_flight;
    atomic_long requests, connections;
    int said_cannot_accept;      /* the line about a refused connection, once */
};

struct connection {
    uv_tcp_t tcp;
    uv_timer_t timer;            /* the delay before an answer */
    wb_demo_server *server;
    async_list link;             /* in the server's conns */
    char in[WB_DEMO_MAX_REQUEST];
    size_t in_len;
    wb_demo_request req;            /* the request being answered */
    int busy;                    /* a request is being answered */
    int one_shot;                /* served a /one-shot/N: reset at the next request */
    int closing;
    int open_handles;
};

/* ------------------------------------------------------------ bookkeeping */

static void request_begins(wb_demo_server *s)
{
    int now = atomic_fetch_add(&s->in_flight, 1) + 1;
    int max = atomic_load(&s->max_in_flight);
    while (now > max && !atomic_compare_exchange_weak(&s->max_in_flight, &max, now))
        ;
    atomic_fetch_add(&s->requests, 1);
}

static void request_ends(connection *c)
{
    if (c->busy) {
        c->busy = 0;
        atomic_fetch_sub(&c->server->in_flight, 1);
    }
}

static void handle_closed(uv_handle_t *h)
{
    connection *c = h->data;
    if (--c->open_handles == 0)
        free(c);
}

/* reset: an RST instead of a FIN, as a crashed or impatient server sends */
static void conn_end(connection *c, int reset)
{
    if (c->closing)
        return;
    c->closing = 1;
    request_ends(c);
    async_list_remove(&c->link);
    uv_close((uv_handle_t *)&c->timer, handle_closed);
    if (!reset || uv_tcp_close_reset(&c->tcp, handle_closed) != 0)
        uv_close((uv_handle_t *)&c->tcp, handle_closed);
}

static void conn_close(connection *c)
{
    conn_end(c, 0);
}

/* ---------------------------------------------------------------- writing */

typedef struct write_req {
    uv_write_t req;
    connection *conn;
    int close_after;             /* 1: close, 2: reset, once written */
    int ends_request;
    char data[];
} write_req;

static void on_written(uv_write_t *w, int status);

static void send_bytes(connection *c, const char *data, size_t len, int ends_request, int close_after)
{
    write_req *w = malloc(sizeof *w + len);
    if (!w) {
        conn_close(c);
        return;
    }
    memcpy(w->data, data, len);
    w->conn = c;
    w->close_after = close_after;
    w->ends_request = ends_request;
    uv_buf_t buf = uv_buf_init(w->data, (unsigned)len);
    if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &buf, 1, on_written) != 0) {
        free(w);
        conn_close(c);
    }
}

static void serve_next(connection *c);

static void on_written(uv_write_t *w, int status)
{
    write_req *wr = (write_req *)w;
    connection *c = wr->conn;
    int close_after = wr->close_after, ends = wr->ends_request;
    free(wr);
    if (c->closing)
        return;
    if (status < 0 || close_after) {
        conn_end(c, close_after == 2);
        return;
    }
    if (ends) {
        request_ends(c);
        serve_next(c);        /* a pipelined request may be waiting */
    }
}

static void send_answer(connection *c, int status, const char *reason, const char *body,
                        size_t body_len, int close_after)
{
    char head[256];
    int keep = !close_after && c->req.keep_alive;
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nContent-Type: text/html\r\nContent-Length: %zu\r\n"
                     "Connection: %s\r\n\r\n", status, reason, body_len,
                     keep ? "keep-alive" : "close");
    send_bytes(c, head, (size_t)n, 0, 0);
    send_bytes(c, body, body_len, 1, !keep);
}

static void send_page(connection *c, const char *title)
{
    char body[512];
    int n = snprintf(body, sizeof body,
                     "<!doctype html>\n<html><head><title>%s</title></head>\n"
                     "<body><h1>%s</h1><p>A page from the workbook's demo server.</p></body></html>\n",
                     title, title);
    send_answer(c, 200, "OK", body, (size_t)n, 0);
}

static void send_bytes_body(connection *c, size_t n)
{
    char *body = malloc(n ? n : 1);
    if (!body) {
        send_answer(c, 500, "Internal Server Error", "out of memory\n", 14, 1);
        return;
    }
    for (size_t i = 0; i < n; i++)
        body[i] = (char)('a' + i % 26);
    send_answer(c, 200, "OK", body, n, 0);
    free(body);
}

static void send_chunked(connection *c, size_t n)
{
    int keep = c->req.keep_alive;
    char head[160];
    int len = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                       "Transfer-Encoding: chunked\r\nConnection: %s\r\n\r\n",
                       keep ? "keep-alive" : "close");
    send_bytes(c, head, (size_t)len, 0, 0);
    char chunk[4096 + 16];
    while (n > 0) {
        size_t part = n < 4096 ? n : 4096;
        int h = snprintf(chunk, sizeof chunk, "%zx\r\n", part);
        memset(chunk + h, 'c', part);
        memcpy(chunk + h + part, "\r\n", 2);
        send_bytes(c, chunk, (size_t)h + part + 2, 0, 0);
        n -= part;
    }
    send_bytes(c, "0\r\n\r\n", 5, 1, !keep);
}

static void send_drop(connection *c)
{
    static const char msg[] = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                              "only the first part of the body arrives";
    send_bytes(c, msg, sizeof msg - 1, 1, 1);
}

static void send_reset(connection *c)
{
    static const char msg[] = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                              "only the first part of the body arrives, then a reset";
    send_bytes(c, msg, sizeof msg - 1, 1, 2);
}

/* A chunked body whose second chunk's size is not hexadecimal: the server
 * breaks HTTP, the connection is fine. */
static void send_bad_chunk(connection *c)
{
    static const char msg[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "5\r\nhello\r\nnot-hex\r\nmore\r\n";
    send_bytes(c, msg, sizeof msg - 1, 1, 1);
}

/* The start of a body, then silence with the connection left open: a
 * transfer that is surely mid-body when the client gives up on it. */
static void send_stall(connection *c)
{
    static const char msg[] = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                              "the rest of this body never comes";
    send_bytes(c, msg, sizeof msg - 1, 0, 0);
}

/* ------------------------------------------------------------- answering */

static void answer(connection *c)
{
    const wb_demo_request *r = &c->req;
    char title[64];
    switch (r->route) {
    case WB_DEMO_PAGE:
        snprintf(title, sizeof title, "Page %ld", r->number);
        send_page(c, title);
        break;
    case WB_DEMO_DELAY:
        snprintf(title, sizeof title, "Answered after %ld ms", r->number);
        send_page(c, title);
        break;
    case WB_DEMO_STATUS:
        snprintf(title, sizeof title, "status %ld\n", r->number);
        send_answer(c, (int)r->number, r->number >= 500 ? "Server Error" : "Status", title,
                    strlen(title), 0);
        break;
    case WB_DEMO_BYTES: send_bytes_body(c, (size_t)r->number); break;
    case WB_DEMO_CHUNKED: send_chunked(c, (size_t)r->number); break;
    case WB_DEMO_DROP: send_drop(c); break;
    case WB_DEMO_STALL: send_stall(c); break;
    case WB_DEMO_RESET: send_reset(c); break;
    case WB_DEMO_BAD_CHUNK: send_bad_chunk(c); break;
    case WB_DEMO_ONE_SHOT:
        c->one_shot = 1;
        snprintf(title, sizeof title, "One-shot page %ld", r->number);
        send_page(c, title);
        break;
    case WB_DEMO_GARBAGE: send_bytes(c, "this is not HTTP at all\r\n\r\n", 27, 1, 1); break;
    case WB_DEMO_HANG: break;    /* never answers: the client's timeout must fire */
    default: send_answer(c, 404, "Not Found", "not found\n", 10, 0); break;
    }
}

static void on_delay_done(uv_timer_t *t)
{
    answer(t->data);
}

static double delay_for(const connection *c)
{
    if (c->req.route == WB_DEMO_PAGE)
        return c->server->delay;
    if (c->req.route == WB_DEMO_DELAY)
        return (double)c->req.number / 1000.0;
    return 0;
}

static void serve_next(connection *c)
{
    if (c->busy || c->closing || c->in_len == 0)
        return;
    int used = wb_demo_parse_request(c->in, c->in_len, &c->req);
    if (used == 0)
        return;                      /* need more bytes */
    if (c->one_shot) {               /* its keep-alive was a lie */
        conn_end(c, 1);
        return;
    }
    c->busy = 1;
    request_begins(c->server);
    if (used < 0) {
        c->req.keep_alive = 0;
        send_answer(c, used == WB_DEMO_TOO_LARGE ? 431 : 400,
                    used == WB_DEMO_TOO_LARGE ? "Request Header Fields Too Large" : "Bad Request",
                    "bad request\n", 12, 1);
        c->in_len = 0;
        return;
    }
    memmove(c->in, c->in + used, c->in_len - (size_t)used);
    c->in_len -= (size_t)used;
    double delay = delay_for(c);
    if (delay > 0)
        uv_timer_start(&c->timer, on_delay_done, (uint64_t)(delay * 1000 + 0.5), 0);
    else
        answer(c);
}

/* ---------------------------------------------------------------- reading */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    connection *c = h->data;
    size_t room = sizeof c->in - c->in_len;
    *buf = uv_buf_init(c->in + c->in_len, (unsigned)room);
}

static void on_read(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf)
{
    (void)buf;
    connection *c = stream->data;
    if (n < 0) {
        conn_close(c);
        return;
    }
    c->in_len += (size_t)n;
    if (c->in_len == sizeof c->in && !c->busy && wb_demo_parse_request(c->in, c->in_len, &c->req) == 0) {
        c->in_len = 0;               /* headers too large: refuse */
        c->busy = 1;
        request_begins(c->server);
        c->req.keep_alive = 0;
        send_answer(c, 431, "Request Header Fields Too Large", "too large\n", 10, 1);
        return;
    }
    serve_next(c);
}

/* A connection the server could not take (no descriptor left: libuv then
 * closes it, and the client sees a reset): said once, so that the client's
 * "connection reset by peer" has its cause beside it. */
static void cannot_accept(wb_demo_server *s, int rc)
{
    if (s->said_cannot_accept++)
        return;
    fprintf(stderr, "demo server: cannot accept a connection: %s%s\n", uv_strerror(rc),
            rc == UV_EMFILE || rc == UV_ENFILE ? " (raise ulimit -n)" : "");
}

static void on_connection(uv_stream_t *listener, int status)
{
    wb_demo_server *s = listener->data;
    if (status < 0) {
        cannot_accept(s, status);
        return;
    }
    connection *c = calloc(1, sizeof *c);
    if (!c)
        return;
    c->server = s;
    uv_tcp_init(&s->loop, &c->tcp);
    uv_timer_init(&s->loop, &c->timer);
    c->tcp.data = c->timer.data = c;
    c->open_handles = 2;
    async_list_push_front(&s->conns, &c->link);
    int rc = uv_accept(listener, (uv_stream_t *)&c->tcp);
    if (rc != 0) {
        cannot_accept(s, rc);
        conn_close(c);
        return;
    }
    atomic_fetch_add(&s->connections, 1);
    uv_tcp_nodelay(&c->tcp, 1);
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

/* --------------------------------------------------------- start and stop */

static void on_stop(uv_async_t *a)
{
    wb_demo_server *s = a->data;
    while (!async_list_empty(&s->conns))
        conn_close(async_container_of(s->conns.next, connection, link));
    uv_close((uv_handle_t *)&s->listener, NULL);
    uv_close((uv_handle_t *)&s->stop, NULL);
}

static void serve(void *arg)
{
    wb_demo_server *s = arg;
    uv_run(&s->loop, UV_RUN_DEFAULT);
}

/* Opens the listener; on failure nothing is left open on the server's loop. */
static int listen_on(wb_demo_server *s, const char *host, int port)
{
    struct sockaddr_in addr;
    int rc = uv_ip4_addr(host, port, &addr);
    if (rc)
        return rc;                      /* not an address: nothing opened yet */
    rc = uv_tcp_init(&s->loop, &s->listener);
    if (rc)
        return rc;
    s->listener.data = s;
    rc = uv_tcp_bind(&s->listener, (const struct sockaddr *)&addr, 0);
    if (!rc) rc = uv_listen((uv_stream_t *)&s->listener, 1024, on_connection);
    if (rc) {
        uv_close((uv_handle_t *)&s->listener, NULL);
        uv_run(&s->loop, UV_RUN_DEFAULT);   /* runs the close callback */
        return rc;
    }
    struct sockaddr_storage bound;
    int len = sizeof bound;
    uv_tcp_getsockname(&s->listener, (struct sockaddr *)&bound, &len);
    s->port = ntohs(((struct sockaddr_in *)&bound)->sin_port);
    return 0;
}

static void say_why(const char *host, int port, int rc)
{
    struct sockaddr_in addr;
    if (uv_ip4_addr(host, port, &addr) != 0)
        fprintf(stderr, "demo server: cannot listen on '%s': not an IPv4 address "
                        "(a name like 'localhost' is not looked up; use 127.0.0.1)\n", host);
    else
        fprintf(stderr, "demo server: cannot listen on %s:%d: %s%s\n", host, port,
                uv_strerror(rc), rc == UV_EMFILE ? " (raise ulimit -n)" : "");
}

wb_demo_server *wb_demo_server_start(const wb_demo_server_options *opt)
{
    wb_demo_server_options o = { "127.0.0.1", 0, 0.1 };
    if (opt) {
        o.host = opt->host ? opt->host : o.host;
        o.port = opt->port;
        o.delay = opt->delay > 0 ? opt->delay : (opt->delay < 0 ? 0 : o.delay);
    }
    wb_demo_server *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    signal(SIGPIPE, SIG_IGN);   /* a client that hangs up mid-answer is an EPIPE */
    s->delay = o.delay;
    async_list_init(&s->conns);
    int rc = async__descriptors_left();   /* libuv would abort on too few */
    if (!rc)
        rc = uv_loop_init(&s->loop);
    if (rc) {
        say_why(o.host, o.port, rc);
        free(s);
        return NULL;
    }
    rc = listen_on(s, o.host, o.port);
    if (rc == 0 && (rc = uv_async_init(&s->loop, &s->stop, on_stop)) == 0) {
        s->stop.data = s;
        rc = uv_thread_create(&s->thread, serve, s);
        if (rc) {
            uv_close((uv_handle_t *)&s->stop, NULL);
            uv_close((uv_handle_t *)&s->listener, NULL);
            uv_run(&s->loop, UV_RUN_DEFAULT);
        }
    }
    if (rc) {
        say_why(o.host, o.port, rc);
        uv_loop_close(&s->loop);
        free(s);
        return NULL;
    }
    return s;
}

int wb_demo_server_port(const wb_demo_server *s) { return s->port; }
int wb_demo_server_max_in_flight(const wb_demo_server *s) { return atomic_load(&((wb_demo_server *)s)->max_in_flight); }
long wb_demo_server_requests(const wb_demo_server *s) { return atomic_load(&((wb_demo_server *)s)->requests); }
long wb_demo_server_connections(const wb_demo_server *s) { return atomic_load(&((wb_demo_server *)s)->connections); }

void wb_demo_server_reset_stats(wb_demo_server *s)
{
    atomic_store(&s->max_in_flight, atomic_load(&s->in_flight));
    atomic_store(&s->requests, 0);
    atomic_store(&s->connections, 0);
}

void wb_demo_server_stop(wb_demo_server *s)
{
    if (!s)
        return;
    uv_async_send(&s->stop);
    uv_thread_join(&s->thread);
    uv_loop_close(&s->loop);
    free(s);
}

/* http.h: an async HTTP client (the analog of httpx.AsyncClient) on libcurl's
 * multi-socket interface, driven by the core's libuv loop. One client shares
 * its connections (keep-alive) among all the tasks that use it; a GET is an
 * await: the task sleeps, the loop serves everything else.
 *
 * Name lookups must not block the loop: libcurl must be built with an
 * asynchronous resolver (threaded or c-ares; Debian's is). Without one, a
 * lookup would stall every task for its duration, so the client says so once
 * on stderr when it is created.
 */
#ifndef ASYNC_HTTP_H
#define ASYNC_HTTP_H

#include <stddef.h>

typedef struct async_http_client async_http_client;

typedef struct async_http_options {
    size_t max_body;            /* bytes; default 64 MiB; more is UV_E2BIG */
    long max_connections;       /* per client; 0 = libcurl's default */
    const char *user_agent;     /* default "async-workbook/1" */
} async_http_options;

typedef struct async_http_response {
    long status;                /* 200, 404, 500...: data, not an error */
    char *body;                 /* NUL-terminated; free with async_http_response_free */
    size_t len;
    char error[256];            /* curl's own words when the GET failed */
} async_http_response;

/* httpx.AsyncClient(): NULL if out of memory. Call from a task. The macro
 * remembers where: a client still open when main returns is named ("async:
 * an HTTP client created at x.c:12 was never closed") and closed then. */
async_http_client *async_http_client_new(const async_http_options *opt);
async_http_client *async_http_client_new_at(const async_http_options *opt, const char *file,
                                            int line);
#define async_http_client_new(opt) async_http_client_new_at((opt), __FILE__, __LINE__)

/* await client.get(url): 0 with r filled, or a negative libuv error with
 * r->error saying why: UV_EINVAL (bad URL), UV_EAI_NONAME (unknown host),
 * UV_ECONNREFUSED, UV_ETIMEDOUT, UV_ECONNRESET, UV_EPROTO (not HTTP, or cut
 * off mid-body), UV_E2BIG (body too large), UV_EMFILE (no file descriptor
 * left for a socket: raise ulimit -n), UV_ECANCELED. Cancelling the
 * task, or a timeout scope around the GET, removes the transfer at once. */
int async_http_get(async_http_client *c, const char *url, async_http_response *r);
int async_http_get_at(async_http_client *c, const char *url, async_http_response *r,
                      const char *file, int line);
#define async_http_get(c, url, r) async_http_get_at((c), (url), (r), __FILE__, __LINE__)

void async_http_response_free(async_http_response *r);

/* The end of `async with AsyncClient()`: closes every connection and frees
 * the client once libuv has released its handles (an await, shielded).
 * Other tasks' GETs still in flight end first, with UV_ECANCELED and
 * r->error "the client was closed during the GET"; a GET begun while the
 * close runs is UV_EINVAL. A second close, or a GET once the close has
 * returned, is a misuse (the client is freed): named, then abort(). */
void async_http_client_close(async_http_client *c);
void async_http_client_close_at(async_http_client *c, const char *file, int line);
#define async_http_client_close(c) async_http_client_close_at((c), __FILE__, __LINE__)

#endif

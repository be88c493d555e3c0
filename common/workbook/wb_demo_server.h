/* wb_demo_server.h: a small HTTP/1.1 server for demos and tests, so that the
 * workbook runs with no network. It runs on its own thread with its own libuv
 * loop: a program that blocks its own loop (see mistakes/) cannot stall it.
 *
 * Paths it serves (keep-alive, Content-Length unless said otherwise):
 *   /page/N        a small HTML page, answered after the server's delay
 *   /delay/MS      a small page answered after MS milliseconds
 *   /status/CODE   an answer with that status and a short body
 *   /bytes/N       a body of N bytes
 *   /chunked/N     a body of N bytes, chunked transfer encoding
 *   /hang          accepts the request and never answers
 *   /drop          sends headers and half the body, then closes the connection
 *   /stall         sends headers and the start of the body, then nothing more
 *   /garbage       answers bytes that are not HTTP
 *   /reset         sends headers and half the body, then resets the connection (RST)
 *   /one-shot/N    a page like /page/N (no delay), kept alive as announced, but
 *                  the connection is reset when the next request arrives on it:
 *                  a server that drops idle connections just as a client reuses them
 *   anything else  404
 */
#ifndef ASYNC_DEMO_SERVER_H
#define ASYNC_DEMO_SERVER_H

typedef struct wb_demo_server wb_demo_server;

typedef struct wb_demo_server_options {
    const char *host;   /* default "127.0.0.1" */
    int port;           /* 0: a free port, chosen by the kernel */
    double delay;       /* seconds before each /page/N answer; default 0.1 */
} wb_demo_server_options;

/* Starts the server thread; NULL options mean the defaults. Returns NULL and
 * prints one line on stderr if it cannot listen. */
wb_demo_server *wb_demo_server_start(const wb_demo_server_options *opt);

int wb_demo_server_port(const wb_demo_server *s);

/* Measured by the server: the most requests it was serving at once, how many
 * requests it got and how many connections it accepted. */
int wb_demo_server_max_in_flight(const wb_demo_server *s);
long wb_demo_server_requests(const wb_demo_server *s);
long wb_demo_server_connections(const wb_demo_server *s);
void wb_demo_server_reset_stats(wb_demo_server *s);

/* Closes every connection (also hung ones), joins the thread, frees. */
void wb_demo_server_stop(wb_demo_server *s);

#endif

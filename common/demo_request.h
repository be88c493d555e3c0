/* demo_request.h: the demo server's request parser, a pure function of the
 * bytes received so far (so that a fuzzer can call it directly). */
#ifndef ASYNC_DEMO_REQUEST_H
#define ASYNC_DEMO_REQUEST_H

#include <stddef.h>

enum { DEMO_MAX_REQUEST = 8192 };
enum { DEMO_BAD = -1, DEMO_TOO_LARGE = -2 };

typedef enum demo_route {
    DEMO_NOT_FOUND, DEMO_PAGE, DEMO_DELAY, DEMO_STATUS, DEMO_BYTES, DEMO_CHUNKED,
    DEMO_HANG, DEMO_DROP, DEMO_STALL, DEMO_GARBAGE
} demo_route;

typedef struct demo_request {
    demo_route route;
    long number;          /* N, MS or CODE from the path */
    int keep_alive;
} demo_request;

/* Parses one request head (a GET or HEAD with no body) from buf: the bytes
 * it used (> 0), 0 if the head is not complete yet, DEMO_BAD for a malformed
 * request, DEMO_TOO_LARGE for a head over DEMO_MAX_REQUEST bytes. */
int demo_parse_request(const char *buf, size_t len, demo_request *req);

#endif

/* wb_demo_request.h: the demo server's request parser, a pure function of the
 * bytes received so far (so that a fuzzer can call it directly). */
#ifndef ASYNC_DEMO_REQUEST_H
#define ASYNC_DEMO_REQUEST_H

#include <stddef.h>

enum { WB_DEMO_MAX_REQUEST = 8192 };
enum { WB_DEMO_BAD = -1, WB_DEMO_TOO_LARGE = -2 };

typedef enum wb_demo_route {
    WB_DEMO_NOT_FOUND, WB_DEMO_PAGE, WB_DEMO_DELAY, WB_DEMO_STATUS, WB_DEMO_BYTES, WB_DEMO_CHUNKED,
    WB_DEMO_HANG, WB_DEMO_DROP, WB_DEMO_STALL, WB_DEMO_GARBAGE, WB_DEMO_RESET, WB_DEMO_BAD_CHUNK,
    WB_DEMO_ONE_SHOT             /* the last: fuzz/fuzz_demo_request.c checks the range */
} wb_demo_route;

typedef struct wb_demo_request {
    wb_demo_route route;
    long number;          /* N, MS or CODE from the path */
    int keep_alive;
} wb_demo_request;

/* Parses one request head (a GET or HEAD with no body) from buf: the bytes
 * it used (> 0), 0 if the head is not complete yet, WB_DEMO_BAD for a malformed
 * request, WB_DEMO_TOO_LARGE for a head over WB_DEMO_MAX_REQUEST bytes. */
int wb_demo_parse_request(const char *buf, size_t len, wb_demo_request *req);

#endif

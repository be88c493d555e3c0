/* demo_request.c: just enough HTTP/1.1 to route a GET: the request line,
 * the Connection header, and a refusal for anything with a body. */
#include "wb_demo_request.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int parse_number(const char *s, size_t len, long max, long *out)
{
    if (len == 0 || len > 10)
        return -1;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

typedef struct route_prefix { const char *prefix; wb_demo_route route; long max; } route_prefix;

static const route_prefix numbered[] = {
    { "/page/", WB_DEMO_PAGE, 1000000000 },
    { "/delay/", WB_DEMO_DELAY, 600000 },
    { "/status/", WB_DEMO_STATUS, 599 },
    { "/bytes/", WB_DEMO_BYTES, 64L * 1024 * 1024 },
    { "/chunked/", WB_DEMO_CHUNKED, 64L * 1024 * 1024 },
    { "/one-shot/", WB_DEMO_ONE_SHOT, 1000000000 },
};

static void route(const char *path, size_t len, wb_demo_request *req)
{
    req->route = WB_DEMO_NOT_FOUND;
    req->number = 0;
    for (size_t i = 0; i < sizeof numbered / sizeof numbered[0]; i++) {
        size_t n = strlen(numbered[i].prefix);
        if (len > n && memcmp(path, numbered[i].prefix, n) == 0) {
            if (parse_number(path + n, len - n, numbered[i].max, &req->number) == 0 &&
                (numbered[i].route != WB_DEMO_STATUS || req->number >= 200))
                req->route = numbered[i].route;
            return;
        }
    }
    if (len == 5 && memcmp(path, "/hang", 5) == 0) req->route = WB_DEMO_HANG;
    else if (len == 5 && memcmp(path, "/drop", 5) == 0) req->route = WB_DEMO_DROP;
    else if (len == 6 && memcmp(path, "/stall", 6) == 0) req->route = WB_DEMO_STALL;
    else if (len == 8 && memcmp(path, "/garbage", 8) == 0) req->route = WB_DEMO_GARBAGE;
    else if (len == 6 && memcmp(path, "/reset", 6) == 0) req->route = WB_DEMO_RESET;
    else if (len == 10 && memcmp(path, "/bad-chunk", 10) == 0) req->route = WB_DEMO_BAD_CHUNK;
}

/* "Name: value" lines between the request line and the blank line. */
static int headers(const char *p, const char *end, int http11, wb_demo_request *req)
{
    req->keep_alive = http11;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            return WB_DEMO_BAD;
        size_t n = (size_t)(eol - p);
        if (n && p[n - 1] == '\r')
            n--;
        const char *colon = memchr(p, ':', n);
        if (!colon || colon == p)
            return WB_DEMO_BAD;
        size_t name = (size_t)(colon - p);
        const char *v = colon + 1;
        while (v < p + n && (*v == ' ' || *v == '\t'))
            v++;
        size_t vlen = (size_t)(p + n - v);
        if (name == 10 && strncasecmp(p, "connection", 10) == 0) {
            if (vlen >= 5 && strncasecmp(v, "close", 5) == 0) req->keep_alive = 0;
            if (vlen >= 10 && strncasecmp(v, "keep-alive", 10) == 0) req->keep_alive = 1;
        } else if ((name == 14 && strncasecmp(p, "content-length", 14) == 0 &&
                    !(vlen == 1 && v[0] == '0')) ||
                   (name == 17 && strncasecmp(p, "transfer-encoding", 17) == 0)) {
            return WB_DEMO_BAD;          /* GETs only: no bodies */
        }
        p = eol + 1;
    }
    return 0;
}

int wb_demo_parse_request(const char *buf, size_t len, wb_demo_request *req)
{
    const char *end = memmem(buf, len, "\r\n\r\n", 4);
    if (!end)
        return len >= WB_DEMO_MAX_REQUEST ? WB_DEMO_TOO_LARGE : 0;
    size_t head = (size_t)(end - buf) + 4;
    const char *line_end = memchr(buf, '\r', head);
    const char *sp1 = memchr(buf, ' ', (size_t)(line_end - buf));
    if (!sp1)
        return WB_DEMO_BAD;
    const char *path = sp1 + 1;
    const char *sp2 = memchr(path, ' ', (size_t)(line_end - path));
    if (!sp2 || sp2 == path || *path != '/')
        return WB_DEMO_BAD;
    size_t method = (size_t)(sp1 - buf);
    if (!((method == 3 && memcmp(buf, "GET", 3) == 0) || (method == 4 && memcmp(buf, "HEAD", 4) == 0)))
        return WB_DEMO_BAD;
    const char *version = sp2 + 1;
    size_t vlen = (size_t)(line_end - version);
    int http11 = vlen == 8 && memcmp(version, "HTTP/1.1", 8) == 0;
    if (!http11 && !(vlen == 8 && memcmp(version, "HTTP/1.0", 8) == 0))
        return WB_DEMO_BAD;
    route(path, (size_t)(sp2 - path), req);
    const char *hdrs = line_end + 2;
    if (hdrs > end + 2 || line_end[1] != '\n')
        return WB_DEMO_BAD;
    int rc = hdrs < end + 2 ? headers(hdrs, end + 2, http11, req) : (req->keep_alive = http11, 0);
    return rc ? rc : (int)head;
}

/* lines.c: the chunked line splitter. memchr finds each newline, so a long
 * run of short lines costs one library call per line and no copying. */
#include "async_lines.h"

#include <stdlib.h>
#include <string.h>
#include <uv.h>

void async_lines_init(async_line_splitter *s, size_t max_line)
{
    memset(s, 0, sizeof *s);
    s->max_line = max_line ? max_line : ASYNC_LINES_DEFAULT_MAX;
}

void async_lines_feed(async_line_splitter *s, const char *chunk, size_t len)
{
    s->chunk = chunk;
    s->chunk_len = len;
    s->pos = 0;
}

/* The limit counts a line without its "\r\n": n bytes ending in last fit if
 * n <= max, or n == max + 1 with a CR that the newline will make an ending. */
static int fits(const async_line_splitter *s, size_t n, char last)
{
    return n <= s->max_line || (n == s->max_line + 1 && last == '\r');
}

static int carry_append(async_line_splitter *s, const char *p, size_t n)
{
    size_t total = s->carry_len + n;
    if (total && !fits(s, total, n ? p[n - 1] : s->carry[s->carry_len - 1]))
        return UV_E2BIG;
    if (s->carry_len + n > s->carry_cap) {
        size_t cap = s->carry_cap ? s->carry_cap : 256;
        while (cap < s->carry_len + n)
            cap *= 2;
        if (cap > s->max_line + 1)
            cap = s->max_line + 1;
        char *grown = realloc(s->carry, cap);
        if (!grown)
            return UV_ENOMEM;
        s->carry = grown;
        s->carry_cap = cap;
    }
    memcpy(s->carry + s->carry_len, p, n);
    s->carry_len += n;
    return 0;
}

static void emit(async_line_splitter *s, const char *p, size_t n, const char **line, size_t *len)
{
    if (n && p[n - 1] == '\r')
        n--;                          /* CRLF */
    *line = p;
    *len = n;
    s->line_no++;
}

int async_lines_next(async_line_splitter *s, const char **line, size_t *len)
{
    if (s->pos >= s->chunk_len)
        return 0;
    const char *start = s->chunk + s->pos;
    size_t left = s->chunk_len - s->pos;
    const char *nl = memchr(start, '\n', left);
    if (!nl) {
        s->pos = s->chunk_len;
        return carry_append(s, start, left);
    }
    size_t n = (size_t)(nl - start);
    s->pos += n + 1;
    if (s->carry_len == 0) {
        if (n && !fits(s, n, start[n - 1]))
            return UV_E2BIG;
        emit(s, start, n, line, len);
        return 1;
    }
    int rc = carry_append(s, start, n);
    if (rc)
        return rc;
    emit(s, s->carry, s->carry_len, line, len);
    s->carry_len = 0;                 /* the caller uses it before the next call */
    return 1;
}

int async_lines_finish(async_line_splitter *s, const char **line, size_t *len)
{
    if (s->carry_len == 0)
        return 0;
    emit(s, s->carry, s->carry_len, line, len);
    s->carry_len = 0;
    return 1;
}

void async_lines_free(async_line_splitter *s)
{
    free(s->carry);
    s->carry = NULL;
    s->carry_len = s->carry_cap = 0;
}

/* fuzz_lines.c: random bytes split in random chunks must give exactly the
 * lines that splitting the whole input at once gives. The first two bytes
 * seed the chunk sizes (each chunk 1 to 64 bytes, varying along the input)
 * and choose the line limit. */
#include "async_lines.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct out { char *buf; size_t len, cap; int error; } out;

static void put(out *o, const char *p, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        o->cap = (o->len + n + 1) * 2;
        o->buf = realloc(o->buf, o->cap);
    }
    memcpy(o->buf + o->len, p, n);
    o->len += n;
    o->buf[o->len++] = '\n';
}

/* The next chunk's size: all at once for seed 0, else 1 to 64 bytes from a
 * small xorshift generator, so that one input is cut differently all along. */
static size_t next_chunk(uint32_t *seed, size_t left)
{
    if (*seed == 0)
        return left;
    *seed ^= *seed << 13;
    *seed ^= *seed >> 17;
    *seed ^= *seed << 5;
    return *seed % 64 + 1;
}

static void split(const uint8_t *data, size_t size, uint32_t seed, size_t max, out *o)
{
    async_line_splitter s;
    const char *line;
    size_t len;
    async_lines_init(&s, max);
    for (size_t at = 0, chunk; at < size && !o->error; at += chunk) {
        chunk = next_chunk(&seed, size - at);
        async_lines_feed(&s, (const char *)data + at, size - at < chunk ? size - at : chunk);
        int rc;
        while ((rc = async_lines_next(&s, &line, &len)) == 1)
            put(o, line, len);
        if (rc < 0)
            o->error = rc;
    }
    if (!o->error && async_lines_finish(&s, &line, &len))
        put(o, line, len);
    async_lines_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint32_t seed = (uint32_t)data[0] + 1;       /* never 0: that means "at once" */
    size_t max = (size_t)data[1] * 4 + 1;
    data += 2;
    size -= 2;
    out whole = { 0 }, parts = { 0 };
    split(data, size, 0, max, &whole);
    split(data, size, seed, max, &parts);
    if (whole.error != parts.error)
        abort();
    if (!whole.error && (whole.len != parts.len ||
                        (whole.len && memcmp(whole.buf, parts.buf, whole.len) != 0)))
        abort();
    free(whole.buf);
    free(parts.buf);
    return 0;
}

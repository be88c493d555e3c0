/* blocks.c: --count's path for big files.
 *
 * The lesson's generator hands over one line at a time: two task switches a
 * line, which on a 1 GiB log (17 million lines) cost more than the search
 * itself. When only the number of matching lines is wanted, the same kind of
 * async generator hands over bigger items: blocks of whole lines (a chunk of
 * the file cut at its last newline). The consumer searches each block the way
 * grep does: find the pattern, count its line, skip to that line's end.
 * Memory stays one chunk and the current line, whatever the file's size.
 *
 * The answer is the line-by-line one: a pattern with no whitespace is in a
 * stripped line exactly when it is in the raw line, and a pattern with no
 * newline cannot match across lines. Other patterns take the lesson's path.
 */
#include "async_file.h"
#include "log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct block {
    const char *data;
    size_t len;           /* ends just after a newline, or at the file's end */
} block;

/* One chunk read by a task of its own, so that the next chunk is on its way
 * (on libuv's thread pool) while the consumer searches this one. */
typedef struct chunk_read {
    async_file *file;
    char *buf;
    size_t len;
    ssize_t got;
} chunk_read;

static int read_chunk(void *arg)
{
    chunk_read *r = arg;
    r->got = async_file_read(r->file, r->buf, r->len);
    return r->got < 0 ? (int)r->got : 0;
}

typedef struct block_reader {
    async_file file;
    char *half[2];        /* the chunk, split in two: one read, one searched */
    size_t half_len;
    int next;             /* the half being read into */
    async_task *reading;
    chunk_read req;
    char *carry;          /* the line that spans chunks */
    size_t carry_len, carry_cap, max_line;
} block_reader;

static int start_read(block_reader *r)
{
    r->req = (chunk_read){ &r->file, r->half[r->next], r->half_len, 0 };
    r->reading = async_create_task(read_chunk, &r->req);
    if (!r->reading)
        return UV_ENOMEM;
    return async_sleep(0);   /* let it start its read before we hand over a block */
}

/* Awaits the read in flight: bytes read into *data, 0 at the end, or an error. */
static ssize_t finish_read(block_reader *r, const char **data)
{
    int rc = async_await(r->reading);
    if (rc == UV_ECANCELED && async_cancelled())
        return rc;             /* we were cancelled: the read is still ours to stop */
    r->reading = NULL;
    *data = r->half[r->next];
    r->next = !r->next;
    return rc < 0 ? rc : r->req.got;
}

/* Cleanup, also when cancelled: the read must stop using its half first. */
static void stop_read(block_reader *r)
{
    if (!r->reading)
        return;
    async_shield shield;
    async_shield_enter(&shield);
    async_cancel(r->reading);
    async_await(r->reading);
    async_shield_exit(&shield);
    r->reading = NULL;
}

/* The spanning line grows up to the line limit (+1 for its newline). */
static int carry_append(block_reader *r, const char *p, size_t n, int with_newline)
{
    if (r->carry_len + n > r->max_line + (size_t)with_newline)
        return UV_E2BIG;
    if (n == 0)
        return 0;
    if (r->carry_len + n > r->carry_cap) {
        size_t cap = r->carry_cap ? r->carry_cap : 4096;
        while (cap < r->carry_len + n)
            cap *= 2;
        char *grown = realloc(r->carry, cap);
        if (!grown)
            return UV_ENOMEM;
        r->carry = grown;
        r->carry_cap = cap;
    }
    memcpy(r->carry + r->carry_len, p, n);
    r->carry_len += n;
    return 0;
}

/* Eight bytes at a time: the high bit of each byte of `zero` is set exactly
 * where w holds a newline (no carries cross bytes); the per-byte tallies are
 * summed before any of them can reach 256. */
static size_t count_newlines(const char *p, size_t len)
{
    const uint64_t ones = 0x0101010101010101u, low7 = 0x7f7f7f7f7f7f7f7fu;
    size_t n = 0, i = 0;
    while (len - i >= 8) {
        uint64_t tally = 0;
        for (int k = 0; k < 255 && len - i >= 8; k++, i += 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            uint64_t x = w ^ (ones * '\n');
            uint64_t zero = ~(((x & low7) + low7) | x) & ~low7;
            tally += zero >> 7;
        }
        tally = (tally & 0x00ff00ff00ff00ffu) + ((tally >> 8) & 0x00ff00ff00ff00ffu);
        n += (size_t)((tally * 0x0001000100010001u) >> 48);
    }
    for (; i < len; i++)
        n += p[i] == '\n';
    return n;
}

static int yield_block(async_generator *gen, log_source *src, const char *data, size_t len)
{
    block b = { data, len };
    src->lines += count_newlines(data, len);
    return async_yield(gen, &b);
}

/* One chunk: the spanning line finished by the chunk's first line, then the
 * chunk's whole lines in place; its unfinished last line is carried. */
static int yield_chunk(async_generator *gen, log_source *src, block_reader *r,
                       const char *data, size_t len)
{
    const char *end = data + len;
    const char *first_nl = memchr(data, '\n', len);
    if (!first_nl)
        return carry_append(r, data, len, 0);
    int rc;
    if (r->carry_len) {
        size_t n = (size_t)(first_nl - data) + 1;
        if ((rc = carry_append(r, data, n, 1)) || (rc = yield_block(gen, src, r->carry, r->carry_len)))
            return rc;
        r->carry_len = 0;
        data = first_nl + 1;
    }
    const char *last_nl = data < end ? memrchr(data, '\n', (size_t)(end - data)) : NULL;
    if (last_nl) {
        if ((rc = yield_block(gen, src, data, (size_t)(last_nl - data) + 1)))
            return rc;
        data = last_nl + 1;
    }
    return carry_append(r, data, (size_t)(end - data), 0);
}

/* The producer: like read_lines, but it yields blocks of whole lines. */
static int read_blocks(async_generator *gen, void *arg)
{
    log_source *src = arg;
    block_reader r = { .max_line = src->max_line };
    int rc = async_file_open(&r.file, src->filename);
    if (rc)
        return rc;
    /* A half no longer than the limit (+1): no line in place can exceed it. */
    r.half_len = sizeof src->chunk / 2;
    if (r.half_len > src->max_line + 1)
        r.half_len = src->max_line + 1;
    r.half[0] = src->chunk;
    r.half[1] = src->chunk + sizeof src->chunk / 2;
    rc = start_read(&r);
    while (rc == 0) {
        const char *data;
        ssize_t n = finish_read(&r, &data);
        if (n <= 0) {
            rc = (int)n;
            if (n == 0 && r.carry_len)               /* a last line with no newline */
                rc = yield_block(gen, src, r.carry, r.carry_len);
            break;
        }
        if ((rc = start_read(&r)) == 0)
            rc = yield_chunk(gen, src, &r, data, (size_t)n);
    }
    stop_read(&r);
    free(r.carry);
    async_file_close(&r.file);
    return rc < 0 ? rc : 0;
}

/* grep's trick: memchr for the pattern's rarest byte, then compare the
 * whole pattern there. Rarest as the file's first block shows it ("ERROR" in
 * a log: 'E' is in every GET, the letters of the level words are rarer). */
typedef struct finder {
    const char *pattern;
    size_t len, rare_at;
    int ready;
} finder;

static void choose_rare_byte(finder *f, const char *sample, size_t len)
{
    size_t best = SIZE_MAX;
    if (len > 64 * 1024)
        len = 64 * 1024;
    for (size_t i = 0; i < f->len && i < 64; i++) {
        size_t seen = 0;
        for (const char *p = sample; (p = memchr(p, f->pattern[i], (size_t)(sample + len - p))); p++)
            seen++;
        if (seen < best) {
            best = seen;
            f->rare_at = i;
        }
    }
    f->ready = 1;
}

static const char *find(const finder *f, const char *p, const char *end)
{
    char rare = f->pattern[f->rare_at];
    while ((size_t)(end - p) >= f->len) {
        const char *q = memchr(p + f->rare_at, rare, (size_t)(end - p) - f->len + 1);
        if (!q)
            return NULL;
        const char *start = q - f->rare_at;
        if (memcmp(start, f->pattern, f->len) == 0)
            return start;
        p = start + 1;
    }
    return NULL;
}

/* The lines of one block that contain the pattern. */
static uint64_t count_in_block(finder *f, const block *b)
{
    if (!f->ready)
        choose_rare_byte(f, b->data, b->len);
    uint64_t n = 0;
    const char *p = b->data, *end = b->data + b->len;
    const char *hit;
    while ((hit = find(f, p, end))) {
        n++;
        const char *nl = memchr(hit, '\n', (size_t)(end - hit));
        if (!nl)
            break;
        p = nl + 1;
    }
    return n;
}

int count_by_block(void *arg)
{
    log_source *src = arg;
    finder f = { src->pattern, strlen(src->pattern), 0, 0 };
    async_generator *blocks = async_generator_create(read_blocks, src);
    if (!blocks)
        return UV_ENOMEM;
    void *item;
    int rc;
    while ((rc = async_next(blocks, &item)) == 1)
        src->matches += count_in_block(&f, item);
    int closed = async_generator_close(blocks);
    return rc < 0 ? rc : closed;
}

int block_count_fits(const char *pattern)
{
    for (const char *p = pattern; *p; p++)
        if (is_space(*p))
            return 0;
    return 1;
}

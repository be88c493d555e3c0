/* test_step4_lines.c: each of step 4's awkward-line cases, one by one, read
 * from a real file through an async generator (a producer task that reads the
 * file in chunks with async_file_read and yields one line at a time, as
 * read_lines does), with every chunk size from 1 byte to the whole file, so
 * that each line boundary falls inside a chunk, at its edge and across it. */
#include "async_file.h"
#include "async_lines.h"
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/async-lines-XXXXXX";

static const char *write_file(const char *data, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/input.log", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

typedef struct line_item { const char *data; size_t len; } line_item;

typedef struct read_case {
    const char *path;
    size_t chunk, max_line;
    int producer_rc;            /* what the producer ended with */
    uint64_t error_line;        /* the line number an error names */
    int cleaned;
    /* what the consumer saw: the lines joined, each followed by '|' */
    char *got;
    size_t got_len, got_cap;
    int lines;
    int next_rc, close_rc;
} read_case;

/* async def read_lines(path): without the strip, to see the splitter's output. */
static int read_lines(async_generator *g, void *arg)
{
    read_case *c = arg;
    char *buf = malloc(c->chunk);
    if (!buf)
        return UV_ENOMEM;
    async_file f;
    int rc = async_file_open(&f, c->path);
    if (rc) {
        free(buf);
        return rc;
    }
    async_line_reader r;
    async_line_reader_init(&r, &f, buf, c->chunk, c->max_line);
    line_item item;
    while ((rc = async_line_reader_next(&r, &item.data, &item.len)) == 1)
        if ((rc = async_yield(g, &item)))
            break;
    if (rc == UV_E2BIG)
        c->error_line = r.split.line_no + 1;
    async_line_reader_free(&r);
    async_file_close(&f);
    free(buf);
    c->cleaned = 1;
    c->producer_rc = rc;
    return rc < 0 ? rc : 0;
}

static void append(read_case *c, const char *p, size_t n)
{
    if (c->got_len + n + 1 > c->got_cap) {
        c->got_cap = (c->got_len + n + 1) * 2;
        c->got = realloc(c->got, c->got_cap);
        assert_non_null(c->got);
    }
    memcpy(c->got + c->got_len, p, n);
    c->got_len += n;
}

static int consume_all(void *arg)
{
    read_case *c = arg;
    async_generator *g = async_generator_create(read_lines, c);
    if (!g)
        return UV_ENOMEM;
    void *item;
    while ((c->next_rc = async_next(g, &item)) == 1) {
        const line_item *line = item;       /* valid until the next async_next */
        append(c, line->data, line->len);
        append(c, "|", 1);
        c->lines++;
    }
    c->close_rc = async_generator_close(g);
    return 0;
}

/* Reads data through the generator with the given chunk size and line limit. */
static read_case read_through(const char *data, size_t n, size_t chunk, size_t max_line)
{
    read_case c;
    memset(&c, 0, sizeof c);
    c.path = write_file(data, n);
    c.chunk = chunk;
    c.max_line = max_line;
    c.producer_rc = 1;
    assert_int_equal(async_run(consume_all, &c), 0);
    assert_int_equal(c.cleaned, 1);         /* the file was closed in every case */
    return c;
}

/* Every chunk size gives exactly `want` (lines joined by '|') and `lines` lines. */
static void expect_lines(const char *data, size_t n, const char *want, size_t want_len, int lines)
{
    for (size_t chunk = 1; chunk <= n + 1; chunk++) {
        read_case c = read_through(data, n, chunk, 0);
        if (c.got_len != want_len || (want_len && memcmp(c.got, want, want_len) != 0) ||
            c.lines != lines)
            print_message("chunk %zu: got %d lines, \"%.*s\"\n", chunk, c.lines, (int)c.got_len,
                          c.got ? c.got : "");
        assert_int_equal(c.next_rc, 0);     /* the end, reported once */
        assert_int_equal(c.close_rc, 0);
        assert_int_equal(c.lines, lines);
        assert_int_equal(c.got_len, want_len);
        if (want_len)
            assert_memory_equal(c.got, want, want_len);
        free(c.got);
    }
}

#define EXPECT(data, want, lines) \
    expect_lines(data, sizeof data - 1, want, sizeof want - 1, lines)

static void a_line_spanning_chunks_comes_out_whole(void **state)
{
    (void)state;
    EXPECT("first line of the log\nthe second, a little longer\n",
           "first line of the log|the second, a little longer|", 2);
}

static void crlf_endings_are_removed(void **state)
{
    (void)state;
    /* \r\n ends a line wherever the chunk boundary falls, even between the
     * two; a lone \r inside a line stays */
    EXPECT("one\r\ntwo\r\nthree a\rb\r\n", "one|two|three a\rb|", 3);
}

static void a_last_line_with_no_newline_is_kept(void **state)
{
    (void)state;
    EXPECT("one\ntwo", "one|two|", 2);
    EXPECT("one\r\ntwo\r", "one|two|", 2);
    EXPECT("one\n", "one|", 1);             /* and no empty line is made up after it */
}

static void empty_lines_are_lines(void **state)
{
    (void)state;
    EXPECT("\n\nmiddle\n\n", "||middle||", 4);
    EXPECT("\r\n\r\n", "||", 2);
}

static void an_empty_file_gives_no_lines(void **state)
{
    (void)state;
    read_case c = read_through("", 0, 64, 0);
    assert_int_equal(c.next_rc, 0);
    assert_int_equal(c.lines, 0);
    assert_int_equal(c.close_rc, 0);
    free(c.got);
}

static void nul_bytes_are_ordinary_bytes(void **state)
{
    (void)state;
    EXPECT("a\0b ERROR\n\0\n\0\0", "a\0b ERROR|\0|\0\0|", 3);
}

static void a_line_longer_than_the_buffer_grows_it(void **state)
{
    (void)state;
    size_t n = 300 * 1024;                  /* 300 KiB: past the carry's first sizes */
    char *data = malloc(n + 8);
    for (size_t i = 0; i < n; i++)
        data[i] = (char)('a' + i % 26);
    memcpy(data + n, "\nshort\n", 7);
    size_t chunks[] = { 1000, 4096, 65536 };
    for (int k = 0; k < 3; k++) {
        read_case c = read_through(data, n + 7, chunks[k], 0);
        assert_int_equal(c.next_rc, 0);
        assert_int_equal(c.lines, 2);
        assert_int_equal(c.got_len, n + 1 + 6);
        assert_memory_equal(c.got, data, n);
        assert_memory_equal(c.got + n, "|short|", 7);
        free(c.got);
    }
    free(data);
}

static void a_line_past_the_limit_is_an_error_naming_it(void **state)
{
    (void)state;
    enum { LIMIT = 1000 };
    char data[3 * LIMIT];
    memcpy(data, "ok\n\nok\n", 7);          /* lines 1 to 3 */
    memset(data + 7, 'x', LIMIT);           /* line 4: exactly the limit, accepted */
    data[7 + LIMIT] = '\n';
    size_t at = 8 + LIMIT;
    memset(data + at, 'y', LIMIT + 1);      /* line 5: one byte too long */
    at += LIMIT + 1;
    memcpy(data + at, "\nnever seen\n", 12);
    at += 12;
    size_t chunks[] = { 7, 100, 999, 1000, 1001, 4096 };
    for (int k = 0; k < 6; k++) {
        read_case c = read_through(data, at, chunks[k], LIMIT);
        assert_int_equal(c.next_rc, UV_E2BIG);   /* the consumer gets the error */
        assert_int_equal(c.close_rc, UV_E2BIG);
        assert_int_equal(c.producer_rc, UV_E2BIG);
        assert_int_equal(c.error_line, 5);
        assert_int_equal(c.lines, 4);             /* every line before it arrived */
        assert_int_equal(c.got_len, 7 + LIMIT + 1);
        free(c.got);
    }
    /* also when the long line is the last one and has no newline */
    read_case c = read_through(data, 8 + LIMIT + LIMIT + 1, 64, LIMIT);
    assert_int_equal(c.next_rc, UV_E2BIG);
    assert_int_equal(c.error_line, 5);
    free(c.got);
}

/* --max-line 5 takes "abcde\r\n": the limit counts the line without its
 * ending, whatever the chunking and whether the CR ends the file. One byte
 * more ("abcdef", or a second CR, which stays in the line) is refused. */
static void the_limit_counts_a_line_without_its_crlf(void **state)
{
    (void)state;
    static const struct { const char *data; int rc, lines; } cases[] = {
        { "abcde\r\nok\n", 0, 2 },
        { "abcde\r\n", 0, 1 },
        { "abcde\r", 0, 1 },                /* the last line, with no newline */
        { "abcde\n", 0, 1 },
        { "abcdef\r\n", UV_E2BIG, 0 },
        { "abcde\r\r\n", UV_E2BIG, 0 },    /* "abcde\r": six bytes */
        { "abcde\rx\n", UV_E2BIG, 0 },
        { "abcde\rx", UV_E2BIG, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(cases[i].data);
        for (size_t chunk = 1; chunk <= n + 1; chunk++) {
            read_case c = read_through(cases[i].data, n, chunk, 5);
            if (c.next_rc != cases[i].rc || c.lines != cases[i].lines)
                print_message("case %zu, chunk %zu: rc %d, %d lines\n", i, chunk, c.next_rc,
                              c.lines);
            assert_int_equal(c.next_rc, cases[i].rc);
            assert_int_equal(c.lines, cases[i].lines);
            if (cases[i].lines)
                assert_memory_equal(c.got, "abcde|", 6);
            free(c.got);
        }
    }
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/input.log", dir);
    unlink(path);
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_line_spanning_chunks_comes_out_whole),
        cmocka_unit_test(crlf_endings_are_removed),
        cmocka_unit_test(a_last_line_with_no_newline_is_kept),
        cmocka_unit_test(empty_lines_are_lines),
        cmocka_unit_test(an_empty_file_gives_no_lines),
        cmocka_unit_test(nul_bytes_are_ordinary_bytes),
        cmocka_unit_test(a_line_longer_than_the_buffer_grows_it),
        cmocka_unit_test(a_line_past_the_limit_is_an_error_naming_it),
        cmocka_unit_test(the_limit_counts_a_line_without_its_crlf),
    };
    return cmocka_run_group_tests_name("step 4's lines, through the generator", tests, setup, teardown);
}

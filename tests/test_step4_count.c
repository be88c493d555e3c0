/* test_step4_count.c: ./step4 --count streams blocks of lines (blocks.c);
 * it must give exactly what the lesson's line-by-line generator gives
 * (--count --by-line): the same number, the same errors, the same status,
 * on awkward and on random files. */
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/async-step4count-XXXXXX";
static char path[256];

enum { HALF = 512 * 1024 };   /* the block reader's read size (CHUNK_SIZE / 2) */

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/log", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    rmdir(dir);
    return 0;
}

static void write_log(const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static proc_result count(const char *pattern, const char *max_line, int by_line)
{
    char *argv[10];
    int n = 0;
    argv[n++] = (char *)test_bin("step4");
    argv[n++] = path;
    argv[n++] = "--count";
    argv[n++] = "--pattern";
    argv[n++] = (char *)pattern;
    if (max_line) {
        argv[n++] = "--max-line";
        argv[n++] = (char *)max_line;
    }
    if (by_line)
        argv[n++] = "--by-line";
    argv[n] = NULL;
    return run_program(argv, NULL, 60, 0);
}

/* Both ways agree on the written file; returns the block way's count (-1 on
 * an error exit). */
static long both_agree(const char *pattern, const char *max_line)
{
    proc_result blocks = count(pattern, max_line, 0);
    proc_result lines = count(pattern, max_line, 1);
    if (blocks.status != lines.status || strcmp(blocks.out, lines.out) || strcmp(blocks.err, lines.err))
        print_message("pattern '%s' max-line %s:\n  blocks: %d '%s' '%s'\n  lines:  %d '%s' '%s'\n",
                      pattern, max_line ? max_line : "-", blocks.status, blocks.out, blocks.err,
                      lines.status, lines.out, lines.err);
    assert_int_equal(blocks.status, lines.status);
    assert_string_equal(blocks.out, lines.out);
    assert_string_equal(blocks.err, lines.err);
    long n = blocks.status == 0 ? atol(blocks.out) : -1;
    proc_result_free(&blocks);
    proc_result_free(&lines);
    return n;
}

static void counts_the_sample_like_the_lesson(void **state)
{
    (void)state;
    const char *text = "INFO ok\r\nERROR one\nWARN x\n  ERROR two  \n\nERRORERROR three\nlast ERROR";
    write_log(text, strlen(text));
    assert_int_equal(both_agree("ERROR", NULL), 4);
    assert_int_equal(both_agree("ERRORERROR", NULL), 1);
    assert_int_equal(both_agree("R t", NULL), 2);        /* whitespace: the lesson's path */
}

/* "ERROR" straddles the first read's end, inside a line that does too. */
static void a_match_across_two_reads_counts(void **state)
{
    (void)state;
    size_t first = HALF - 6;
    char *data = malloc(HALF * 2);
    assert_non_null(data);
    memset(data, 'x', first);
    data[first] = '\n';
    const char *second = "yyyERRORzzz\nERROR\n";
    memcpy(data + first + 1, second, strlen(second));
    size_t len = first + 1 + strlen(second);
    assert_true(memcmp(data + HALF - 2, "ER", 2) == 0);   /* the read boundary cuts it */
    write_log(data, len);
    assert_int_equal(both_agree("ERROR", NULL), 2);
    free(data);
}

/* A line longer than both reads together is carried whole; past the limit it
 * is an error naming its line, the same one either way. */
static void a_line_longer_than_the_chunk(void **state)
{
    (void)state;
    size_t big = 3 * HALF;
    char *data = malloc(big + 64);
    assert_non_null(data);
    memcpy(data, "ERROR a\n", 8);
    memset(data + 8, 'q', big);
    memcpy(data + big / 2, "ERROR", 5);
    memcpy(data + 8 + big, "\nERROR b\n", 9);
    write_log(data, big + 17);
    assert_int_equal(both_agree("ERROR", NULL), 3);
    assert_int_equal(both_agree("ERROR", "1000000"), -1);
    proc_result r = count("ERROR", "1000000", 0);
    assert_non_null(strstr(r.err, "line 2 is longer than 1000000 bytes"));
    proc_result_free(&r);
    free(data);
}

static size_t random_line(char *out, unsigned *seed)
{
    static const char *words[] = { "ERROR", "ERR", "OR", "E", " ", "\t", "\r", "GET", "ok" };
    int kind = rand_r(seed) % 100;
    size_t len = kind < 2 ? (size_t)(rand_r(seed) % (3 * HALF)) : (size_t)(rand_r(seed) % 120);
    size_t n = 0;
    while (n < len) {
        if (rand_r(seed) % 4 == 0) {
            const char *w = words[rand_r(seed) % 9];
            size_t wl = strlen(w);
            memcpy(out + n, w, wl);
            n += wl;
        } else {
            int c = rand_r(seed) % 40;
            out[n++] = c == 0 ? '\0' : (char)('a' + c % 26);
        }
    }
    return n;
}

static void random_files_count_the_same_both_ways(void **state)
{
    (void)state;
    unsigned seed = (unsigned)time(NULL);
    const char *env = getenv("TEST_SEED");
    if (env)
        seed = (unsigned)strtoul(env, NULL, 10);
    print_message("seed %u (TEST_SEED=%u to repeat)\n", seed, seed);
    size_t cap = 8 * HALF;
    char *data = malloc(cap + 4 * HALF);
    assert_non_null(data);
    static const char *limits[] = { NULL, "40", "100000", "600000", "1200000" };
    static const char *patterns[] = { "ERROR", "E", "RR", "ok" };
    int files = under_valgrind() ? 6 : 24;
    for (int f = 0; f < files; f++) {
        size_t len = 0;
        size_t target = (size_t)(rand_r(&seed) % (int)cap);
        while (len < target) {
            len += random_line(data + len, &seed);
            data[len++] = '\n';
        }
        if (len && rand_r(&seed) % 3 == 0)
            len--;                                  /* no newline at the end */
        write_log(data, len);
        both_agree(patterns[f % 4], limits[rand_r(&seed) % 5]);
    }
    free(data);
}

/* An endless file: Ctrl-C stops the count, its reads and its cleanup. */
static void ctrl_c_stops_an_endless_count(void **state)
{
    (void)state;
    char *argv[] = { (char *)test_bin("step4"), "/dev/urandom", "--count", NULL };
    proc_result r = run_program(argv, NULL, 20, 0.3);
    assert_false(r.timed_out);
    assert_int_equal(r.status, 130);
    assert_true(r.seconds < 5);
    assert_null(strstr(r.err, "never awaited"));
    proc_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_the_sample_like_the_lesson),
        cmocka_unit_test(a_match_across_two_reads_counts),
        cmocka_unit_test(a_line_longer_than_the_chunk),
        cmocka_unit_test(random_files_count_the_same_both_ways),
        cmocka_unit_test(ctrl_c_stops_an_endless_count),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

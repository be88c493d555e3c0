/* log.h: step 4's text helpers, flags and printing. */
#ifndef STEP4_LOG_H
#define STEP4_LOG_H

#include "async.h"

#include <stdint.h>

enum { CHUNK_SIZE = 1024 * 1024 };   /* measured: see BENCHMARKS.md (W4) */

typedef struct text {
    const char *data;
    size_t len;
} text;

typedef struct log_source {
    const char *filename;
    const char *pattern;
    size_t max_line;
    int count_only;
    int by_line;          /* --count through read_lines too (to compare) */
    uint64_t matches;
    uint64_t lines;
    async_fn read_log;    /* the main task's work: process_log or count_by_block */
    int read_status;      /* what it returned (async_run may fail after it) */
    char chunk[CHUNK_SIZE];
} log_source;

/* line.strip(): without leading and trailing whitespace. */
text strip(text line);

/* "ERROR" in line */
int contains(text line, const char *pattern);

/* print(f"Found error: {line}") ("Found WARN: ..." under --pattern WARN),
 * or just counts it with --count. */
void found_error(log_source *src, text line);

/* --count for a pattern without whitespace: the matching lines counted a
 * block of lines at a time (blocks.c); block_count_fits says when that gives
 * the line-by-line answer. */
int count_by_block(void *arg);
int block_count_fits(const char *pattern);

/* str.isspace() for one ASCII byte. */
int is_space(char c);

int step4_cli(int argc, char **argv, async_fn process_log);

#endif

/* log.h: step 4's text helpers, flags and printing. */
#ifndef STEP4_LOG_H
#define STEP4_LOG_H

#include "async.h"

#include <stdint.h>

enum { CHUNK_SIZE = 256 * 1024 };   /* measured: see BENCHMARKS.md (W4) */

typedef struct text {
    const char *data;
    size_t len;
} text;

typedef struct log_source {
    const char *filename;
    const char *pattern;
    size_t max_line;
    int count_only;
    uint64_t matches;
    uint64_t lines;
    char chunk[CHUNK_SIZE];
} log_source;

/* line.strip(): without leading and trailing whitespace. */
text strip(text line);

/* "ERROR" in line */
int contains(text line, const char *pattern);

/* print(f"Found error: {line}"), or just counts it with --count. */
void found_error(log_source *src, text line);

int step4_cli(int argc, char **argv, async_fn process_log);

#endif

/* lines.h: splitting bytes into lines, chunk by chunk, in bounded memory.
 *
 * The splitter is plain C with no I/O, so that it can be tested and fuzzed on
 * its own: feed it a chunk, take lines until it asks for more, feed the next
 * chunk; at the end, finish() gives the last line if it had no newline.
 * A line is (pointer, length): it may hold NUL bytes; "\n" and "\r\n" end it
 * and are not part of it. A line inside one chunk is returned in place; only
 * a line that spans chunks is copied, into a buffer that grows up to a limit.
 */
#ifndef ASYNC_LINES_H
#define ASYNC_LINES_H

#include "async_file.h"
#include <stddef.h>
#include <stdint.h>

#define ASYNC_LINES_DEFAULT_MAX (16u * 1024u * 1024u)

typedef struct async_line_splitter {
    const char *chunk;       /* the caller's current chunk */
    size_t chunk_len, pos;
    char *carry;             /* the start of a line that spans chunks */
    size_t carry_len, carry_cap;
    size_t max_line;
    uint64_t line_no;        /* lines returned so far */
} async_line_splitter;

void async_lines_init(async_line_splitter *s, size_t max_line);

/* Hands the splitter the next chunk (it must stay valid until async_lines_next
 * returns 0). */
void async_lines_feed(async_line_splitter *s, const char *chunk, size_t len);

/* 1 and the next line; 0 when the chunk is used up; UV_E2BIG when a line is
 * longer than max_line (its number is s->line_no + 1); UV_ENOMEM. */
int async_lines_next(async_line_splitter *s, const char **line, size_t *len);

/* At the end of input: 1 and the last line if it had no newline, else 0. */
int async_lines_finish(async_line_splitter *s, const char **line, size_t *len);

void async_lines_free(async_line_splitter *s);

/* async for line in file: a file read in chunks of the caller's buffer. */
typedef struct async_file async_file;
typedef struct async_line_reader {
    async_line_splitter split;
    async_file *file;
    char *buf;
    size_t buf_len;
    int at_end;
} async_line_reader;

void async_line_reader_init(async_line_reader *r, async_file *f, char *buf, size_t buf_len, size_t max_line);

/* An await: 1 and the next line, 0 at the end, or a negative libuv error. */
int async_line_reader_next(async_line_reader *r, const char **line, size_t *len);
int async_line_reader_next_at(async_line_reader *r, const char **line, size_t *len,
                              const char *file, int lineno);
#define async_line_reader_next(r, line, len) \
    async_line_reader_next_at((r), (line), (len), __FILE__, __LINE__)

/* Frees the line buffer; a read after it is at the end (0), as a closed
 * generator's is; a second free does nothing. */
void async_line_reader_free(async_line_reader *r);

#endif

/* line_reader.c: `async for line in f` over an async_file: read a chunk,
 * split it, read the next when the splitter asks for more. */
#include "async_internal.h"
#include "async_file.h"
#include "async_lines.h"

void async_line_reader_init(async_line_reader *r, async_file *f, char *buf, size_t buf_len, size_t max_line)
{
    async_lines_init(&r->split, max_line);
    r->file = f;
    r->buf = buf;
    r->buf_len = buf_len;
    r->at_end = 0;
}

#undef async_line_reader_next
int async_line_reader_next(async_line_reader *r, const char **line, size_t *len)
{
    return async_line_reader_next_at(r, line, len, NULL, 0);
}

/* The read's site is the caller's line: the task tree shows the program's code. */
int async_line_reader_next_at(async_line_reader *r, const char **line, size_t *len,
                              const char *file, int lineno)
{
    for (;;) {
        int rc = async_lines_next(&r->split, line, len);
        if (rc != 0)
            return rc;
        if (r->at_end)
            return 0;
        ssize_t n = async_file_read_at(r->file, r->buf, r->buf_len, file, lineno);
        if (n < 0)
            return (int)n;
        if (n == 0) {
            r->at_end = 1;
            return async_lines_finish(&r->split, line, len);
        }
        async_lines_feed(&r->split, r->buf, (size_t)n);
    }
}

/* Also ends the reading, as a closed async generator is at its end: a read
 * after the free (a cleanup path run too early) gets 0, not more lines. */
void async_line_reader_free(async_line_reader *r)
{
    async_lines_free(&r->split);
    r->split.chunk = NULL;
    r->split.chunk_len = r->split.pos = 0;
    r->at_end = 1;
}

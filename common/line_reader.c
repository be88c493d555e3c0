/* line_reader.c: `async for line in f` over an async_file: read a chunk,
 * split it, read the next when the splitter asks for more. */
#include "async_internal.h"

void line_reader_init(line_reader *r, async_file *f, char *buf, size_t buf_len, size_t max_line)
{
    lines_init(&r->split, max_line);
    r->file = f;
    r->buf = buf;
    r->buf_len = buf_len;
    r->at_end = 0;
}

int line_reader_next(line_reader *r, const char **line, size_t *len)
{
    for (;;) {
        int rc = lines_next(&r->split, line, len);
        if (rc != 0)
            return rc;
        if (r->at_end)
            return 0;
        ssize_t n = async_file_read(r->file, r->buf, r->buf_len);
        if (n < 0)
            return (int)n;
        if (n == 0) {
            r->at_end = 1;
            return lines_finish(&r->split, line, len);
        }
        lines_feed(&r->split, r->buf, (size_t)n);
    }
}

void line_reader_free(line_reader *r)
{
    lines_free(&r->split);
}

#include "async_file.h"
#include "async_lines.h"
#include "exercise.h"

int file_lines(async_generator *gen, void *arg)
{
    file_source *src = arg;
    async_file f;
    int rc = async_file_open(&f, src->path);
    if (rc)
        return rc;                      /* nothing to close */
    async_line_reader lines;
    async_line_reader_init(&lines, &f, src->buf, sizeof src->buf, 0);
    line_item item;
    while ((rc = async_line_reader_next(&lines, &item.data, &item.len)) == 1)
        if ((rc = async_yield(gen, &item)))
            break;                      /* the consumer closed us */
    async_line_reader_free(&lines);
    async_file_close(&f);
    src->closed = 1;
    return rc < 0 ? rc : 0;
}

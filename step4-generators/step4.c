/* Step 4: async generators for streaming.
 *
 *   async def read_lines(filename: str) -> AsyncGenerator[str, None]:
 *       """Stream file lines without loading entire file into memory."""
 *       async with aiofiles.open(filename) as f:
 *           async for line in f:
 *               yield line.strip()
 *
 *   async def process_log():
 *       async for line in read_lines("server.log"):
 *           if "ERROR" in line:
 *               print(f"Found error: {line}")
 *
 * read_lines runs as its own task (the generator's producer) and hands over
 * one line at a time; it never holds more than one chunk of the file and the
 * current line, whatever the file's size.
 */
#include "async.h"
#include "async_file.h"
#include "async_lines.h"
#include "log.h"

/* async def read_lines(filename) */
static int read_lines(async_generator *gen, void *arg)
{
    log_source *src = arg;
    async_file f;
    int rc = async_file_open(&f, src->filename);           /* async with aiofiles.open(filename) as f: */
    if (rc)
        return rc;
    async_line_reader lines;
    async_line_reader_init(&lines, &f, src->chunk, sizeof src->chunk, src->max_line);
    text line;
    while ((rc = async_line_reader_next(&lines, &line.data, &line.len)) == 1) {   /* async for line in f: */
        text stripped = strip(line);
        if ((rc = async_yield(gen, &stripped)))             /*     yield line.strip() */
            break;                                          /* the consumer closed us */
    }
    src->lines = lines.split.line_no;
    async_line_reader_free(&lines);
    async_file_close(&f);                                   /* the end of `async with` */
    return rc < 0 ? rc : 0;
}

/* async def process_log() */
static int process_log(void *arg)
{
    log_source *src = arg;
    async_generator *lines = async_generator_create(read_lines, src);
    if (!lines)
        return UV_ENOMEM;
    void *item;
    int rc;
    while ((rc = async_next(lines, &item)) == 1) {          /* async for line in read_lines(...): */
        const text *line = item;
        if (contains(*line, src->pattern))                  /*     if "ERROR" in line: */
            found_error(src, *line);                        /*         print(f"Found error: {line}") */
    }
    int closed = async_generator_close(lines);              /* frees the producer */
    return rc < 0 ? rc : closed;
}

int main(int argc, char **argv)
{
    return step4_cli(argc, argv, process_log);
}

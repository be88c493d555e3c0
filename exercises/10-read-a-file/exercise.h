/* Exercise 10 (step 4): an async generator reading a real file line by line. */
#include "async.h"

typedef struct line_item { const char *data; size_t len; } line_item;

typedef struct file_source {
    const char *path;
    char buf[64];           /* the chunk buffer for the async_line_reader */
    int closed;             /* set by the producer once the file is closed */
} file_source;

/* To write: the producer. Yields a line_item for each line of src->path and
 * closes the file (setting src->closed) however it ends. */
int file_lines(async_generator *gen, void *src);

/* file.h: asynchronous file reads on libuv's uv_fs_* (the analog of
 * aiofiles): each call is an await, done on libuv's thread pool while the
 * loop serves other tasks; errors are libuv codes. */
#ifndef ASYNC_FILE_H
#define ASYNC_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct async_file {
    int fd;              /* -1 when closed */
    int64_t offset;      /* where the next read starts */
    void *poll;          /* a pipe, FIFO or terminal: a uv_poll_t, reads wait on the loop */
    void *reader;        /* the task inside async_file_read, if any */
} async_file;

/* aiofiles.open(path): 0, or a negative libuv error (UV_ENOENT, UV_EACCES...).
 * A FIFO opens at once; its first read waits for a writer. */
int async_file_open(async_file *f, const char *path);
int async_file_open_at(async_file *f, const char *path, const char *file, int line);
#define async_file_open(f, path) async_file_open_at((f), (path), __FILE__, __LINE__)

/* await f.read(len) into the caller's buffer: bytes read, 0 at the end, or
 * a negative libuv error. Cancelled, it returns UV_ECANCELED only after the
 * read has really stopped using buf. One task reads at a time: a second
 * read, or a close, while another task's read is in flight is a misuse
 * (named; asyncio: "already waiting for incoming data"). */
ssize_t async_file_read(async_file *f, void *buf, size_t len);
ssize_t async_file_read_at(async_file *f, void *buf, size_t len, const char *file, int line);
#define async_file_read(f, buf, len) async_file_read_at((f), (buf), (len), __FILE__, __LINE__)

/* The end of `async with`: closes the file; runs even in a cancelled task. */
int async_file_close(async_file *f);
int async_file_close_at(async_file *f, const char *file, int line);
#define async_file_close(f) async_file_close_at((f), __FILE__, __LINE__)

#endif

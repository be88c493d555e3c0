/* file.h: placeholder, filled in by its own issue. */
#ifndef ASYNC_FILE_H
#define ASYNC_FILE_H
#endif

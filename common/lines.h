/* lines.h: placeholder, filled in by its own issue. */
#ifndef ASYNC_LINES_H
#define ASYNC_LINES_H
#endif

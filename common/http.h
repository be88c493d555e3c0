/* http.h: placeholder, filled in by its own issue. */
#ifndef ASYNC_HTTP_H
#define ASYNC_HTTP_H
#endif

/* demo_server.h: placeholder, filled in by its own issue. */
#ifndef ASYNC_DEMO_SERVER_H
#define ASYNC_DEMO_SERVER_H
#endif

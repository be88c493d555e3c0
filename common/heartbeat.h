/* heartbeat.h: placeholder, filled in by its own issue. */
#ifndef ASYNC_HEARTBEAT_H
#define ASYNC_HEARTBEAT_H
#endif

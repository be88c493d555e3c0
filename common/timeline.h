/* timeline.h: placeholder, filled in by its own issue. */
#ifndef ASYNC_TIMELINE_H
#define ASYNC_TIMELINE_H
#endif

/* events.h: step 5's flags and its timestamped printing. */
#ifndef STEP5_EVENTS_H
#define STEP5_EVENTS_H

#include "async.h"

typedef struct step5_options {
    double timeout;        /* --timeout: the timeout scope, default 5 s */
    double cancel_after;   /* --cancel-after: when the task is cancelled, default 1 s */
    double slow;           /* --slow: how long slow_operation takes, default 30 s */
} step5_options;

extern step5_options options;

/* Prints "[S.SS s] message" with the time since the program started. */
void event(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

int step5_cli(int argc, char **argv, async_fn main_task);

#endif

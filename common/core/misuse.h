/* misuse.h: named mistakes whose words live in misuse.c, out of the way of
 * the code that finds them (core.c and taskgroup.c stay short to read).
 * Private to the core's own files. Each prints one line, then abort(). */
#ifndef ASYNC_MISUSE_H
#define ASYNC_MISUSE_H

#include "async.h"

/* An await in no task: UV_EINVAL before async_run, named inside it. */
int async__outside_task(const char *call);
_Noreturn void async__misuse_run_inside_run(void);
_Noreturn void async__misuse_group_reset(const async_taskgroup *tg);
_Noreturn void async__misuse_group_not_open(int never_entered, const char *file, int line);

/* A task left running when main returned, cancelled, that goes on awaiting
 * (each await returns UV_ECANCELED at once): after this many, it is named. */
#define ASYNC_CANCELS_AT_EXIT 100000u
_Noreturn void async__misuse_spins_at_exit(const async_task *t);

#endif

/* Exercise 9 (step 5): a timeout of your own that must not swallow the
 * caller's cancellation. */
#include "async.h"

/* Given: the primary answers key * 10 after the check's chosen delay (or
 * fails as the check chooses); the backup answers key * 10 + 1 in 20 ms.
 * Both return UV_ECANCELED when their wait is cancelled. */
int ask_primary(int key, int *value);
int ask_backup(int key, int *value);

/* To write: the primary's answer if it comes within `patience` seconds;
 * else the backup's. Any other error as it is; no backup when lookup itself
 * is cancelled (then UV_ECANCELED). */
int lookup(int key, double patience, int *value);

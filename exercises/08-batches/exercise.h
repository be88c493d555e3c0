/* Exercise 8 (step 4): a generator that reads another one, and closes it. */
#include "async.h"

#define BATCH_MAX 8

typedef struct number_source {
    int count;          /* yields 1 to count */
    int fail_after;     /* if > 0: fails with UV_EIO after that many */
} number_source;

/* Given: the producer of numbers: yields a pointer to each int, 5 ms apart. */
int numbers(async_generator *gen, void *number_source);

typedef struct batch { int count; int items[BATCH_MAX]; } batch;

typedef struct batch_source {
    number_source *numbers;   /* what to read */
    int size;                 /* numbers per batch (1 to BATCH_MAX) */
    batch batch;              /* the batch being filled (yield a pointer to it) */
} batch_source;

/* To write: the producer. Reads a numbers generator of its own and yields
 * batches of `size` (the last may be shorter, none empty); closes the numbers
 * generator however it ends; their error is its own. */
int batches(async_generator *gen, void *batch_source);

/* Exercise 6 (step 4): a generator that yields only matching lines. */
#include "async.h"

typedef struct source {
    const char **lines;     /* the lines to read (a stand-in for a file) */
    int count;
    const char *word;       /* yield only the lines containing it */
    int cleaned_up;         /* set by the producer when it ends */
} source;

/* To write: the producer. Yield (as the item) each line of src->lines that
 * contains src->word; set src->cleaned_up before returning, also when the
 * consumer closes the generator early. */
int matching_lines(async_generator *gen, void *src);

#include "exercise.h"

#include <string.h>

int matching_lines(async_generator *gen, void *arg)
{
    source *src = arg;
    int rc = 0;
    for (int i = 0; i < src->count && rc == 0; i++)
        if (strstr(src->lines[i], src->word))
            rc = async_yield(gen, (void *)src->lines[i]);
    src->cleaned_up = 1;
    return rc;
}

/* cli.c: strict number parsing for the programs' flags. */
#include "wb_cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int wb_cli_int(const char *prog, const char *flag, const char *text, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < min || v > max) {
        fprintf(stderr, "%s: %s: '%s' is not a whole number from %ld to %ld\n",
                prog, flag, text, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

int wb_cli_double(const char *prog, const char *flag, const char *text, double min, double max,
               double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !isfinite(v) || v < min || v > max) {
        fprintf(stderr, "%s: %s: '%s' is not a number from %g to %g\n",
                prog, flag, text, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

const char *wb_cli_value(const char *prog, int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "%s: %s needs a value\n", prog, argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

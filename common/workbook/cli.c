/* cli.c: strict number parsing for the programs' flags. */
#include "wb_cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    /* strtod also reads C's hexadecimal floats: "0x10" would be 16 s where
     * Python's float() and a reader see a mistake. Decimal only. */
    int hex = strpbrk(text, "xX") != NULL;
    if (errno || end == text || *end || hex || !isfinite(v) || v < min || v > max) {
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

int wb_cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int wb_cli_unknown(const char *prog, const char *arg)
{
    if (arg[0] == '-' && arg[1])
        fprintf(stderr, "%s: unknown flag '%s' (%s --help lists the flags)\n", prog, arg, prog);
    else
        fprintf(stderr, "%s: unexpected argument '%s' (%s --help says what it takes)\n",
                prog, arg, prog);
    return 2;
}

int wb_cli_help(const char *usage)
{
    fputs(usage, stdout);
    return 0;
}

int wb_cli_help_only(const char *prog, const char *usage, int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (wb_cli_is_help(argv[i]))
            return wb_cli_help(usage);
    return argc > 1 ? wb_cli_unknown(prog, argv[1]) : -1;
}

/* cli.h: the argument checks every program shares, so that absurd flags get
 * the same clear one-line error everywhere. */
#ifndef ASYNC_CLI_H
#define ASYNC_CLI_H

/* Parses text as a whole number in [min, max] into *out; on failure prints
 * "PROG: FLAG: 'TEXT' is not a number from MIN to MAX" and returns -1. */
int wb_cli_int(const char *prog, const char *flag, const char *text, long min, long max, long *out);

/* The same for seconds and other real numbers (no NaN, no infinity). */
int wb_cli_double(const char *prog, const char *flag, const char *text, double min, double max,
               double *out);

/* The value after a flag: argv[*i + 1], advancing *i; NULL (with a message)
 * when it is missing. */
const char *wb_cli_value(const char *prog, int argc, char **argv, int *i);

#endif

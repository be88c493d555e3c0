/* wb_cli.h: the argument checks every program shares, so that absurd flags get
 * the same clear one-line error everywhere: errors go to stderr with exit
 * status 2, --help goes to stdout with status 0. */
#ifndef ASYNC_CLI_H
#define ASYNC_CLI_H

/* Parses text as a whole number in [min, max] into *out; on failure prints
 * "PROG: FLAG: 'TEXT' is not a number from MIN to MAX" and returns -1. */
int wb_cli_int(const char *prog, const char *flag, const char *text, long min, long max, long *out);

/* The same for seconds and other real numbers, written in decimal (no NaN,
 * no infinity, no C hexadecimal float such as 0x10). */
int wb_cli_double(const char *prog, const char *flag, const char *text, double min, double max,
               double *out);

/* The value after a flag: argv[*i + 1], advancing *i; NULL (with a message)
 * when it is missing. */
const char *wb_cli_value(const char *prog, int argc, char **argv, int *i);

/* -h or --help. */
int wb_cli_is_help(const char *arg);

/* Refuses an argument the program does not take, in one line on stderr:
 * "PROG: unknown flag '--bogus' (PROG --help lists the flags)", or
 * "unexpected argument 'x'" for one that is not a flag. Returns 2, the exit
 * status for a usage error. */
int wb_cli_unknown(const char *prog, const char *arg);

/* --help: usage (one or more lines, each ending in '\n') on stdout; returns 0. */
int wb_cli_help(const char *usage);

/* For a program whose only flag is --help (the mistakes): -1 to go on, else
 * the status to exit with (0 after --help, 2 after anything else). */
int wb_cli_help_only(const char *prog, const char *usage, int argc, char **argv);

#endif

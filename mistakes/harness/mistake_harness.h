/* mistake_harness.h: how every mistakes/ program measures its two halves:
 * the wrong way and the right way, each timed with a heartbeat beside it. */
#ifndef MISTAKE_HARNESS_H
#define MISTAKE_HARNESS_H

#include "wb_heartbeat.h"

/* One half of a mistake demo, measured: how long it took and how the loop
 * kept time meanwhile. */
typedef struct mistake_half {
    const char *label;      /* "wrong" or "right" */
    double took;
    wb_heartbeat hb;
    int status;
} mistake_half;

/* The start of main: handles the command line, which is only --help (usage
 * on stdout, returns 0); anything else is refused in one line (returns 2).
 * Returns -1 when the program should run. */
int mistake_start(int argc, char **argv, const char *name, const char *about);

/* Runs body(arg) under async_run with a heartbeat beside it and fills h. */
int mistake_run(mistake_half *h, const char *label, int (*body)(void *arg), void *arg);

/* Prints "wrong: took 1.00 s; heartbeat: worst lag 201 ms, average 98.3 ms over 12 beats". */
void mistake_print(const mistake_half *h);

#endif

/* wb_output.h: standard output that fails loudly, as grep's does.
 *
 * printf's errors are a sticky flag that nobody reads, so a C program whose
 * output is lost still exits 0. The workbook's programs check it:
 *  - a write that fails (a full disk; stdout is /dev/full) is one line,
 *    "step4: cannot write to stdout: no space left on device", and status 1;
 *  - a reader that went away (`./step4 big.log | head -c1`) ends the program
 *    at once and quietly, killed by SIGPIPE as grep and cat are (a shell sees
 *    status 141), instead of reading the whole file for nobody.
 * async_run ignores SIGPIPE (a peer hanging up on a socket must be an EPIPE
 * error, not the death of the program), so writes to a closed pipe fail with
 * EPIPE instead of killing the program: these checks restore grep's way for
 * stdout only. */
#ifndef WB_OUTPUT_H
#define WB_OUTPUT_H

/* Once, first thing in main: remembers the program's name for the message
 * and checks stdout when the program exits (exit or return from main). A
 * closed stdout (`prog >&-`) is refused here, before libuv could take fd 1
 * for a socket; a closed stdin or stderr becomes /dev/null. */
void wb_output_init(const char *prog);

/* After each line of a long output: ends the program if stdout has failed. */
void wb_output_check(void);

/* fflush(stdout), then the same check (use it for every flush: the cause of
 * a failed write is known only just after it). */
void wb_output_flush(void);

/* printf, then wb_output_check(). */
int wb_printf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif

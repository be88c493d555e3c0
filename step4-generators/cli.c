/* cli.c: step 4's flags, text helpers and printing. */
#include "async_lines.h"
#include "wb_cli.h"
#include "wb_output.h"
#include "wb_timeline.h"
#include "log.h"

#include <ctype.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

text strip(text line)
{
    while (line.len && is_space(line.data[0])) {
        line.data++;
        line.len--;
    }
    while (line.len && is_space(line.data[line.len - 1]))
        line.len--;
    return line;
}

/* memchr for the first byte, then compare: on short lines this beats
 * memmem, whose set-up cost is paid on every call. */
int contains(text line, const char *pattern)
{
    size_t n = strlen(pattern);
    const char *p = line.data, *end = line.data + line.len;
    while (n && (size_t)(end - p) >= n) {
        p = memchr(p, pattern[0], (size_t)(end - p) - n + 1);
        if (!p)
            return 0;
        if (memcmp(p, pattern, n) == 0)
            return 1;
        p++;
    }
    return n == 0;
}

/* Bytes a terminal would mangle (NUL, escapes) are shown as \xNN. */
static void print_text(text t)
{
    for (size_t i = 0; i < t.len; i++) {
        unsigned char c = (unsigned char)t.data[i];
        if (c < 0x20 && c != '\t')
            printf("\\x%02x", c);
        else
            putchar(c);
    }
}

void found_error(log_source *src, text line)
{
    src->matches++;
    if (src->count_only)
        return;
    if (strcmp(src->pattern, "ERROR") == 0)
        printf("Found error: ");               /* the tutorial's words */
    else
        printf("Found %s: ", src->pattern);    /* --pattern WARN: "Found WARN: ..." */
    print_text(line);
    putchar('\n');
    wb_output_check();        /* a reader that went away ends us here, as grep */
}

/* The sample log ships beside the program's source: look for it from the
 * current directory and from the executable's own directory. */
static const char *default_log(void)
{
    static char path[PATH_MAX + 64];
    const char *rel = "step4-generators/server.log";
    if (access(rel, R_OK) == 0)
        return rel;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        snprintf(path, sizeof path, "%s/%s", dirname(exe), rel);
        if (access(path, R_OK) == 0)
            return path;
    }
    return rel;   /* not found: the open reports it by name */
}

static int usage(void)
{
    return wb_cli_help(
        "usage: step4 [FILE] [--pattern WORD] [--count [--by-line]] [--max-line BYTES] [--timeline[=FILE.html]]\n"
        "  streams FILE (default: the sample step4-generators/server.log) line by line\n"
        "  and prints the lines containing WORD (default ERROR); --count prints their number,\n"
        "  streaming blocks of lines (--by-line: one line at a time, as the lesson does)\n");
}

static int parse(int argc, char **argv, log_source *src)
{
    long v;
    int t;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val;
        if (strcmp(a, "--pattern") == 0) {
            if (!(val = wb_cli_value("step4", argc, argv, &i)))
                return -1;
            if (!*val) {
                fprintf(stderr, "step4: --pattern: the word must not be empty\n");
                return -1;
            }
            src->pattern = val;
        } else if (strcmp(a, "--count") == 0) {
            src->count_only = 1;
        } else if (strcmp(a, "--by-line") == 0) {
            src->by_line = 1;
        } else if (strcmp(a, "--max-line") == 0) {
            if (!(val = wb_cli_value("step4", argc, argv, &i)) ||
                wb_cli_int("step4", a, val, 1, 1L << 30, &v))
                return -1;
            src->max_line = (size_t)v;
        } else if ((t = wb_timeline_option("step4", a)) != 0) {
            if (t < 0)
                return -1;
        } else if (wb_cli_is_help(a)) {
            return 1;
        } else if (a[0] == '-' && a[1]) {
            wb_cli_unknown("step4", a);
            return -1;
        } else if (!*a) {
            fprintf(stderr, "step4: the file name is empty\n");
            return -1;
        } else if (src->filename) {
            fprintf(stderr, "step4: one file at a time ('%s' and '%s')\n", src->filename, a);
            return -1;
        } else {
            src->filename = a;
        }
    }
    if (src->by_line && !src->count_only) {
        fprintf(stderr, "step4: --by-line goes with --count\n");
        return -1;
    }
    if (!src->filename)
        src->filename = default_log();
    return 0;
}

static void report(const log_source *src, int rc)
{
    if (rc == UV_E2BIG)
        fprintf(stderr, "step4: %s: line %llu is longer than %zu bytes\n", src->filename,
                (unsigned long long)src->lines + 1, src->max_line);
    else
        fprintf(stderr, "step4: %s: %s\n", src->filename, uv_strerror(rc));
}

/* The main task: the read, its own status kept apart from the run's (a run
 * whose ASYNC_TRACE file cannot be written fails after a good read, and its
 * error is not the log file's). */
static int read_and_keep_status(void *arg)
{
    log_source *src = arg;
    src->read_status = src->read_log(src);
    return src->read_status;
}

int step4_cli(int argc, char **argv, async_fn process_log)
{
    static log_source src;
    wb_output_init("step4");
    src.pattern = "ERROR";
    src.max_line = ASYNC_LINES_DEFAULT_MAX;
    int p = parse(argc, argv, &src);
    if (p)
        return p > 0 ? usage() : 2;
    int by_block = src.count_only && !src.by_line && block_count_fits(src.pattern);
    src.read_log = by_block ? count_by_block : process_log;
    int rc = async_run(read_and_keep_status, &src);
    if (src.count_only && src.read_status == 0)
        printf("%llu\n", (unsigned long long)src.matches);
    wb_output_flush();
    int drawn = wb_timeline_print(stdout);
    if (rc && src.read_status == 0) {     /* the file was read; the run failed after */
        fprintf(stderr, "step4: %s\n", uv_strerror(rc));
        return 1;
    }
    if (rc) {
        report(&src, rc);
        return 1;
    }
    return drawn ? 1 : 0;
}

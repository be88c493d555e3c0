/* timeline.c: the --timeline flag and its ASCII chart, drawn after the run
 * from what the core's trace recorded (common/core/trace.c): one row per
 * task over a time axis, as wide as the terminal. The HTML page is drawn by
 * timeline_html.c from the same record. */
#include "async_internal.h"
#include "wb_timeline_html.h"
#include "wb_output.h"
#include "wb_timeline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static struct {
    const char *prog;
    FILE *file;             /* --timeline=FILE, opened when the flag is read */
    const char *path;
    int html;
} opt;

void wb_timeline_enable(void)
{
    async__trace_keep();
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

int wb_timeline_option(const char *prog, const char *arg)
{
    if (strcmp(arg, "--timeline") == 0) {
        wb_timeline_enable();
        return 1;
    }
    if (strncmp(arg, "--timeline=", 11) != 0)
        return 0;
    const char *path = arg + 11;
    if (!*path) {
        fprintf(stderr, "%s: --timeline=: give a file name (t.html for a page), or plain "
                        "--timeline for the chart on the terminal\n", prog);
        return -1;
    }
    if (opt.file)
        fclose(opt.file);               /* the last --timeline=FILE wins */
    /* Opened now, so that a bad name stops before the run; emptied only when
     * the chart is written, so that a FILE that is also the run's input
     * (`step4 my.log --timeline=my.log`) is read whole, not read as empty. */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    opt.file = fd < 0 ? NULL : fdopen(fd, "a");
    if (fd >= 0 && !opt.file)
        close(fd);
    if (!opt.file) {
        fprintf(stderr, "%s: --timeline=%s: %s\n", prog, path,
                uv_strerror(uv_translate_sys_error(errno)));
        return -1;
    }
    opt.prog = prog;
    opt.path = path;
    opt.html = ends_with(path, ".html") || ends_with(path, ".htm");
    wb_timeline_enable();
    return 1;
}

/* ----------------------------------------------------------- the chart */

/* The layout of one run's chart: a title column, the cells, the end word. */
typedef struct layout {
    int title_width, cells, end_width;
    uint64_t t0, span;
} layout;

/* $COLUMNS when set (bash keeps it unexported, so a program rarely sees it:
 * then the terminal's own width when the chart goes to one), else 80. */
static int terminal_columns(FILE *out)
{
    const char *s = getenv("COLUMNS");
    char *end;
    long n = s ? strtol(s, &end, 10) : 0;
    if (s && end != s && !*end && n >= 20 && n <= 10000)
        return (int)n;
    struct winsize ws;
    if (isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

static layout lay_out(const async_trace_record *tl, int width)
{
    layout l = { 0, 0, 0, tl->t0, tl->t1 > tl->t0 ? tl->t1 - tl->t0 : 1 };
    int title_cap = width / 4 > 10 ? width / 4 : 10;
    for (size_t i = 0; i < tl->nrows; i++) {
        const async_trace_row *r = &tl->rows[i];
        if (!r->id)
            continue;
        char buf[64];
        async__trace_title(r, buf, sizeof buf);
        int n = (int)strlen(buf);
        l.title_width = n > l.title_width ? (n < title_cap ? n : title_cap) : l.title_width;
        n = (int)async__trace_end_text(r, buf, sizeof buf);
        l.end_width = n > l.end_width ? n : l.end_width;
    }
    l.cells = width - l.title_width - 4 - l.end_width;    /* "TITLE |CELLS| END" */
    if (l.cells < 10)
        l.cells = 10;                    /* a very narrow terminal: the lines wrap */
    return l;
}

/* The first cell whose middle is at or after ns: a cell shows what the task
 * was doing at the middle of its slice of time, so that a column is a true
 * snapshot (at most as many rows busy as there really were busy tasks). */
static int cells_before(const layout *l, uint64_t ns)
{
    double x = (double)(ns - l->t0) * l->cells / (double)l->span - 0.5;
    if (x <= 0)
        return 0;
    double c = x == (double)(long)x ? x : (double)(long)x + 1;   /* ceil */
    return c >= l->cells ? l->cells : (int)c;
}

static int column_of(const layout *l, uint64_t ns)
{
    int c = (int)((double)(ns - l->t0) * l->cells / (double)l->span);
    return c >= l->cells ? l->cells - 1 : c;
}

static char symbol(int mark)
{
    return mark >= 0 ? async__trace_marks[mark].symbol : ' ';
}

/* One pass over the events in time order: each row keeps its state and the
 * first cell not yet drawn; an event draws its row's cells up to it. Every
 * cell is written once, so the cost is events + rows x cells. */
typedef struct cursor {
    int col, end_col;
    signed char mark;
} cursor;

static char *draw_cells(const async_trace_record *tl, const layout *l)
{
    size_t w = (size_t)l->cells;
    char *grid = malloc(tl->nrows * w + 1);
    cursor *cur = malloc((tl->nrows ? tl->nrows : 1) * sizeof *cur);
    if (!grid || !cur) {
        free(grid);
        free(cur);
        return NULL;
    }
    for (size_t i = 0; i < tl->nrows; i++)
        cur[i] = (cursor){ 0, -1, -1 };
    for (size_t k = 0; k < tl->nevents; k++) {
        const async_trace_item *e = &tl->events[k];
        cursor *c = &cur[e->task];
        int until = cells_before(l, e->ns);
        if (until > c->col) {
            memset(grid + e->task * w + c->col, symbol(c->mark), (size_t)(until - c->col));
            c->col = until;
        }
        int mark = async__trace_state_after(e);
        if (mark != -2)
            c->mark = (signed char)mark;
        if (e->kind == ASYNC_TRACE_DONE)
            c->end_col = column_of(l, e->ns);
    }
    for (size_t i = 0; i < tl->nrows; i++) {
        char *row = grid + i * w;
        memset(row + cur[i].col, symbol(cur[i].mark), w - (size_t)cur[i].col);
        int end = async__trace_end_mark(&tl->rows[i]);
        if (end >= 0 && cur[i].end_col >= 0)
            row[cur[i].end_col] = symbol(end);
    }
    free(cur);
    return grid;
}

/* Words on lines of at most width columns; continuation lines indented. */
static void wrap(FILE *out, const char *const *words, size_t n, int width, const char *indent)
{
    int at = 0;
    for (size_t i = 0; i < n; i++) {
        int len = (int)strlen(words[i]) + (i + 1 < n);   /* with its comma */
        if (at == 0) {
            at = fprintf(out, "%s", indent);
        } else if (at + 1 + len > width) {
            fputc('\n', out);
            at = fprintf(out, "%s", indent);
        } else {
            at += fprintf(out, " ");
        }
        at += fprintf(out, "%s%s", words[i], i + 1 < n ? "," : "");
    }
    fputc('\n', out);
}

static void print_header(FILE *out, const async_trace_record *tl, const layout *l, int width)
{
    double column_ms = (double)l->span / 1e6 / l->cells;
    int tiny = column_ms < 0.1;          /* a run of a millisecond or less: microseconds */
    fprintf(out, "\ntimeline: one row per task, %d columns of %.1f %s\n", l->cells,
            tiny ? column_ms * 1000 : column_ms, tiny ? "us" : "ms");
    char words[ASYNC_MARK_COUNT][48];
    const char *items[ASYNC_MARK_COUNT];
    for (int m = 0; m < ASYNC_MARK_COUNT; m++) {
        snprintf(words[m], sizeof words[m], "%c %s", async__trace_marks[m].symbol,
                 async__trace_marks[m].words);
        items[m] = words[m];
    }
    wrap(out, items, ASYNC_MARK_COUNT, width, "  ");
    if (tl->full)
        fprintf(out, "  (the record filled up after %zu events: the chart stops at %.2f s)\n",
                tl->nevents, (double)l->span / 1e9);
}

static void print_axis(FILE *out, const layout *l)
{
    char end[32];
    if (l->span < 10000000)              /* under 10 ms: "0.74 ms", not "0.00 s" */
        snprintf(end, sizeof end, "%.2f ms", (double)l->span / 1e6);
    else
        snprintf(end, sizeof end, "%.2f s", (double)l->span / 1e9);
    int pad = l->cells - 3 - (int)strlen(end) + 1;      /* ends under the closing bar */
    fprintf(out, "%*s0 s%*s%s\n", l->title_width + 2, "", pad > 1 ? pad : 1, "", end);
}

static void print_chart(FILE *out, const async_trace_record *tl)
{
    int width = terminal_columns(out);
    layout l = lay_out(tl, width);
    char *grid = draw_cells(tl, &l);
    if (!grid) {
        fprintf(out, "\ntimeline: out of memory for the chart\n");
        return;
    }
    print_header(out, tl, &l, width);
    for (size_t i = 0; i < tl->nrows; i++) {
        const async_trace_row *r = &tl->rows[i];
        if (!r->id)
            continue;
        char title[64], end[64];
        async__trace_title(r, title, sizeof title);
        async__trace_end_text(r, end, sizeof end);
        fprintf(out, "%-*.*s |%.*s| %s\n", l.title_width, l.title_width, title, l.cells,
                grid + i * (size_t)l.cells, end);
        if (out == stdout)
            wb_output_check();       /* 100,000 rows to a reader that left: stop now */
    }
    print_axis(out, &l);
    free(grid);
}

int wb_timeline_print(FILE *out)
{
    async_trace_record tl = async__trace_record();
    FILE *to = opt.file ? opt.file : out;
    int rc = 0;
    if (opt.file)       /* what was in FILE goes now (a device or a FIFO cannot be cut) */
        (void)!ftruncate(fileno(opt.file), 0);
    if (opt.html)                    /* asked for: a page, even of no task */
        wb_timeline_html_write(to, &tl, opt.prog);
    else if (tl.nevents)
        print_chart(to, &tl);
    if (opt.file) {
        int failed = ferror(opt.file);
        if (fclose(opt.file) || failed) {
            fprintf(stderr, "%s: --timeline=%s: could not write the whole chart\n", opt.prog,
                    opt.path);
            rc = -1;
        }
        opt.file = NULL;
    }
    async__trace_forget();
    return rc;
}

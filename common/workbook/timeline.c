/* timeline.c: the --timeline chart, drawn after the run from what the core's
 * trace recorded (common/core/trace.c): one row per task over a time axis. */
#include "async_internal.h"
#include "wb_timeline.h"

#include <string.h>

static async_trace_record tl;

void wb_timeline_enable(void)
{
    async__trace_keep();
}

/* ----------------------------------------------------------- the chart */

enum { COLUMNS = 60 };

/* A cell shows what the task was doing at the middle of its slice of time,
 * so that a column is a true snapshot: at most as many rows are busy (# or =)
 * as there really were busy tasks at that moment. */
static char cell_char(int state)
{
    return state == 1 ? '#' : state == 2 ? '=' : state == 3 ? '.' : ' ';
}

static size_t column_of(uint64_t ns, uint64_t span)
{
    size_t c = (size_t)((double)(ns - tl.t0) * COLUMNS / (double)span);
    return c >= COLUMNS ? COLUMNS - 1 : c;
}

static void chart_row(FILE *out, size_t task, uint64_t span)
{
    char row[COLUMNS + 1];
    memset(row, ' ', COLUMNS);
    row[COLUMNS] = 0;
    int state = 0;                 /* 0 gone, 1 running, 2 I/O wait, 3 queued */
    size_t end_col = COLUMNS, col = 0;
    for (size_t k = 0; k <= tl.nevents; k++) {
        const async_trace_item *e = k < tl.nevents ? &tl.events[k] : NULL;
        if (e && e->task != task)
            continue;
        uint64_t until = e ? e->ns : UINT64_MAX;
        for (; col < COLUMNS; col++) {          /* cells whose middle is before this event */
            uint64_t mid = tl.t0 + (uint64_t)(((double)col + 0.5) * (double)span / COLUMNS);
            if (mid >= until)
                break;
            row[col] = cell_char(state);
        }
        if (!e)
            break;
        if (e->kind == ASYNC_TRACE_CREATE)
            state = 3;
        else if (e->kind == ASYNC_TRACE_RESUME)
            state = 1;
        else if (e->kind == ASYNC_TRACE_SUSPEND)
            state = e->wait == ASYNC_WAIT_IO ? 2 : 3;
        else if (e->kind == ASYNC_TRACE_DONE) {
            state = 0;
            end_col = column_of(e->ns, span);
        }
    }
    const async_trace_row *r = &tl.rows[task];
    if (end_col < COLUMNS)
        row[end_col] = r->status == 0 ? '|' : r->status == UV_ECANCELED ? 'x' : '!';
    char label[48];
    snprintf(label, sizeof label, "%s #%llu", r->name, (unsigned long long)r->id);
    fprintf(out, "%-22.22s |%s| %s", label, row, async__trace_end_word(r));
    if (r->done && r->status < 0 && r->status != UV_ECANCELED)
        fprintf(out, " (%s)", uv_err_name(r->status));
    fputc('\n', out);
}

void wb_timeline_print(FILE *out)
{
    tl = async__trace_record();
    if (!tl.nevents) {
        async__trace_forget();
        return;
    }
    uint64_t span = tl.t1 > tl.t0 ? tl.t1 - tl.t0 : 1;
    /* a run of a millisecond or less (step 4 on the sample) in microseconds */
    double column_ms = (double)span / 1e6 / COLUMNS;
    int tiny = column_ms < 0.1;
    fprintf(out, "\ntimeline: one row per task, %d columns of %.1f %s "
                 "(# running, = waiting on I/O or a timer, . waiting on other tasks,\n"
                 "          | finished, x cancelled, ! failed)\n", COLUMNS,
            tiny ? column_ms * 1000 : column_ms, tiny ? "us" : "ms");
    for (size_t i = 0; i < tl.nrows; i++)
        if (tl.rows[i].id)
            chart_row(out, i, span);
    if (span < 10000000)                    /* under 10 ms: "0.74 ms", not "0.00 s" */
        fprintf(out, "%-22s  0 s%*s%.2f ms\n", "", COLUMNS - 7, "", (double)span / 1e6);
    else
        fprintf(out, "%-22s  0 s%*s%.2f s\n", "", COLUMNS - 6, "", (double)span / 1e9);
    async__trace_forget();
}

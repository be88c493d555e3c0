/* timeline.c: records what every task did and when, for --timeline charts
 * and ASYNC_TRACE files. The core calls async__trace() only while
 * async__tracing is set, so recording costs nothing when it is off. */
#include "task.h"

#include <stdlib.h>
#include <string.h>

typedef struct event {
    uint64_t ns;
    uint32_t task;          /* index into tl.tasks */
    int16_t kind;           /* enum async_trace_event */
    int16_t wait;           /* for SUSPEND: enum async_wait_kind */
} event;

typedef struct task_row {
    uint64_t id;
    char name[32];
    int status;
    int done;
} task_row;

static struct {
    int wanted;             /* --timeline asked for a chart */
    const char *path;       /* ASYNC_TRACE */
    uint64_t first_id;
    event *events;
    size_t nevents, cap_events;
    task_row *tasks;
    size_t ntasks, cap_tasks;
    uint64_t t0, t1;
} tl;

int async__tracing;

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t cap2 = *cap ? *cap * 2 : 1024;
    while (cap2 < need)
        cap2 *= 2;
    void *q = realloc(p, cap2 * size);
    if (!q)
        return NULL;
    *cap = cap2;
    return q;
}

static task_row *row_of(const async_task *t)
{
    uint64_t id = async__task_id(t);
    if (id < tl.first_id)
        return NULL;
    size_t i = (size_t)(id - tl.first_id);
    if (i >= tl.ntasks) {
        task_row *rows = grow(tl.tasks, &tl.cap_tasks, i + 1, sizeof *rows);
        if (!rows)
            return NULL;
        tl.tasks = rows;
        memset(&tl.tasks[tl.ntasks], 0, (i + 1 - tl.ntasks) * sizeof *rows);
        tl.ntasks = i + 1;
    }
    return &tl.tasks[i];
}

void async__trace(const async_task *t, enum async_trace_event ev, int status)
{
    task_row *row = row_of(t);
    event *evs = grow(tl.events, &tl.cap_events, tl.nevents + 1, sizeof *evs);
    if (!row || !evs)
        return;
    tl.events = evs;
    row->id = async__task_id(t);
    snprintf(row->name, sizeof row->name, "%s", async_task_name(t));
    if (ev == ASYNC_TRACE_DONE) {
        row->done = 1;
        row->status = status;
    }
    uint64_t now = async__now_ns();
    if (!tl.t0)
        tl.t0 = now;
    tl.t1 = now;
    tl.events[tl.nevents++] = (event){ now, (uint32_t)(row - tl.tasks), (int16_t)ev,
                                       (int16_t)(ev == ASYNC_TRACE_SUSPEND ? status : 0) };
}

static void reset(void)
{
    free(tl.events);
    free(tl.tasks);
    int wanted = tl.wanted;
    memset(&tl, 0, sizeof tl);
    tl.wanted = wanted;
}

void async_timeline_enable(void)
{
    tl.wanted = 1;
}

void async__trace_run_begin(void)
{
    const char *path = getenv("ASYNC_TRACE");
    reset();
    tl.path = path && *path ? path : NULL;
    tl.first_id = async__next_task_id();
    async__tracing = tl.wanted || tl.path;
}

/* ------------------------------------------------------------ the JSON */

static void json_name(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static const char *end_word(const task_row *r)
{
    if (!r->done)
        return "unfinished";
    if (r->status == 0)
        return "ok";
    if (r->status == UV_ECANCELED)
        return "cancelled";
    return "failed";
}

/* Running slices and waits become complete ("X") events on one track per
 * task; cancels are instants; each track is named after its task. */
static void write_json(FILE *f)
{
    fprintf(f, "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n");
    int first = 1;
    for (size_t i = 0; i < tl.ntasks; i++) {
        if (!tl.tasks[i].id)
            continue;
        fprintf(f, "%s{\"ph\":\"M\",\"pid\":1,\"tid\":%zu,\"name\":\"thread_name\",\"args\":{\"name\":",
                first ? "" : ",\n", i + 1);
        char label[64];
        snprintf(label, sizeof label, "%s #%llu", tl.tasks[i].name,
                 (unsigned long long)tl.tasks[i].id);
        json_name(f, label);
        fprintf(f, "}}");
        first = 0;
    }
    uint64_t *since = calloc(tl.ntasks ? tl.ntasks : 1, sizeof *since);
    int *state = calloc(tl.ntasks ? tl.ntasks : 1, sizeof *state);
    for (size_t k = 0; since && state && k < tl.nevents; k++) {
        const event *e = &tl.events[k];
        double ts = (double)(e->ns - tl.t0) / 1e3;
        if (state[e->task] && (e->kind == ASYNC_TRACE_RESUME || e->kind == ASYNC_TRACE_SUSPEND ||
                               e->kind == ASYNC_TRACE_DONE)) {
            double start = (double)(since[e->task] - tl.t0) / 1e3;
            const char *what = state[e->task] == 1 ? "running"
                             : state[e->task] == 2 ? "waiting" : "queued";
            fprintf(f, ",\n{\"ph\":\"X\",\"pid\":1,\"tid\":%u,\"ts\":%.3f,\"dur\":%.3f,\"name\":\"%s\"}",
                    e->task + 1, start, ts - start, what);
        }
        if (e->kind == ASYNC_TRACE_CANCEL)
            fprintf(f, ",\n{\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":%u,\"ts\":%.3f,\"name\":\"cancel\"}",
                    e->task + 1, ts);
        if (e->kind == ASYNC_TRACE_DONE)
            fprintf(f, ",\n{\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":%u,\"ts\":%.3f,\"name\":\"%s\"}",
                    e->task + 1, ts, end_word(&tl.tasks[e->task]));
        if (e->kind == ASYNC_TRACE_RESUME)
            state[e->task] = 1;
        else if (e->kind == ASYNC_TRACE_SUSPEND)
            state[e->task] = e->wait == ASYNC_WAIT_IO ? 2 : 3;
        else if (e->kind == ASYNC_TRACE_DONE)
            state[e->task] = 0;
        since[e->task] = e->ns;
    }
    free(since);
    free(state);
    fprintf(f, "\n]}\n");
}

void async__trace_run_end(void)
{
    if (tl.path) {
        FILE *f = fopen(tl.path, "w");
        if (!f) {
            fprintf(stderr, "async: ASYNC_TRACE: cannot write %s\n", tl.path);
        } else {
            write_json(f);
            fclose(f);
        }
    }
    async__tracing = 0;
    if (!tl.wanted)
        reset();
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
        const event *e = k < tl.nevents ? &tl.events[k] : NULL;
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
    const task_row *r = &tl.tasks[task];
    if (end_col < COLUMNS)
        row[end_col] = r->status == 0 ? '|' : r->status == UV_ECANCELED ? 'x' : '!';
    char label[48];
    snprintf(label, sizeof label, "%s #%llu", r->name, (unsigned long long)r->id);
    fprintf(out, "%-22.22s |%s| %s", label, row, end_word(r));
    if (r->done && r->status < 0 && r->status != UV_ECANCELED)
        fprintf(out, " (%s)", uv_err_name(r->status));
    fputc('\n', out);
}

void async_timeline_print(FILE *out)
{
    if (!tl.wanted || !tl.nevents) {
        reset();
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
    for (size_t i = 0; i < tl.ntasks; i++)
        if (tl.tasks[i].id)
            chart_row(out, i, span);
    if (span < 10000000)                    /* under 10 ms: "0.74 ms", not "0.00 s" */
        fprintf(out, "%-22s  0 s%*s%.2f ms\n", "", COLUMNS - 7, "", (double)span / 1e6);
    else
        fprintf(out, "%-22s  0 s%*s%.2f s\n", "", COLUMNS - 6, "", (double)span / 1e9);
    reset();
    tl.wanted = 0;
}

/* trace.c: records what every task did and when, for ASYNC_TRACE files
 * (written here, at the end of the run) and for the --timeline charts that
 * common/workbook/timeline.c draws from the same record. The core calls
 * async__trace() only while async__tracing is set, so recording costs
 * nothing when it is off. */
#include "task.h"

#include <stdlib.h>
#include <string.h>

typedef async_trace_item event;
typedef async_trace_row task_row;

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

void async__trace_keep(void)
{
    tl.wanted = 1;
}

async_trace_record async__trace_record(void)
{
    if (!tl.wanted)
        return (async_trace_record){ 0 };
    return (async_trace_record){ tl.events, tl.nevents, tl.tasks, tl.ntasks, tl.t0, tl.t1 };
}

void async__trace_forget(void)
{
    reset();
    tl.wanted = 0;
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

const char *async__trace_end_word(const async_trace_row *r)
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
                    e->task + 1, ts, async__trace_end_word(&tl.tasks[e->task]));
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


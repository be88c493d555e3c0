/* trace.c: records what every task did and when, for ASYNC_TRACE files
 * (written here, at the end of the run) and for the --timeline charts that
 * common/workbook/timeline.c draws from the same record. The core calls
 * async__trace() only while async__tracing is set, so recording costs
 * nothing when it is off. */
#include "task.h"

#include <errno.h>
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
} rec;

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
    if (id < rec.first_id)
        return NULL;
    size_t i = (size_t)(id - rec.first_id);
    if (i >= rec.ntasks) {
        task_row *rows = grow(rec.tasks, &rec.cap_tasks, i + 1, sizeof *rows);
        if (!rows)
            return NULL;
        rec.tasks = rows;
        memset(&rec.tasks[rec.ntasks], 0, (i + 1 - rec.ntasks) * sizeof *rows);
        rec.ntasks = i + 1;
    }
    return &rec.tasks[i];
}

void async__trace(const async_task *t, enum async_trace_event ev, int status)
{
    task_row *row = row_of(t);
    event *evs = grow(rec.events, &rec.cap_events, rec.nevents + 1, sizeof *evs);
    if (!row || !evs)
        return;
    rec.events = evs;
    row->id = async__task_id(t);
    snprintf(row->name, sizeof row->name, "%s", async_task_name(t));
    if (ev == ASYNC_TRACE_DONE) {
        row->done = 1;
        row->status = status;
    }
    uint64_t now = async__now_ns();
    if (!rec.t0)
        rec.t0 = now;
    rec.t1 = now;
    rec.events[rec.nevents++] = (event){ now, (uint32_t)(row - rec.tasks), (int16_t)ev,
                                       (int16_t)(ev == ASYNC_TRACE_SUSPEND ? status : 0) };
}

static void reset(void)
{
    free(rec.events);
    free(rec.tasks);
    int wanted = rec.wanted;
    memset(&rec, 0, sizeof rec);
    rec.wanted = wanted;
}

void async__trace_keep(void)
{
    rec.wanted = 1;
}

async_trace_record async__trace_record(void)
{
    if (!rec.wanted)
        return (async_trace_record){ 0 };
    return (async_trace_record){ rec.events, rec.nevents, rec.tasks, rec.ntasks, rec.t0, rec.t1 };
}

void async__trace_forget(void)
{
    reset();
    rec.wanted = 0;
}

void async__trace_run_begin(void)
{
    const char *path = getenv("ASYNC_TRACE");
    reset();
    rec.path = path && *path ? path : NULL;
    rec.first_id = async__next_task_id();
    async__tracing = rec.wanted || rec.path;
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
    for (size_t i = 0; i < rec.ntasks; i++) {
        if (!rec.tasks[i].id)
            continue;
        fprintf(f, "%s{\"ph\":\"M\",\"pid\":1,\"tid\":%zu,\"name\":\"thread_name\",\"args\":{\"name\":",
                first ? "" : ",\n", i + 1);
        char label[64];
        snprintf(label, sizeof label, "%s #%llu", rec.tasks[i].name,
                 (unsigned long long)rec.tasks[i].id);
        json_name(f, label);
        fprintf(f, "}}");
        first = 0;
    }
    uint64_t *since = calloc(rec.ntasks ? rec.ntasks : 1, sizeof *since);
    int *state = calloc(rec.ntasks ? rec.ntasks : 1, sizeof *state);
    for (size_t k = 0; since && state && k < rec.nevents; k++) {
        const event *e = &rec.events[k];
        double ts = (double)(e->ns - rec.t0) / 1e3;
        if (state[e->task] && (e->kind == ASYNC_TRACE_RESUME || e->kind == ASYNC_TRACE_SUSPEND ||
                               e->kind == ASYNC_TRACE_DONE)) {
            double start = (double)(since[e->task] - rec.t0) / 1e3;
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
                    e->task + 1, ts, async__trace_end_word(&rec.tasks[e->task]));
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

/* A trace cut short by a full disk is worse than none: it opens as a
 * shorter run. Say so, and let async_run fail. */
static int write_trace(const char *path)
{
    FILE *f = fopen(path, "w");
    int rc = f ? 0 : uv_translate_sys_error(errno);
    if (f) {
        errno = 0;
        write_json(f);
        if (fflush(f) == EOF || ferror(f))
            rc = uv_translate_sys_error(errno ? errno : EIO);
        if (fclose(f) == EOF && !rc)
            rc = uv_translate_sys_error(errno);
    }
    if (rc)
        fprintf(stderr, "async: ASYNC_TRACE=%s: cannot write the trace: %s\n", path,
                uv_strerror(rc));
    return rc;
}

int async__trace_run_end(void)
{
    int rc = rec.path ? write_trace(rec.path) : 0;
    async__tracing = 0;
    if (!rec.wanted)
        reset();
    return rc;
}


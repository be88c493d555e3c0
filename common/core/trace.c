/* trace.c: records what every task did and when, for ASYNC_TRACE files
 * (written here, at the end of the run) and for the --timeline charts that
 * common/workbook/timeline.c draws from the same record. The core calls
 * async__trace() only while async__tracing is set, so recording costs
 * nothing when it is off. */
#include "task.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef async_trace_item event;
typedef async_trace_row task_row;

/* What the record holds, and why it grows:
 *  - one row per task created during the run (~112 bytes: its name, label and
 *    site are needed to title the chart's row after the task is gone);
 *  - one 16-byte event per create, resume, suspend, cancel and finish: the
 *    chart's scale is known only at the end (the run's length), so every
 *    change of state is kept until then. A task that sleeps once costs five.
 * The rows grow by doubling; the events fill one reservation of MAX_EVENTS
 * (64 MiB of address space, pages taken as written), so they are bounded:
 * past it the record stops and the chart says where (a long step 4 --by-line
 * run would otherwise hold two events per line of the file). */
enum { MAX_EVENTS = 1 << 22 };

const async_trace_mark_info async__trace_marks[ASYNC_MARK_COUNT] = {
    [ASYNC_MARK_RUNNING] = { '#', "running" },
    [ASYNC_MARK_WAITING_IO] = { '=', "waiting on I/O or a timer" },
    [ASYNC_MARK_WAITING_TASKS] = { '.', "waiting on other tasks" },
    [ASYNC_MARK_FINISHED] = { '|', "finished" },
    [ASYNC_MARK_CANCELLED] = { 'x', "cancelled" },
    [ASYNC_MARK_FAILED] = { '!', "failed" },
};

static struct {
    int wanted;             /* --timeline asked for a chart */
    const char *path;       /* ASYNC_TRACE */
    uint64_t first_id;
    event *events;
    size_t nevents;
    task_row *tasks;
    size_t ntasks, cap_tasks;
    uint64_t t0, t1;
    int full;               /* MAX_EVENTS reached: nothing more recorded */
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

static void copy_names(task_row *row, const async_task *t)
{
    _Static_assert(sizeof row->name == sizeof t->name && sizeof row->label == sizeof t->label,
                   "a row holds a task's name and label whole");
    memcpy(row->name, t->name, sizeof row->name);
    memcpy(row->label, t->label, sizeof row->label);
}

void async__trace_rename(const async_task *t)
{
    uint64_t id = async__task_id(t);
    if (id >= rec.first_id && id - rec.first_id < rec.ntasks && rec.tasks[id - rec.first_id].id)
        copy_names(&rec.tasks[id - rec.first_id], t);
}

/* The events' room: MAX_EVENTS of address space taken at the first event,
 * whose pages the kernel gives as they are first written; growing never
 * copies (realloc's doubling copied, and under ASan kept each old block). */
static event *events_room(void)
{
    if (!rec.events) {
        int flags = MAP_PRIVATE | MAP_ANONYMOUS;
#ifdef MAP_NORESERVE
        flags |= MAP_NORESERVE;
#endif
        void *p = mmap(NULL, MAX_EVENTS * sizeof(event), PROT_READ | PROT_WRITE, flags, -1, 0);
        rec.events = p == MAP_FAILED ? NULL : p;
    }
    return rec.events;
}

void async__trace(const async_task *t, enum async_trace_event ev, int status)
{
    if (rec.full)
        return;
    if (rec.nevents == MAX_EVENTS) {
        rec.full = 1;
        return;
    }
    task_row *row = row_of(t);
    event *evs = events_room();
    if (!row || !evs)
        return;
    if (!row->id) {                 /* its first event: who it is */
        row->id = async__task_id(t);
        row->file = t->file;
        row->line = t->line;
        copy_names(row, t);
    }
    if (ev == ASYNC_TRACE_DONE) {
        row->done = 1;
        row->status = status;
    }
    uint64_t now = async__now_ns();
    if (!rec.t0)
        rec.t0 = now;
    rec.t1 = now;
    event *e = &rec.events[rec.nevents++];
    e->ns = now;
    e->task = (uint32_t)(row - rec.tasks);
    e->kind = (unsigned)ev & 15u;
    e->wait = ev == ASYNC_TRACE_SUSPEND && status == ASYNC_WAIT_TASKS;
    e->what = ev == ASYNC_TRACE_SUSPEND ? async__trace_what_of(t) : 0;
}

static void reset(void)
{
    if (rec.events)
        munmap(rec.events, MAX_EVENTS * sizeof *rec.events);
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
    return (async_trace_record){ rec.events, rec.nevents, rec.tasks, rec.ntasks, rec.t0, rec.t1, rec.full };
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

/* A JSON string; the characters in `inert` are written as \u escapes too
 * (the timeline page's JSON sits inside a <script>, where "</" would end
 * it). */
void async__json_string(FILE *f, const char *s, const char *inert)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || strchr(inert, c))
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

int async__trace_end_mark(const async_trace_row *r)
{
    if (!r->done)
        return -1;
    if (r->status == 0)
        return ASYNC_MARK_FINISHED;
    return r->status == UV_ECANCELED ? ASYNC_MARK_CANCELLED : ASYNC_MARK_FAILED;
}

const char *async__trace_end_word(const async_trace_row *r)
{
    int mark = async__trace_end_mark(r);
    return mark < 0 ? "unfinished" : async__trace_marks[mark].words;
}

size_t async__trace_end_text(const async_trace_row *r, char *buf, size_t size)
{
    int n;
    if (r->done && r->status < 0 && r->status != UV_ECANCELED)
        n = snprintf(buf, size, "%s (%s)", async__trace_end_word(r), uv_err_name(r->status));
    else
        n = snprintf(buf, size, "%s", async__trace_end_word(r));
    return n < 0 ? 0 : (size_t)n;
}

int async__trace_state_after(const async_trace_item *e)
{
    switch (e->kind) {
    case ASYNC_TRACE_CREATE:
        return ASYNC_MARK_WAITING_TASKS;       /* queued for its first slice */
    case ASYNC_TRACE_RESUME:
        return ASYNC_MARK_RUNNING;
    case ASYNC_TRACE_SUSPEND:
        return e->wait == ASYNC_WAIT_IO ? ASYNC_MARK_WAITING_IO : ASYNC_MARK_WAITING_TASKS;
    case ASYNC_TRACE_DONE:
        return -1;
    default:
        return -2;
    }
}

void async__trace_title(const async_trace_row *r, char *buf, size_t size)
{
    if (r->label[0])
        snprintf(buf, size, "%s", r->label);
    else
        snprintf(buf, size, "%s #%llu", r->name, (unsigned long long)r->id);
}

/* Running slices and waits become complete ("X") events on one track per
 * task, named as the chart's legend names them; cancel requests and ends are
 * instants; each track is titled as the chart's row is. */
static void write_json(FILE *f)
{
    fprintf(f, "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n");
    int first = 1;
    for (size_t i = 0; i < rec.ntasks; i++) {
        const task_row *r = &rec.tasks[i];
        if (!r->id)
            continue;
        fprintf(f, "%s{\"ph\":\"M\",\"pid\":1,\"tid\":%zu,\"name\":\"thread_name\",\"args\":{\"name\":",
                first ? "" : ",\n", i + 1);
        char title[64], label[160];
        async__trace_title(r, title, sizeof title);
        if (r->label[0])
            snprintf(label, sizeof label, "%s (%s #%llu)", title, r->name, (unsigned long long)r->id);
        else
            snprintf(label, sizeof label, "%s", title);
        async__json_string(f, label, "");
        fprintf(f, "}}");
        first = 0;
    }
    /* per task: since when it has been in its state (a mark, or -1: none) */
    struct since { uint64_t ns; int mark; const char *what; } *since =
        malloc((rec.ntasks ? rec.ntasks : 1) * sizeof *since);
    for (size_t i = 0; since && i < rec.ntasks; i++)
        since[i] = (struct since){ 0, -1, NULL };
    for (size_t k = 0; since && k < rec.nevents; k++) {
        const event *e = &rec.events[k];
        struct since *st = &since[e->task];
        double ts = (double)(e->ns - rec.t0) / 1e3;
        if (st->mark >= 0 && e->kind != ASYNC_TRACE_CANCEL) {
            double start = (double)(st->ns - rec.t0) / 1e3;
            fprintf(f, ",\n{\"ph\":\"X\",\"pid\":1,\"tid\":%u,\"ts\":%.3f,\"dur\":%.3f,\"name\":\"%s\"",
                    e->task + 1, start, ts - start, async__trace_marks[st->mark].words);
            if (st->what) {                   /* Perfetto shows it under the slice */
                fprintf(f, ",\"args\":{\"on\":");
                async__json_string(f, st->what, "");
                fputc('}', f);
            }
            fputc('}', f);
        }
        if (e->kind == ASYNC_TRACE_CANCEL)
            fprintf(f, ",\n{\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":%u,\"ts\":%.3f,\"name\":\"cancel requested\"}",
                    e->task + 1, ts);
        if (e->kind == ASYNC_TRACE_DONE)
            fprintf(f, ",\n{\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":%u,\"ts\":%.3f,\"name\":\"%s\"}",
                    e->task + 1, ts, async__trace_end_word(&rec.tasks[e->task]));
        if (e->kind != ASYNC_TRACE_CANCEL) {
            st->mark = async__trace_state_after(e);
            st->ns = e->ns;
            st->what = async__trace_what(e);
        }
    }
    free(since);
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


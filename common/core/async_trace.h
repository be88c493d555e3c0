/* async_trace.h: the recorder behind ASYNC_TRACE and the workbook's
 * --timeline (trace.c): the core's hooks, what they record, and the one
 * wording of every state a timeline shows. Included by async_internal.h. */
#ifndef ASYNC_TRACE_H
#define ASYNC_TRACE_H

#include "async.h"

#include <stddef.h>
#include <stdio.h>

/* Tracing hooks (trace.c); the core calls them only when tracing is on. */
enum async_trace_event {
    ASYNC_TRACE_CREATE,   /* task created */
    ASYNC_TRACE_RESUME,   /* task starts running a slice */
    ASYNC_TRACE_SUSPEND,  /* task parks (waits) */
    ASYNC_TRACE_CANCEL,   /* cancellation requested */
    ASYNC_TRACE_DONE      /* task finished; status given */
};
extern int async__tracing;
void async__trace(const async_task *t, enum async_trace_event ev, int status);
void async__trace_rename(const async_task *t);  /* after async_task_set_name/_label */
void async__trace_run_begin(void);  /* at async_run's start (reads ASYNC_TRACE) */
int async__trace_run_end(void);     /* at async_run's end, before tasks are freed:
                                       0, or why the ASYNC_TRACE file was not written */

/* What a timeline shows, each with its one symbol and one wording, shared by
 * the ASCII chart's legend, the HTML page and the JSON trace's slice names
 * (TUTORIAL quotes the same words). */
enum async_trace_mark {
    ASYNC_MARK_RUNNING,         /* '#' running */
    ASYNC_MARK_WAITING_IO,      /* '=' waiting on I/O or a timer */
    ASYNC_MARK_WAITING_TASKS,   /* '.' waiting on other tasks */
    ASYNC_MARK_FINISHED,        /* '|' finished */
    ASYNC_MARK_CANCELLED,       /* 'x' cancelled */
    ASYNC_MARK_FAILED,          /* '!' failed */
    ASYNC_MARK_COUNT
};
typedef struct async_trace_mark_info {
    char symbol;
    const char *words;
} async_trace_mark_info;
extern const async_trace_mark_info async__trace_marks[ASYNC_MARK_COUNT];

/* What the trace recorded, for a chart drawn after the run (the workbook's
 * --timeline). async__trace_keep() before async_run asks for it; the record
 * stays until async__trace_forget(). Events are in time order. */
typedef struct async_trace_item {
    uint64_t ns;
    uint32_t task;          /* index into the record's rows */
    unsigned kind : 4;      /* enum async_trace_event */
    unsigned wait : 1;      /* for SUSPEND: enum async_wait_kind */
    unsigned what : 27;     /* for SUSPEND: what it waits on (async__trace_what), 0: not said */
} async_trace_item;
typedef struct async_trace_row {
    uint64_t id;            /* 0: no task in this row */
    const char *file;       /* where it was created (NULL: unknown) */
    int line;
    int status;
    int done;
    char name[ASYNC_TASK_NAME_MAX];
    char label[ASYNC_TASK_LABEL_MAX];         /* async_task_set_label, or "" */
} async_trace_row;
typedef struct async_trace_record {
    const async_trace_item *events;
    size_t nevents;
    const async_trace_row *rows;
    size_t nrows;
    uint64_t t0, t1;        /* first and last event */
    int full;               /* the record stopped at its bound (t1) */
} async_trace_record;
void async__trace_keep(void);
async_trace_record async__trace_record(void);
void async__trace_forget(void);
/* The mark a row's end shows: FINISHED, CANCELLED, FAILED, or -1 (unfinished). */
int async__trace_end_mark(const async_trace_row *r);
const char *async__trace_end_word(const async_trace_row *r);   /* "finished", "cancelled"... */
/* The word, and a failure's cause: "failed (UV_ECONNREFUSED)". Its length. */
size_t async__trace_end_text(const async_trace_row *r, char *buf, size_t size);
/* s as a JSON string, the characters in inert as \u escapes as well. */
void async__json_string(FILE *f, const char *s, const char *inert);
/* The state a task is in after event e (a mark from RUNNING to WAITING_TASKS,
 * or -1 once finished); a CANCEL event changes nothing: -2. */
int async__trace_state_after(const async_trace_item *e);
/* What a SUSPEND event's task waited on and where, as the task tree says it
 * ("HTTP GET http://... at step3.c:31"), or NULL when the await said nothing. */
const char *async__trace_what(const async_trace_item *e);
/* The same by number (1 to async__trace_what_count()), for a table of them all. */
const char *async__trace_what_text(uint32_t n);
uint32_t async__trace_what_count(void);
uint32_t async__trace_what_of(const async_task *t);   /* trace_what.c, for trace.c */
void async__trace_what_forget(void);
/* A row's title: its label if the program set one, else "name #id". */
void async__trace_title(const async_trace_row *r, char *buf, size_t size);

#endif

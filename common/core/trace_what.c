/* trace_what.c: what each traced wait was on, for the timeline's hover text.
 * At each SUSPEND the task tree's words for the wait (tasktree.c) and the
 * await's file:line become one string, kept once however often it recurs
 * (the 100,000 sleeps of one program share a few): an event holds its
 * string's number. The strings live in one growing buffer; a hash of their
 * numbers finds a repeat. Only while tracing: the core never calls this when
 * tracing is off. */
#include "task.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
    char *text;             /* the strings, each NUL-terminated */
    size_t len, cap;
    uint32_t *at;           /* string n starts at text[at[n]]; n = 0 is unused */
    size_t count, cap_at;
    uint32_t *slots;        /* open addressing: a string's number, 0 empty */
    size_t nslots;
} what;

enum { MAX_WHAT = (1u << 27) - 1 };   /* what async_trace_item.what can hold */

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;            /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int rehash(void)
{
    size_t n = what.nslots ? what.nslots * 2 : 1024;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t k = 1; k <= what.count; k++) {
        size_t i = hash(what.text + what.at[k]) & (n - 1);
        while (slots[i])
            i = (i + 1) & (n - 1);
        slots[i] = (uint32_t)k;
    }
    free(what.slots);
    what.slots = slots;
    what.nslots = n;
    return 0;
}

/* The string's number, adding it if new; 0 when memory or numbers ran out. */
static uint32_t intern(const char *s)
{
    if ((what.count + 1) * 2 > what.nslots && rehash())
        return 0;
    size_t i = hash(s) & (what.nslots - 1);
    for (; what.slots[i]; i = (i + 1) & (what.nslots - 1))
        if (strcmp(what.text + what.at[what.slots[i]], s) == 0)
            return what.slots[i];
    size_t n = strlen(s) + 1;
    if (what.count == MAX_WHAT || what.len + n > UINT32_MAX)
        return 0;
    if (what.len + n > what.cap) {
        size_t cap = what.cap ? what.cap * 2 : 65536;
        while (cap < what.len + n)
            cap *= 2;
        char *text = realloc(what.text, cap);
        if (!text)
            return 0;
        what.text = text;
        what.cap = cap;
    }
    if (what.count + 2 > what.cap_at) {
        size_t cap = what.cap_at ? what.cap_at * 2 : 1024;
        uint32_t *at = realloc(what.at, cap * sizeof *at);
        if (!at)
            return 0;
        what.at = at;
        what.cap_at = cap;
    }
    memcpy(what.text + what.len, s, n);
    what.at[++what.count] = (uint32_t)what.len;
    what.len += n;
    what.slots[i] = (uint32_t)what.count;
    return (uint32_t)what.count;
}

/* What decides a wait's words: a repeat of the same key has the same words,
 * so most waits (a loop's sleeps, a generator's items, a file's reads) cost
 * a lookup here instead of formatting the words again. */
typedef struct what_key {
    const void *object;
    const char *file;
    uint64_t detail;
    int line, on;
} what_key;

static struct {
    what_key key;
    uint32_t n;
} cache[1024];

static what_key key_of(const async_wait_site *w)
{
    what_key k = { w->object, w->file, 0, w->line, (int)w->on };
    switch (w->on) {
    case ASYNC_ON_SLEEP:            /* the words say the time left, to 0.01 s */
        k.detail = (uint64_t)(((int64_t)(w->detail.until_ns - async__now_ns()) + 5000000) / 10000000);
        break;
    case ASYNC_ON_GROUP:
        k.detail = (uint64_t)((const async_taskgroup *)w->object)->running;
        break;
    case ASYNC_ON_FILE_READ:
    case ASYNC_ON_FILE_CLOSE:
        k.detail = (uint64_t)(uint32_t)w->detail.file.fd << 32 | w->detail.file.size;
        break;
    case ASYNC_ON_TASK:             /* a record, reused by later tasks: its id */
        k.detail = ((const async_task *)w->object)->id;
        break;
    case ASYNC_ON_NEXT:
    case ASYNC_ON_GENERATOR_CLOSE:
        k.detail = async__generator_task(w->object) ? async__generator_task(w->object)->id : 0;
        break;
    case ASYNC_ON_HTTP_GET:         /* a string the cache cannot vouch for: no key */
    case ASYNC_ON_FILE_OPEN:
    case ASYNC_ON_THREAD:
        k.on = -1;
        break;
    default:
        break;
    }
    return k;
}

static int same(const what_key *a, const what_key *b)
{
    return a->object == b->object && a->file == b->file && a->detail == b->detail &&
           a->line == b->line && a->on == b->on;
}

/* The task tree's words, but a semaphore's without the place in line: the
 * tree counts it by walking the queue, which at every wait of a long queue
 * would make the trace's cost quadratic (the chart shows the line anyway). */
static void describe(const async_task *t, const async_wait_site *w, char *buf, size_t n)
{
    if (w->on == ASYNC_ON_SEMAPHORE && w->detail.text)
        snprintf(buf, n, "semaphore %s", w->detail.text);
    else if (w->on == ASYNC_ON_SEMAPHORE)
        snprintf(buf, n, "semaphore %p", w->object);
    else
        async__describe_wait(t, buf, n);
}

uint32_t async__trace_what_of(const async_task *t)
{
    const async_wait_site *w = async__task_wait(t);
    if (!w || w->on == ASYNC_ON_NOTHING)
        return 0;
    what_key k = key_of(w);
    uint64_t h = (uint64_t)(uintptr_t)k.object * 31 + (uint64_t)(uintptr_t)k.file * 17 +
                 k.detail * 13 + (uint64_t)k.line * 7 + (uint64_t)k.on;
    size_t slot = (size_t)(h ^ h >> 17 ^ h >> 31) % (sizeof cache / sizeof cache[0]);
    if (k.on >= 0 && cache[slot].n && same(&cache[slot].key, &k))
        return cache[slot].n;
    char said[320], line[400];
    describe(t, w, said, sizeof said);
    if (w->file)
        snprintf(line, sizeof line, "%s at %s:%d", said, w->file, w->line);
    else
        snprintf(line, sizeof line, "%s", said);
    uint32_t n = intern(line);
    if (k.on >= 0) {
        cache[slot].key = k;
        cache[slot].n = n;
    }
    return n;
}

const char *async__trace_what_text(uint32_t n)
{
    return n && n <= what.count ? what.text + what.at[n] : NULL;
}

const char *async__trace_what(const async_trace_item *e)
{
    return async__trace_what_text(e->what);
}

uint32_t async__trace_what_count(void)
{
    return (uint32_t)what.count;
}

void async__trace_what_forget(void)
{
    free(what.text);
    free(what.at);
    free(what.slots);
    memset(&what, 0, sizeof what);
    memset(cache, 0, sizeof cache);
}

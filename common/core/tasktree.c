/* tasktree.c: async_print_tasks(), the answer to "my program hangs: what is
 * everything waiting for?". Every live task, as a tree (a task's children
 * under it, main at the root), with what it waits on and the file:line of
 * that await; then the semaphores that tasks queue for, with the place the
 * last permit was taken. Python's `python -m asyncio pstree PID` is the model.
 *
 * It runs on the loop (Ctrl-\, the deadlock report) or in a task, never in a
 * signal handler, so it may allocate; without memory it prints a flat list.
 * scripts/gdb/async_gdb.py prints the same tree from gdb: keep them alike. */
#include "task.h"

#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* gdb loads scripts/gdb/async_gdb.py (`info async-tasks`, `async-bt N`) from
 * every program by itself (core.c calls this file, so every program has it):
 * an inline script in .debug_gdb_scripts (gdb's manual, "dotdebug_gdb_scripts
 * section"; entry type 4, the script's text). gdb wants the program's folder
 * in its auto-load safe-path first: see the script's head. */
#if defined(__ELF__) && !defined(ASYNC_NO_GDB_SCRIPT)
__asm__(".pushsection .debug_gdb_scripts, \"MS\", %progbits, 1\n"
        ".byte 4\n"
        ".incbin \"scripts/gdb/async_gdb.py\"\n"
        ".byte 0\n"
        ".popsection\n");
#endif

enum { MAX_INDENT = 32, MAX_SEMAPHORES = 8 };

static const char *ordinal(int n)
{
    if (n % 100 >= 11 && n % 100 <= 13)
        return "th";
    return n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
}

/* The file an fd reads, for "file read of /var/log/x" (Linux's /proc). */
static const char *fd_path(int fd, char *buf, size_t n)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t len = readlink(link, buf, n - 1);
    if (len <= 0)
        snprintf(buf, n, "fd %d", fd);
    else
        buf[len] = '\0';
    return buf;
}

static void describe_semaphore(const async_task *t, const async_wait_site *w, char *buf, size_t n)
{
    const async_semaphore *s = w->object;
    int place = async__semaphore_place(s, t), queued = async_semaphore_waiters(s);
    if (place == 0 && w->detail.text)   /* its line was reset under it: no permit comes */
        snprintf(buf, n, "semaphore %s, but not in its line (initialised again while tasks "
                 "waited?)", w->detail.text);
    else if (place == 0)
        snprintf(buf, n, "semaphore %p, but not in its line (initialised again while tasks "
                 "waited?)", w->object);
    else if (w->detail.text)
        snprintf(buf, n, "semaphore %s, %d%s of %d in line", w->detail.text, place,
                 ordinal(place), queued);
    else
        snprintf(buf, n, "semaphore %p, %d%s of %d in line", w->object, place,
                 ordinal(place), queued);
}

async_wait_site *async__wait_here(async_wait_on on, const void *object,
                                  const char *file, int line)
{
    async_task *t = async__current();
    if (!t)
        return NULL;
    async__wait_set(t, on, object, file, line);
    return &t->wait;
}

const async_wait_site *async__task_wait(const async_task *t)
{
    return &t->wait;
}

const char *async__describe_wait(const async_task *t, char *buf, size_t n)
{
    const async_wait_site *w = &t->wait;
    const async_task *other;
    char path[256];
    switch (w->on) {
    case ASYNC_ON_SLEEP: {
        int64_t left = (int64_t)(w->detail.until_ns - async__now_ns());
        snprintf(buf, n, "sleep, %.2f s left", (double)left / 1e9);
        break;
    }
    case ASYNC_ON_SEMAPHORE:
        describe_semaphore(t, w, buf, n);
        break;
    case ASYNC_ON_TASK:
        other = w->object;
        snprintf(buf, n, "task %s #%" PRIu64, other->name, other->id);
        break;
    case ASYNC_ON_GROUP: {
        int left = ((const async_taskgroup *)w->object)->running;
        snprintf(buf, n, "its task group, %d %s left", left, left == 1 ? "child" : "children");
        break;
    }
    case ASYNC_ON_NEXT:
        other = async__generator_task(w->object);
        snprintf(buf, n, "the next item of generator %s #%" PRIu64, other->name, other->id);
        break;
    case ASYNC_ON_YIELD:
        snprintf(buf, n, "its consumer to ask for the next item (async_next)");
        break;
    case ASYNC_ON_GENERATOR_CLOSE:
        other = async__generator_task(w->object);
        snprintf(buf, n, "generator %s #%" PRIu64 " to finish closing", other->name, other->id);
        break;
    case ASYNC_ON_HTTP_GET:
        snprintf(buf, n, "HTTP GET %s", w->detail.text ? w->detail.text : "?");
        break;
    case ASYNC_ON_HTTP_CLOSE:
        snprintf(buf, n, "the HTTP client's connections to close");
        break;
    case ASYNC_ON_FILE_OPEN:
        snprintf(buf, n, "file open %s", w->detail.text ? w->detail.text : "?");
        break;
    case ASYNC_ON_FILE_READ:
        snprintf(buf, n, "file read of %s (%" PRIu32 " bytes asked)",
                 fd_path(w->detail.file.fd, path, sizeof path), w->detail.file.size);
        break;
    case ASYNC_ON_FILE_CLOSE:
        snprintf(buf, n, "file close of %s", fd_path(w->detail.file.fd, path, sizeof path));
        break;
    case ASYNC_ON_THREAD:
        snprintf(buf, n, "to_thread %s", w->detail.text ? w->detail.text : "(a function)");
        break;
    default:
        snprintf(buf, n, "an await that says nothing of itself");
        break;
    }
    return buf;
}

/* "waits on HTTP GET http://... at step3.c:30", "ready to run", ... */
static void print_state(FILE *out, const async_task *t)
{
    char what[512];
    switch (t->state) {
    case ASYNC_TASK_WAITING:
        fprintf(out, "waits on %s", async__describe_wait(t, what, sizeof what));
        if (t->wait.file)
            fprintf(out, " at %s:%d", t->wait.file, t->wait.line);
        break;
    case ASYNC_TASK_READY_NEW:
        fprintf(out, "not started yet");
        break;
    case ASYNC_TASK_READY:
        fprintf(out, "ready to run");
        break;
    case ASYNC_TASK_RUNNING:
        fprintf(out, "running (it is the one printing this)");
        break;
    case ASYNC_TASK_DONE:
        if (t->status < 0)
            fprintf(out, "finished (%s), not yet awaited", uv_err_name(t->status));
        else
            fprintf(out, "finished (%d), not yet awaited", t->status);
        break;
    }
    if (t->state != ASYNC_TASK_WAITING && t->file)
        fprintf(out, " (created at %s:%d)", t->file, t->line);
    fputc('\n', out);
}

/* The tree: nodes sorted by id (creation order), children as index lists. */
typedef struct tree {
    const async_task **task;
    size_t *first_child, *next_sibling, *last_child;
    size_t count;
} tree;

#define NONE ((size_t)-1)

static size_t find(const tree *tr, uint64_t id)
{
    size_t lo = 0, hi = tr->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tr->task[mid]->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < tr->count && tr->task[lo]->id == id ? lo : NONE;
}

static void add_child(tree *tr, size_t parent, size_t child)
{
    if (tr->last_child[parent] == NONE)
        tr->first_child[parent] = child;
    else
        tr->next_sibling[tr->last_child[parent]] = child;
    tr->last_child[parent] = child;
}

/* Index count stands for the root: the tasks with no live parent. */
static int build(tree *tr)
{
    size_t n = 0;
    async_list_for_each(node, async__all_tasks())
        n++;
    tr->count = n;
    tr->task = malloc((n + 1) * sizeof *tr->task);
    tr->first_child = malloc((n + 1) * sizeof(size_t));
    tr->next_sibling = malloc((n + 1) * sizeof(size_t));
    tr->last_child = malloc((n + 1) * sizeof(size_t));
    if (!tr->task || !tr->first_child || !tr->next_sibling || !tr->last_child)
        return -1;
    size_t i = n;   /* the list is newest first: fill from the end */
    async_list_for_each(node, async__all_tasks())
        tr->task[--i] = async_container_of(node, async_task, all_link);
    for (i = 0; i <= n; i++)
        tr->first_child[i] = tr->next_sibling[i] = tr->last_child[i] = NONE;
    for (i = 0; i < n; i++) {
        size_t parent = tr->task[i]->parent_id ? find(tr, tr->task[i]->parent_id) : NONE;
        add_child(tr, parent == NONE || parent == i ? n : parent, i);
    }
    return 0;
}

static void free_tree(tree *tr)
{
    free(tr->task);
    free(tr->first_child);
    free(tr->next_sibling);
    free(tr->last_child);
}

/* Depth first, without recursion (a chain of tasks can be long). */
static void print_tree(FILE *out, tree *tr)
{
    size_t *stack = malloc((tr->count + 1) * sizeof *stack);
    if (!stack)
        return;
    int last[MAX_INDENT];
    size_t depth = 0, top = 0;
    stack[top++] = tr->first_child[tr->count];
    while (top > 0) {
        size_t i = stack[top - 1];
        if (i == NONE) {        /* this level is done: back up */
            top--;
            continue;
        }
        stack[top - 1] = tr->next_sibling[i];
        depth = top - 1;
        for (size_t d = 0; d < depth && d < MAX_INDENT; d++)
            fputs(last[d] ? "    " : "│   ", out);
        int is_last = tr->next_sibling[i] == NONE;
        if (depth < MAX_INDENT)
            last[depth] = is_last;
        fputs(is_last ? "└── " : "├── ", out);
        fprintf(out, "%s #%" PRIu64 " ", tr->task[i]->name, tr->task[i]->id);
        print_state(out, tr->task[i]);
        stack[top++] = tr->first_child[i];
    }
    free(stack);
}

static const char *task_name(const tree *tr, uint64_t id, char *buf, size_t n)
{
    size_t i = find(tr, id);
    if (i == NONE)
        snprintf(buf, n, "task #%" PRIu64 ", which has finished", id);
    else
        snprintf(buf, n, "%s #%" PRIu64 " (%s)", tr->task[i]->name, id,
                 tr->task[i]->state == ASYNC_TASK_DONE ? "finished" : "not finished");
    return buf;
}

/* Each semaphore that tasks queue for: how many permits are free, and who
 * took the last one, where (the line a never-released permit came from). */
static void print_semaphores(FILE *out, const tree *tr)
{
    const async_semaphore *seen[MAX_SEMAPHORES];
    const char *expr[MAX_SEMAPHORES];
    int nseen = 0;
    for (size_t i = 0; i < tr->count && nseen < MAX_SEMAPHORES; i++) {
        const async_task *t = tr->task[i];
        if (t->state != ASYNC_TASK_WAITING || t->wait.on != ASYNC_ON_SEMAPHORE)
            continue;
        int known = 0;
        for (int k = 0; k < nseen; k++)
            known |= seen[k] == t->wait.object;
        if (!known) {
            expr[nseen] = t->wait.detail.text;
            seen[nseen++] = t->wait.object;
        }
    }
    for (int k = 0; k < nseen; k++) {
        const async_semaphore *s = seen[k];
        char who[96];
        /* Its address only where the words cannot tell two apart: a learner
         * reads names, and the exercises' checks promise no hex. */
        int same_words = !expr[k];
        for (int j = 0; j < nseen && !same_words; j++)
            same_words = j != k && expr[j] && strcmp(expr[j], expr[k]) == 0;
        fprintf(out, "semaphore %s", expr[k] ? expr[k] : "");
        if (same_words)
            fprintf(out, " (at %p)", (const void *)s);
        fprintf(out, ": %d of %d permits free, %d %s in line", s->value, s->initial,
                async_semaphore_waiters(s), async_semaphore_waiters(s) == 1 ? "task" : "tasks");
        if (s->taken_file)
            fprintf(out, "; the last permit was taken at %s:%d by %s", s->taken_file,
                    s->taken_line, task_name(tr, s->taken_by, who, sizeof who));
        if (s->value == 0 && s->taken_by && find(tr, s->taken_by) == NONE)
            fprintf(out, ": if it never released that permit, nothing ever will");
        fputc('\n', out);
    }
}

/* Without memory for the tree: one line per task, newest first. */
static void print_flat(FILE *out)
{
    async_list_for_each(node, async__all_tasks()) {
        const async_task *t = async_container_of(node, async_task, all_link);
        fprintf(out, "%s #%" PRIu64 " ", t->name, t->id);
        print_state(out, t);
    }
}

void async_print_tasks(FILE *out)
{
    async__on_loop("async_print_tasks");   /* the tasks change under another thread */
    if (!out)
        return;
    tree tr = { 0 };
    if (async_list_unset(async__all_tasks()) || async_list_empty(async__all_tasks())) {
        fprintf(out, "(no tasks: async_run is not running)\n");
    } else if (build(&tr) == 0) {
        print_tree(out, &tr);
        print_semaphores(out, &tr);
    } else {
        print_flat(out);
    }
    free_tree(&tr);
    fflush(out);
}

/* Ctrl-\ (SIGQUIT), like the JVM's thread dump: the tree on stderr, and the
 * program goes on. libuv runs this on the loop, never inside the signal
 * handler; the handle is unref'd, so it keeps no loop alive. */
static uv_signal_t sigquit;
static int sigquit_watched;

static void on_sigquit(uv_signal_t *h, int signum)
{
    (void)h; (void)signum;
    fflush(stdout);
    fprintf(stderr, "async: Ctrl-\\ (SIGQUIT): every task and where it waits; the program "
                    "goes on\n");
    async_print_tasks(stderr);
}

void async__sigquit_start(uv_loop_t *loop)
{
    sigquit_watched = uv_signal_init(loop, &sigquit) == 0;
    if (sigquit_watched) {
        uv_signal_start(&sigquit, on_sigquit, SIGQUIT);
        uv_unref((uv_handle_t *)&sigquit);
    }
}

void async__sigquit_close(void)
{
    if (sigquit_watched)
        uv_close((uv_handle_t *)&sigquit, NULL);
    sigquit_watched = 0;
}

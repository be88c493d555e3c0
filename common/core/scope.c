/* scope.c: entering and leaving cancel scopes (timeout scopes, shields, task
 * groups), and the checks that name a scope left open.
 *
 * A scope is an `async with` block: entered and exited in one function, last
 * in first out. C cannot see a function return, so a skipped exit (an early
 * `return` before async_timeout_exit) would leave the task's scope list
 * pointing into a dead stack frame, and the timeout's timer would later write
 * into whatever reuses that memory. The core looks at the list where it is
 * cheap to, and stops the program with one line naming the task, the kind of
 * scope and where it was entered:
 *   - entering a scope that is still entered (the same struct again);
 *   - exiting one that is not the innermost, or not entered (exited twice);
 *   - at each await and each enter: a scope whose memory lies below the
 *     caller's frame, so the function that entered it has returned;
 *   - when the task's body returns with a scope still entered.
 * Reading a dead scope's fields is safe (the stack stays mapped), but they
 * may have been overwritten: its stamp, a mix of its address, kind and site,
 * says whether file and line can still be trusted.
 */
#include "task.h"


/* A scope left open lies in a frame that has returned: AddressSanitizer has
 * poisoned it, and would report our own look at it instead of the mistake. */
#if defined(__GNUC__) || defined(__clang__)
#define READS_DEAD_FRAMES __attribute__((no_sanitize_address))
#else
#define READS_DEAD_FRAMES
#endif

static const char *kind_name(int kind)
{
    switch (kind) {
    case ASYNC_SCOPE_TIMEOUT: return "timeout";
    case ASYNC_SCOPE_SHIELD: return "shield";
    case ASYNC_SCOPE_GROUP: return "task group";
    default: return "timeout, shield or task group";
    }
}

static const char *exit_name(int kind)
{
    switch (kind) {
    case ASYNC_SCOPE_TIMEOUT: return "async_timeout_exit";
    case ASYNC_SCOPE_SHIELD: return "async_shield_exit";
    case ASYNC_SCOPE_GROUP: return "async_taskgroup_wait";
    default: return "its exit";
    }
}

static const char *enter_name(int kind)
{
    switch (kind) {
    case ASYNC_SCOPE_TIMEOUT: return "async_timeout_enter";
    case ASYNC_SCOPE_SHIELD: return "async_shield_enter";
    default: return "async_taskgroup_init";
    }
}

/* Covers the outer link too: a walk follows it only from an intact scope. */
READS_DEAD_FRAMES static uintptr_t stamp_of(const async_scope *s, int kind, const char *file, int line, int exited)
{
    uintptr_t h = (uintptr_t)s ^ ((uintptr_t)file * 0x9E3779B1u) ^
                  ((uintptr_t)s->outer * 0x85EBCA77u) ^
                  ((uintptr_t)(unsigned)line << 7) ^ ((uintptr_t)kind << 3);
    return (h & ~(uintptr_t)3) | (exited ? 2u : 1u);
}

/* What a scope's memory says about it, copied out before any call (the
 * message's own fprintf) can overwrite a dead frame. */
typedef struct scope_site {
    int kind;
    const char *file;
    int line;
} scope_site;

READS_DEAD_FRAMES static scope_site site_of(const async_task *t, const async_scope *s, int exited)
{
    for (int i = 0; i < 4 && !exited; i++) {
        const struct async_scope_site *k = &t->scope_sites[i];
        if (k->scope == s && k->file)
            return (scope_site){ k->kind, k->file, k->line };
    }
    scope_site w = { s->kind, s->file, s->line };
    if (w.kind < ASYNC_SCOPE_TIMEOUT || w.kind > ASYNC_SCOPE_GROUP || !w.file ||
        s->stamp != stamp_of(s, w.kind, w.file, w.line, exited))
        w = (scope_site){ -1, "?", 0 };   /* its memory was reused: say less */
    return w;
}

/* A scope on the task's stack below `here` (a core function's frame) is in
 * a frame that has returned: every live frame of the task lies above. */
static int on_dead_frame(const async_task *t, const async_scope *s, const void *here)
{
    const char *p = (const char *)s;
    return p >= (const char *)t->stack_lo && p < (const char *)t && p < (const char *)here;
}

static _Noreturn void left_open(const async_task *t, const async_scope *s)
{
    scope_site w = site_of(t, s, 0);
    async__misuse(NULL, 0, "left a %s open: the function that entered it at %s:%d "
                  "returned without %s", kind_name(w.kind), w.file, w.line, exit_name(w.kind));
}

/* One scope struct entered by two tasks (a global or shared timeout): the
 * second enter relinked it into its own task's list. Python: "Timeout has
 * already been entered". `x` is intact: its task and site are the second's. */
static _Noreturn void entered_by_another(const async_task *t, const async_scope *x)
{
    scope_site mine = site_of(t, x, 0), theirs = { x->kind, x->file, x->line };
    async__misuse(NULL, 0, "the %s this task entered at %s:%d was entered again by task "
                  "'%s' at %s:%d while this task was inside it: a scope belongs to the one "
                  "task that enters it (give each task its own)", kind_name(theirs.kind),
                  mine.file ? mine.file : "?", mine.line, x->task->name,
                  theirs.file ? theirs.file : "?", theirs.line);
}

READS_DEAD_FRAMES static int intact(const async_scope *x)
{
    return x->stamp == stamp_of(x, x->kind, x->file, x->line, 0);
}

/* Walks the task's scopes, innermost first; stops the program at a dead or
 * overwritten one (its outer pointer is never followed). Returns 1 if `s`
 * is among them. */
READS_DEAD_FRAMES static int walk(const async_task *t, const async_scope *s, const void *here)
{
    for (const async_scope *x = t->scopes; x && x != &t->root; x = x->outer) {
        if (on_dead_frame(t, x, here) || !intact(x))
            left_open(t, x);
        if (x->task != t)
            entered_by_another(t, x);
        if (x == s)
            return 1;
    }
    return 0;
}

void async__scopes_check(const async_task *t, const void *here)
{
    walk(t, NULL, here);
}

void async__scope_push(async_scope *s, int kind, const char *file, int line)
{
    async__on_loop(enter_name(kind));
    async_task *t = async__current();
    if (!t)     /* like `async with` outside an async def: a bug to name, not a segfault */
        async__misuse(file, line, "a %s was entered outside a task (only a task, inside "
                      "async_run, can enter one)", kind_name(kind));
    if (walk(t, s, __builtin_frame_address(0))) {
        scope_site w = site_of(t, s, 0);
        async__misuse(NULL, 0, "entered a %s at %s:%d that was still entered (since %s:%d): "
                      "%s was skipped", kind_name(kind), file ? file : "?", line, w.file,
                      w.line, exit_name(kind));
    }
    *s = (async_scope){ .outer = t->scopes, .task = t, .file = file, .line = line,
                        .kind = (unsigned char)kind };
    s->stamp = stamp_of(s, kind, file, line, 0);
    t->scopes = s;
    t->scope_sites[t->scope_depth++ & 3] = (struct async_scope_site){ s, file, line, kind };
}

/* Exiting a scope another task entered and is still inside (a shared struct). */
READS_DEAD_FRAMES static void exited_elsewhere(const async_task *t, const async_scope *s)
{
    if (s->task && s->task != t && intact(s))
        async__misuse(NULL, 0, "called %s on the %s that task '%s' entered at %s:%d: only "
                      "the task that entered a scope exits it", exit_name(s->kind),
                      kind_name(s->kind), s->task->name, s->file ? s->file : "?", s->line);
}

static _Noreturn void bad_exit(const async_task *t, const async_scope *s, int kind)
{
    if (t->scopes == s)           /* innermost, but another task entered it since */
        entered_by_another(t, s);
    scope_site inner = site_of(t, t->scopes, 0);
    if (walk(t, s, __builtin_frame_address(0))) {
        scope_site w = site_of(t, s, 0);
        async__misuse(NULL, 0, "exited the %s entered at %s:%d while a %s entered at %s:%d "
                      "inside it was still entered (%s was skipped, or the exits are out "
                      "of order)", kind_name(w.kind), w.file, w.line, kind_name(inner.kind),
                      inner.file, inner.line, exit_name(inner.kind));
    }
    exited_elsewhere(t, s);
    scope_site w = site_of(t, s, 1);
    if (w.kind == kind)
        async__misuse(NULL, 0, "exited the %s entered at %s:%d twice (%s was called again)",
                      kind_name(kind), w.file, w.line, exit_name(kind));
    async__misuse(NULL, 0, "called %s on a %s that is not entered (never entered, or "
                  "entered by another task)", exit_name(kind), kind_name(kind));
}

void async__scope_pop(async_scope *s, int kind)
{
    async__on_loop(exit_name(kind));
    async_task *t = async__current();
    if (!t)
        async__misuse(NULL, 0, "%s was called outside a task", exit_name(kind));
    if (t->scopes != s || s->task != t)
        bad_exit(t, s, kind);
    t->scopes = s->outer;
    t->scope_depth--;
    s->stamp = stamp_of(s, s->kind, s->file, s->line, 1);
    if (s->cancelled)
        t->saw_cancel = 0;   /* the cancellation ended with its scope */
}

_Noreturn void async__scope_returned_inside(const async_task *t)
{
    scope_site w = site_of(t, t->scopes, 0);
    async__misuse(NULL, 0, "returned inside a %s entered at %s:%d (%s was skipped)",
                  kind_name(w.kind), w.file, w.line, exit_name(w.kind));
}

/* timers.c: every deadline of every task in one place, driven by a single
 * uv_timer armed for the earliest one.
 *
 * Two structures share the work. Most deadlines arrive in order (many tasks
 * sleeping the same time, every request with the same timeout): those go to
 * the back of a linked "lane", O(1) in and out, touching no other timer. The
 * rest go to a binary min-heap. The earliest deadline is the earlier of the
 * lane's head and the heap's top.
 *
 * Why not one uv_timer per sleep: a libuv handle may only be freed after its
 * close callback has run, so a timer living in a task or a timeout scope
 * would make every exit an await. Heap nodes are plain memory: stopping one
 * is a synchronous removal, and they can live on a task's stack.
 * Equal deadlines keep their order of arrival (seq), as asyncio's do.
 */
#include "task.h"

#include <stdlib.h>

#define NOT_IN_HEAP SIZE_MAX

/* The key lives in the heap array itself, so that sifting compares entries
 * side by side in memory instead of chasing one task record (and one page)
 * per comparison. */
typedef struct heap_entry {
    uint64_t deadline_ns;
    uint64_t seq;
    async_timer_node *node;
} heap_entry;

static struct {
    heap_entry *heap;
    size_t len, cap;
    async_list lane;           /* in-order deadlines, earliest first */
    uint64_t seq;
    uv_timer_t uv;
    uint64_t armed_for;        /* deadline the uv timer is set for, 0 = idle */
} timers;

uint64_t async__now_ns(void)
{
    return uv_hrtime();
}

static int earlier(const heap_entry *a, const heap_entry *b)
{
    return a->deadline_ns < b->deadline_ns ||
           (a->deadline_ns == b->deadline_ns && a->seq < b->seq);
}

static void place(size_t i, heap_entry e)
{
    timers.heap[i] = e;
    e.node->index = i;
}

static void sift_up(size_t i)
{
    heap_entry e = timers.heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!earlier(&e, &timers.heap[parent]))
            break;
        place(i, timers.heap[parent]);
        i = parent;
    }
    place(i, e);
}

static void sift_down(size_t i)
{
    heap_entry e = timers.heap[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= timers.len)
            break;
        if (child + 1 < timers.len && earlier(&timers.heap[child + 1], &timers.heap[child]))
            child++;
        if (!earlier(&timers.heap[child], &e))
            break;
        place(i, timers.heap[child]);
        i = child;
    }
    place(i, e);
}

static int grow(void)
{
    size_t cap = timers.cap ? timers.cap * 2 : 64;
    heap_entry *h = realloc(timers.heap, cap * sizeof *h);
    if (!h)
        return UV_ENOMEM;
    timers.heap = h;
    timers.cap = cap;
    return 0;
}

static async_timer_node *lane_node(async_list *link)
{
    return async_container_of(link, async_timer_node, lane_link);
}

static int lane_takes(uint64_t deadline_ns)
{
    return async_list_empty(&timers.lane) || lane_node(timers.lane.prev)->deadline_ns <= deadline_ns;
}

static void lane_push(async_timer_node *n)
{
    n->in_lane = 1;
    n->index = NOT_IN_HEAP;
    async_list_push_back(&timers.lane, &n->lane_link);
}

static void lane_unlink(async_timer_node *n)
{
    async_list_remove(&n->lane_link);
    n->in_lane = 0;
}

int async__timer_start(async_timer_node *n, uint64_t deadline_ns,
                       void (*fire)(async_timer_node *n))
{
    if (lane_takes(deadline_ns)) {
        n->deadline_ns = deadline_ns;
        n->seq = timers.seq++;
        n->fire = fire;
        lane_push(n);
        return 0;
    }
    if (timers.len == timers.cap && grow() != 0)
        return UV_ENOMEM;          /* not armed: the caller says so */
    n->deadline_ns = deadline_ns;
    n->seq = timers.seq++;
    n->fire = fire;
    n->in_lane = 0;
    timers.heap[timers.len] = (heap_entry){ deadline_ns, n->seq, n };
    n->index = timers.len++;
    sift_up(n->index);
    return 0;
}

int async__timer_active(const async_timer_node *n)
{
    return n->fire != NULL && (n->in_lane || n->index != NOT_IN_HEAP);
}

void async__timer_stop(async_timer_node *n)
{
    if (!async__timer_active(n))
        return;
    if (n->in_lane) {
        lane_unlink(n);
        return;
    }
    size_t i = n->index;
    heap_entry last = timers.heap[--timers.len];
    n->index = NOT_IN_HEAP;
    if (last.node == n)
        return;
    place(i, last);
    if (i > 0 && earlier(&last, &timers.heap[(i - 1) / 2]))
        sift_up(i);
    else
        sift_down(i);
}

/* The earliest timer of both, without removing it; NULL if none. */
static async_timer_node *earliest(void)
{
    async_timer_node *lane = async_list_empty(&timers.lane) ? NULL : lane_node(timers.lane.next);
    if (!timers.len)
        return lane;
    const heap_entry *top = &timers.heap[0];
    if (lane && (lane->deadline_ns < top->deadline_ns ||
                 (lane->deadline_ns == top->deadline_ns && lane->seq < top->seq)))
        return lane;
    return top->node;
}

/* On the loop's stack: fire callbacks only mark tasks ready or cancel scopes. */
static void on_uv_timer(uv_timer_t *h)
{
    (void)h;
    timers.armed_for = 0;
    uint64_t now = async__now_ns();
    async_timer_node *n;
    while ((n = earliest()) && n->deadline_ns <= now) {
        async__timer_stop(n);
        n->fire(n);
    }
    async__timers_arm();
}

void async__timers_init(uv_loop_t *loop)
{
    uv_timer_init(loop, &timers.uv);
    async_list_init(&timers.lane);
    timers.armed_for = 0;
}

/* libuv timers count whole milliseconds from the loop's cached time; round up
 * so that nothing fires early (an early wake-up just re-arms). */
void async__timers_arm(void)
{
    async_timer_node *first = earliest();
    if (!first) {
        if (timers.armed_for) {
            uv_timer_stop(&timers.uv);
            timers.armed_for = 0;
        }
        return;
    }
    uint64_t deadline = first->deadline_ns;
    if (deadline == timers.armed_for)
        return;
    uv_update_time(timers.uv.loop);
    uint64_t now = async__now_ns();
    uint64_t ms = deadline > now ? (deadline - now + 999999) / 1000000 : 0;
    uv_timer_start(&timers.uv, on_uv_timer, ms, 0);
    timers.armed_for = deadline ? deadline : 1;
}

int async__timers_pending(void)
{
    return timers.len > 0 || !async_list_empty(&timers.lane);
}

void async__timers_close(void)
{
    uv_close((uv_handle_t *)&timers.uv, NULL);
    free(timers.heap);
    timers.heap = NULL;
    timers.len = timers.cap = 0;
    timers.armed_for = 0;
}

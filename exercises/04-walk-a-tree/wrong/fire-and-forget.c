/* Wrong: the children's tasks are made with async_create_task, outside any
 * group, and never awaited: visit_tree returns after the root, with the rest
 * of the walk still going on.
 * expect: with *visited 1: expected 40
 */
#include "exercise.h"

typedef struct slot { int node; int *visited; } slot;
static slot slots[MAX_NODES];
static int used;

static int visit_task(void *arg)
{
    slot *s = arg;
    int kids[3], count;
    int rc = fetch_children(s->node, kids, &count);
    if (rc)
        return rc;
    ++*s->visited;
    for (int i = 0; i < count; i++) {
        slot *c = &slots[used++ % MAX_NODES];
        c->node = kids[i];
        c->visited = s->visited;
        async_create_task(visit_task, c);
    }
    return 0;
}

int visit_tree(int root, int *visited)
{
    *visited = 0;
    slot *s = &slots[used++ % MAX_NODES];
    s->node = root;
    s->visited = visited;
    return visit_task(s);
}

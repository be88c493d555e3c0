/* Wrong: one task per node, but each level's group waits for its first
 * node's children before the next node of that level starts: depth first,
 * one node at a time.
 * expect: expected each level's fetches at once
 */
#include "exercise.h"

typedef struct call { int node; int *visited; } call;

static int visit_task(void *arg)
{
    call *c = arg;
    int kids[3], count;
    int rc = fetch_children(c->node, kids, &count);
    if (rc)
        return rc;
    ++*c->visited;
    for (int i = 0; i < count && rc == 0; i++) {
        call child = { kids[i], c->visited };
        async_taskgroup tg;
        async_taskgroup_init(&tg);
        async_taskgroup_create_task(&tg, visit_task, &child);
        rc = async_taskgroup_wait(&tg);
    }
    return rc;
}

int visit_tree(int root, int *visited)
{
    *visited = 0;
    call c = { root, visited };
    return visit_task(&c);
}

/* Wrong: every child's task is given the address of the same local variable,
 * which the loop changes before the tasks first run: they all read the last
 * child's id.
 * expect: was fetched 0 times: expected every node of the 40 once
 */
#include "exercise.h"

typedef struct walk { async_taskgroup tg; int visited; } walk;
static walk w;

static int visit_task(void *arg)
{
    int node = *(int *)arg;
    int kids[3], count;
    int rc = fetch_children(node, kids, &count);
    if (rc)
        return rc;
    w.visited++;
    static int child;
    for (int i = 0; i < count; i++) {
        child = kids[i];
        async_taskgroup_create_task(&w.tg, visit_task, &child);
    }
    return 0;
}

int visit_tree(int root, int *visited)
{
    w.visited = 0;
    async_taskgroup_init(&w.tg);
    async_taskgroup_create_task(&w.tg, visit_task, &root);
    int rc = async_taskgroup_wait(&w.tg);
    *visited = w.visited;
    return rc;
}

/* Exercise 4: write visit_tree. The task is in README.md. */
#include "exercise.h"

/* One after another: every node waits for the one before (1.2 s in all). */
static int visit(int node, int *visited)
{
    int kids[3], count;
    int rc = fetch_children(node, kids, &count);
    if (rc)
        return rc;
    ++*visited;
    for (int i = 0; i < count && rc == 0; i++)
        rc = visit(kids[i], visited);
    return rc;
}

int visit_tree(int root, int *visited)
{
    *visited = 0;
    return visit(root, visited);  /* TODO: each node in a task of one TaskGroup */
}

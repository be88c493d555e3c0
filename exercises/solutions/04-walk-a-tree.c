#include "exercise.h"

typedef struct walk walk;
typedef struct slot { walk *walk; int node; } slot;   /* one task's argument */

struct walk {
    async_taskgroup tg;
    int visited;
    int used;                  /* slots handed out */
    slot slots[MAX_NODES];
};

static int visit_task(void *arg);

/* tg.create_task(visit(node)): the node goes into a slot of its own. */
static void start_visit(walk *w, int node)
{
    slot *s = &w->slots[w->used++];
    s->walk = w;
    s->node = node;
    async_taskgroup_create_task(&w->tg, visit_task, s);
}

static int visit_task(void *arg)
{
    slot *s = arg;
    int kids[3], count;
    int rc = fetch_children(s->node, kids, &count);
    if (rc)
        return rc;               /* the group cancels the rest */
    s->walk->visited++;
    for (int i = 0; i < count; i++)
        start_visit(s->walk, kids[i]);
    return 0;
}

int visit_tree(int root, int *visited)
{
    walk w = { .used = 0 };
    async_taskgroup_init(&w.tg);
    start_visit(&w, root);
    int rc = async_taskgroup_wait(&w.tg);
    *visited = w.visited;
    return rc;
}

/* list.h: the one intrusive list every part of the core uses.
 *
 * A list is a ring through a head node: an empty list's head points at itself,
 * so adding and removing never test for the ends. A record joins a list
 * through a node it embeds, and async_container_of() turns a node back into
 * its record. Nothing here allocates.
 */
#ifndef ASYNC_LIST_H
#define ASYNC_LIST_H

#include <stddef.h>

typedef struct async_list {
    struct async_list *prev, *next;
} async_list;

/* The record that embeds `member` at ptr. */
#define async_container_of(ptr, type, member) \
    ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* A head (or a node not in any list: then it reads as empty). */
static inline void async_list_init(async_list *l)
{
    l->prev = l->next = l;
}

static inline int async_list_empty(const async_list *l)
{
    return l->next == l;
}

/* 1 if head was never initialised (zeroed memory): the core's misuse checks. */
static inline int async_list_unset(const async_list *l)
{
    return l->next == NULL;
}

static inline void async_list_push_back(async_list *l, async_list *node)
{
    node->next = l;
    node->prev = l->prev;
    l->prev->next = node;
    l->prev = node;
}

static inline void async_list_push_front(async_list *l, async_list *node)
{
    node->prev = l;
    node->next = l->next;
    l->next->prev = node;
    l->next = node;
}

/* Takes node out of its list; it then reads as an empty list of its own. */
static inline void async_list_remove(async_list *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    node->prev = node->next = node;
}

/* The first node, unlinked; NULL if the list is empty. The queues on the
 * scheduler's hot path only push and pop, so the node's own links are left
 * as they were (two stores saved a switch): push it before removing it. */
static inline async_list *async_list_pop_front(async_list *l)
{
    async_list *n = l->next;
    if (n == l)
        return NULL;
    l->next = n->next;
    n->next->prev = l;
    return n;
}

#define async_list_for_each(node, l) \
    for (async_list *node = (l)->next; node != (l); node = node->next)

#endif

/*
 * An intrusive AVL tree keyed by a 32-bit unsigned key: the node lives
 * inside the object it orders (container_of gets the object back), so
 * the tree never allocates. Keys are unique. Every operation but
 * iteration is O(log n); avl_next and avl_prev are O(1) amortised, O(log
 * n) at worst. Portable: also built and tested on the host.
 */
#ifndef CAIRN_VM_AVL_H
#define CAIRN_VM_AVL_H

#include <stddef.h>
#include <stdint.h>

struct avl_node {
	struct avl_node *left, *right, *parent;
	uint32_t key;
	int32_t height;		/* a leaf has 1 */
};

struct avl_tree {
	struct avl_node *root;
	uint32_t count;
};

#define avl_entry(node, type, member) \
	((type *)(void *)((char *)(node) - offsetof(type, member)))

static inline void avl_init(struct avl_tree *t)
{
	t->root = NULL;
	t->count = 0;
}

/* Inserts n with the key already in n->key. Returns 0, or -1 (and the
 * tree unchanged) when a node with that key is there. */
int avl_insert(struct avl_tree *t, struct avl_node *n);

/* Takes n (which must be in t) out of the tree. */
void avl_remove(struct avl_tree *t, struct avl_node *n);

/* The node with exactly key, or NULL. */
struct avl_node *avl_find(const struct avl_tree *t, uint32_t key);

/* The node with the greatest key <= key, or NULL. */
struct avl_node *avl_find_le(const struct avl_tree *t, uint32_t key);

/* The node with the smallest key >= key, or NULL. */
struct avl_node *avl_find_ge(const struct avl_tree *t, uint32_t key);

/* In key order: the first and last nodes, and the neighbours of n;
 * NULL past either end. */
struct avl_node *avl_first(const struct avl_tree *t);
struct avl_node *avl_last(const struct avl_tree *t);
struct avl_node *avl_next(const struct avl_node *n);
struct avl_node *avl_prev(const struct avl_node *n);

/* 0 if the tree keeps its promises (order, heights, balance, parent
 * links, count), else a negative code saying which is broken. For tests
 * and the sanity-check build: O(n). */
int avl_check(const struct avl_tree *t);

#endif /* CAIRN_VM_AVL_H */

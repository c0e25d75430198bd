/*
 * The intrusive AVL tree of avl.h: rotations, and a walk back up from a
 * changed node that stops as soon as a subtree keeps its height.
 * Nothing here allocates; nodes belong to the caller.
 */
#include "vm/avl.h"

/* Deeper than any AVL tree of 2^32 nodes (about 1.44 * 32 + 2): a check
 * that goes past it has found a cycle, not a tall tree. */
#define AVL_MAX_DEPTH	64

static int32_t height(const struct avl_node *n)
{
	return n ? n->height : 0;
}

static void fix_height(struct avl_node *n)
{
	int32_t l = height(n->left), r = height(n->right);

	n->height = 1 + (l > r ? l : r);
}

/* Puts new where old hangs under parent (the root if parent is NULL). */
static void replace_child(struct avl_tree *t, struct avl_node *parent,
	struct avl_node *old, struct avl_node *new)
{
	if (parent == NULL)
		t->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
	if (new != NULL)
		new->parent = parent;
}

/* x's left child takes x's place, x becomes its right child. */
static struct avl_node *rotate_right(struct avl_tree *t, struct avl_node *x)
{
	struct avl_node *y = x->left;

	x->left = y->right;
	if (y->right != NULL)
		y->right->parent = x;
	replace_child(t, x->parent, x, y);
	y->right = x;
	x->parent = y;
	fix_height(x);
	fix_height(y);
	return y;
}

static struct avl_node *rotate_left(struct avl_tree *t, struct avl_node *x)
{
	struct avl_node *y = x->right;

	x->right = y->left;
	if (y->left != NULL)
		y->left->parent = x;
	replace_child(t, x->parent, x, y);
	y->left = x;
	x->parent = y;
	fix_height(x);
	fix_height(y);
	return y;
}

/* Restores balance at n, whose children are balanced and differ in
 * height by at most 2; returns the root of n's subtree afterwards. */
static struct avl_node *balance_at(struct avl_tree *t, struct avl_node *n)
{
	int32_t diff = height(n->left) - height(n->right);

	if (diff > 1) {
		if (height(n->left->left) < height(n->left->right))
			rotate_left(t, n->left);
		return rotate_right(t, n);
	}
	if (diff < -1) {
		if (height(n->right->right) < height(n->right->left))
			rotate_right(t, n->right);
		return rotate_left(t, n);
	}
	fix_height(n);
	return n;
}

/* Rebalances from n up. Above a subtree whose height came out as it was
 * before, nothing changed, so the walk ends there. */
static void rebalance(struct avl_tree *t, struct avl_node *n)
{
	while (n != NULL) {
		struct avl_node *parent = n->parent;
		int32_t before = n->height;

		if (balance_at(t, n)->height == before)
			return;
		n = parent;
	}
}

int avl_insert(struct avl_tree *t, struct avl_node *n)
{
	struct avl_node *parent = NULL, **link = &t->root;

	while (*link != NULL) {
		parent = *link;
		if (n->key == parent->key)
			return -1;
		link = n->key < parent->key ? &parent->left : &parent->right;
	}
	n->left = n->right = NULL;
	n->parent = parent;
	n->height = 1;
	*link = n;
	t->count++;
	rebalance(t, parent);
	return 0;
}

static struct avl_node *leftmost(struct avl_node *n)
{
	while (n->left != NULL)
		n = n->left;
	return n;
}

static struct avl_node *rightmost(struct avl_node *n)
{
	while (n->right != NULL)
		n = n->right;
	return n;
}

/* Puts n's in-order successor s (leftmost of n's right subtree) where n
 * is; returns the lowest node whose subtree lost a node. */
static struct avl_node *splice_successor(struct avl_tree *t,
	struct avl_node *n)
{
	struct avl_node *s = leftmost(n->right), *lowest = s;

	if (s != n->right) {
		lowest = s->parent;
		lowest->left = s->right;
		if (s->right != NULL)
			s->right->parent = lowest;
		s->right = n->right;
		n->right->parent = s;
	}
	s->left = n->left;
	n->left->parent = s;
	s->height = n->height;
	replace_child(t, n->parent, n, s);
	return lowest;
}

void avl_remove(struct avl_tree *t, struct avl_node *n)
{
	struct avl_node *lowest;

	if (n->left != NULL && n->right != NULL) {
		lowest = splice_successor(t, n);
	} else {
		lowest = n->parent;
		replace_child(t, n->parent, n,
			n->left != NULL ? n->left : n->right);
	}
	n->left = n->right = n->parent = NULL;
	t->count--;
	rebalance(t, lowest);
}

struct avl_node *avl_find(const struct avl_tree *t, uint32_t key)
{
	struct avl_node *n = t->root;

	while (n != NULL && n->key != key)
		n = key < n->key ? n->left : n->right;
	return n;
}

struct avl_node *avl_find_le(const struct avl_tree *t, uint32_t key)
{
	struct avl_node *n = t->root, *best = NULL;

	while (n != NULL) {
		if (n->key == key)
			return n;
		if (n->key < key) {
			best = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return best;
}

struct avl_node *avl_find_ge(const struct avl_tree *t, uint32_t key)
{
	struct avl_node *n = t->root, *best = NULL;

	while (n != NULL) {
		if (n->key == key)
			return n;
		if (n->key > key) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct avl_node *avl_first(const struct avl_tree *t)
{
	return t->root ? leftmost(t->root) : NULL;
}

struct avl_node *avl_last(const struct avl_tree *t)
{
	return t->root ? rightmost(t->root) : NULL;
}

struct avl_node *avl_next(const struct avl_node *n)
{
	if (n->right != NULL)
		return leftmost(n->right);
	while (n->parent != NULL && n->parent->right == n)
		n = n->parent;
	return n->parent;
}

struct avl_node *avl_prev(const struct avl_node *n)
{
	if (n->left != NULL)
		return rightmost(n->left);
	while (n->parent != NULL && n->parent->left == n)
		n = n->parent;
	return n->parent;
}

/* Checks the subtree at n, whose keys must lie strictly between lo and
 * hi; adds its nodes to *count. 0 or a negative code. */
static int check_subtree(const struct avl_node *n, int64_t lo, int64_t hi,
	uint32_t depth, uint32_t *count)
{
	int32_t l, r;
	int err;

	if (n == NULL)
		return 0;
	if (depth > AVL_MAX_DEPTH)
		return -1;	/* a cycle */
	if ((n->left && n->left->parent != n) ||
	    (n->right && n->right->parent != n))
		return -2;
	if ((int64_t)n->key <= lo || (int64_t)n->key >= hi)
		return -3;
	if ((err = check_subtree(n->left, lo, n->key, depth + 1, count)) ||
	    (err = check_subtree(n->right, n->key, hi, depth + 1, count)))
		return err;
	l = height(n->left);
	r = height(n->right);
	if (n->height != 1 + (l > r ? l : r))
		return -4;
	if (l - r > 1 || r - l > 1)
		return -5;
	(*count)++;
	return 0;
}

int avl_check(const struct avl_tree *t)
{
	uint32_t count = 0;
	int err;

	if (t->root != NULL && t->root->parent != NULL)
		return -2;
	err = check_subtree(t->root, -1, (int64_t)1 << 32, 0, &count);
	if (err != 0)
		return err;
	return count == t->count ? 0 : -6;
}

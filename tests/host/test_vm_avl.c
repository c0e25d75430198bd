/*
 * Tests of vm/avl.c: the edges (empty tree, duplicate keys, keys 0 and
 * 0xffffffff, a corrupted tree caught by avl_check), random operations
 * against a presence array, and the height of 100,000-node trees.
 */
#include "check.h"

#include <stdint.h>
#include "vm/avl.h"

/* The node sits after another member so that avl_entry has an offset to
 * undo. */
struct item {
	uint32_t tag;
	struct avl_node node;
};

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 33) % n;
}

static uint32_t rnd32(void)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng_state >> 32);
}

static uint32_t key_of(const struct avl_node *n)
{
	return n ? n->key : 0xdeadbeef;
}

static struct item *item_of(struct avl_node *n)
{
	return n ? avl_entry(n, struct item, node) : NULL;
}

static int insert_item(struct avl_tree *t, struct item *it, uint32_t key)
{
	it->node.key = key;
	return avl_insert(t, &it->node);
}

TEST(vm_avl, empty_tree)
{
	struct avl_tree t;

	avl_init(&t);
	CHECK_EQ(avl_check(&t), 0);
	CHECK(avl_find(&t, 0) == NULL);
	CHECK(avl_find_le(&t, 0xffffffffu) == NULL);
	CHECK(avl_find_ge(&t, 0) == NULL);
	CHECK(avl_first(&t) == NULL);
	CHECK(avl_last(&t) == NULL);
	CHECK_EQ(t.count, 0);
}

TEST(vm_avl, one_node_and_back)
{
	struct avl_tree t;
	struct item a = { .tag = 7 };

	avl_init(&t);
	CHECK_EQ(insert_item(&t, &a, 100), 0);
	CHECK_EQ(avl_check(&t), 0);
	CHECK(item_of(avl_find(&t, 100)) == &a);
	CHECK_EQ(item_of(avl_find(&t, 100))->tag, 7);
	CHECK(avl_find(&t, 99) == NULL);
	CHECK(avl_find_le(&t, 99) == NULL);
	CHECK(avl_find_le(&t, 1000) == &a.node);
	CHECK(avl_find_ge(&t, 101) == NULL);
	CHECK(avl_find_ge(&t, 0) == &a.node);
	CHECK(avl_next(&a.node) == NULL);
	CHECK(avl_prev(&a.node) == NULL);
	avl_remove(&t, &a.node);
	CHECK_EQ(avl_check(&t), 0);
	CHECK(t.root == NULL);
	CHECK_EQ(t.count, 0);
}

TEST(vm_avl, duplicate_key_refused)
{
	struct avl_tree t;
	struct item v[5], dup;

	avl_init(&t);
	for (uint32_t i = 0; i < 5; i++)
		CHECK_EQ(insert_item(&t, &v[i], i * 10), 0);
	for (uint32_t i = 0; i < 5; i++) {
		CHECK_EQ(insert_item(&t, &dup, i * 10), -1);
		CHECK_EQ(t.count, 5);
		CHECK_EQ(avl_check(&t), 0);
		CHECK(avl_find(&t, i * 10) == &v[i].node);
	}
}

TEST(vm_avl, extreme_keys)
{
	struct avl_tree t;
	struct item lo, hi, mid;

	avl_init(&t);
	CHECK_EQ(insert_item(&t, &hi, 0xffffffffu), 0);
	CHECK(avl_find_le(&t, 0xfffffffeu) == NULL);
	CHECK(avl_find_le(&t, 0xffffffffu) == &hi.node);
	CHECK(avl_find_ge(&t, 0) == &hi.node);
	CHECK_EQ(insert_item(&t, &lo, 0), 0);
	CHECK(avl_find_ge(&t, 1) == &hi.node);
	CHECK(avl_find_le(&t, 0xfffffffeu) == &lo.node);
	CHECK(avl_find(&t, 0) == &lo.node);
	CHECK_EQ(insert_item(&t, &mid, 0x80000000u), 0);
	CHECK_EQ(avl_check(&t), 0);
	CHECK(avl_first(&t) == &lo.node);
	CHECK(avl_last(&t) == &hi.node);
	CHECK(avl_next(&lo.node) == &mid.node);
	CHECK(avl_next(&mid.node) == &hi.node);
	CHECK(avl_next(&hi.node) == NULL);
	CHECK(avl_prev(&hi.node) == &mid.node);
	CHECK(avl_prev(&lo.node) == NULL);
	avl_remove(&t, &lo.node);
	CHECK(avl_find_le(&t, 0x7fffffffu) == NULL);
	CHECK(avl_find_ge(&t, 0) == &mid.node);
	CHECK_EQ(avl_check(&t), 0);
}

/* avl_check is what the random tests lean on: it must see each kind of
 * damage. */
TEST(vm_avl, check_sees_damage)
{
	struct avl_tree t;
	struct item v[7];
	struct avl_node *root, *leaf;
	uint32_t key;

	avl_init(&t);
	for (uint32_t i = 0; i < 7; i++)
		CHECK_EQ(insert_item(&t, &v[i], i), 0);
	CHECK_EQ(avl_check(&t), 0);
	root = t.root;
	leaf = avl_first(&t);

	key = root->key;		/* order */
	root->key = 100;
	CHECK_LT(avl_check(&t), 0);
	root->key = key;
	root->height++;			/* height */
	CHECK_LT(avl_check(&t), 0);
	root->height--;
	leaf->parent = leaf;		/* parent link */
	CHECK_LT(avl_check(&t), 0);
	leaf->parent = avl_find(&t, 1);
	t.count++;			/* count */
	CHECK_LT(avl_check(&t), 0);
	t.count--;
	CHECK_EQ(avl_check(&t), 0);
}

/* --- random operations against a presence array ------------------------ */

#define MODEL_KEYS	600

static struct item pool[MODEL_KEYS];
static uint8_t present[MODEL_KEYS];

/* Index i's key: increasing, from 0 up to 0xffffffff, with gaps so that
 * queries between keys mean something. */
static uint32_t model_key(uint32_t i)
{
	if (i == MODEL_KEYS - 1)
		return 0xffffffffu;
	return i * 8;
}

/* A query key: at, just below or just above some index's key. */
static uint32_t random_query(void)
{
	return model_key(rnd(MODEL_KEYS)) + rnd(3) - 1;
}

static struct avl_node *model_le(uint32_t q)
{
	for (int i = MODEL_KEYS - 1; i >= 0; i--)
		if (present[i] && model_key((uint32_t)i) <= q)
			return &pool[i].node;
	return NULL;
}

static struct avl_node *model_ge(uint32_t q)
{
	for (uint32_t i = 0; i < MODEL_KEYS; i++)
		if (present[i] && model_key(i) >= q)
			return &pool[i].node;
	return NULL;
}

/* The tree, walked both ways, holds exactly the present items. */
static void compare_walks(const struct avl_tree *t, uint32_t n)
{
	struct avl_node *node = avl_first(t);
	uint32_t seen = 0;

	for (uint32_t i = 0; i < MODEL_KEYS; i++) {
		if (!present[i])
			continue;
		CHECK(node == &pool[i].node);
		node = avl_next(node);
		seen++;
	}
	CHECK(node == NULL);
	CHECK_EQ(seen, n);
	node = avl_last(t);
	for (int i = MODEL_KEYS - 1; i >= 0; i--) {
		if (!present[i])
			continue;
		CHECK(node == &pool[i].node);
		node = avl_prev(node);
	}
	CHECK(node == NULL);
}

static void random_step(struct avl_tree *t, uint32_t *n)
{
	uint32_t op = rnd(100), i = rnd(MODEL_KEYS), q = random_query();
	struct avl_node *got;

	if (op < 35) {
		int want = present[i] ? -1 : 0;
		struct item *it = present[i] ? &pool[(i + 1) % MODEL_KEYS]
			: &pool[i];

		/* A duplicate is offered through some other item, which
		 * must stay out of the tree. */
		if (present[i] && present[(i + 1) % MODEL_KEYS])
			return;
		CHECK_EQ(insert_item(t, it, model_key(i)), want);
		if (want == 0) {
			present[i] = 1;
			(*n)++;
		}
	} else if (op < 60) {
		if (!present[i])
			return;
		avl_remove(t, &pool[i].node);
		present[i] = 0;
		(*n)--;
	} else if (op < 72) {
		struct avl_node *want = model_le(q);

		if (want != NULL && key_of(want) != q)
			want = NULL;
		CHECK(avl_find(t, q) == want);
	} else if (op < 84) {
		CHECK(avl_find_le(t, q) == model_le(q));
	} else if (op < 96) {
		CHECK(avl_find_ge(t, q) == model_ge(q));
	} else if (present[i]) {
		got = avl_next(&pool[i].node);
		CHECK(got == (i + 1 < MODEL_KEYS ? model_ge(model_key(i) + 1)
			: NULL));
		got = avl_prev(&pool[i].node);
		CHECK(got == (i > 0 ? model_le(model_key(i) - 1) : NULL));
	}
	CHECK_EQ(t->count, *n);
	CHECK_EQ(avl_check(t), 0);
}

TEST(vm_avl, random_against_model)
{
	uint64_t seed = 0xa71a71;
	struct avl_tree t;
	uint32_t n = 0, peak = 0;

	printf("vm_avl.random_against_model: seed 0x%llx\n",
		(unsigned long long)seed);
	rng_state = seed;
	for (uint32_t i = 0; i < MODEL_KEYS; i++) {
		present[i] = 0;
		pool[i].tag = i;
	}
	avl_init(&t);
	for (uint32_t op = 0; op < 40000; op++) {
		/* Phases that fill and drain the tree, so removal meets
		 * every shape and the tree empties now and then. */
		if ((op / 4000) % 2 == 1 && rnd(4) == 0 && n) {
			uint32_t i = rnd(MODEL_KEYS);

			while (!present[i])
				i = (i + 1) % MODEL_KEYS;
			avl_remove(&t, &pool[i].node);
			present[i] = 0;
			n--;
		}
		random_step(&t, &n);
		if (n > peak)
			peak = n;
		if (op % 64 == 0)
			compare_walks(&t, n);
	}
	compare_walks(&t, n);
	CHECK_GE(peak, MODEL_KEYS / 2);
}

/* --- height ------------------------------------------------------------- */

#define BIG	100000

static struct item big[BIG];

static double log2_of(double x)
{
	double l = 0;

	while (x >= 2) {
		x /= 2;
		l++;
	}
	/* x in [1, 2): one fraction bit per squaring. */
	for (double bit = 0.5; bit > 1e-9; bit /= 2) {
		x *= x;
		if (x >= 2) {
			x /= 2;
			l += bit;
		}
	}
	return l;
}

static void check_height(const struct avl_tree *t)
{
	double bound = 1.44 * log2_of(t->count) + 2;

	CHECK(t->root != NULL);
	if (t->root->height > bound)
		FAILF("height %d of %u nodes, bound %.2f", t->root->height,
			t->count, bound);
}

/* Keys inserted in order make a plain search tree a list. */
TEST(vm_avl, height_ascending_100k)
{
	struct avl_tree t;

	avl_init(&t);
	for (uint32_t i = 0; i < BIG; i++)
		CHECK_EQ(insert_item(&t, &big[i], i * 3), 0);
	CHECK_EQ(avl_check(&t), 0);
	check_height(&t);
	for (uint32_t i = 0; i < BIG; i++)
		CHECK(avl_find(&t, i * 3) == &big[i].node);
	/* Removing every other one keeps it balanced too. */
	for (uint32_t i = 0; i < BIG; i += 2)
		avl_remove(&t, &big[i].node);
	CHECK_EQ(avl_check(&t), 0);
	check_height(&t);
}

TEST(vm_avl, height_random_100k)
{
	struct avl_tree t;
	uint32_t n = 0, i;

	rng_state = 0xb16b16;
	avl_init(&t);
	for (i = 0; i < BIG; i++)
		if (insert_item(&t, &big[i], rnd32()) == 0)
			n++;
	CHECK_EQ(t.count, n);
	CHECK_GE(n, BIG - 10);
	CHECK_EQ(avl_check(&t), 0);
	check_height(&t);
	/* Drain in random order down to empty. */
	while (t.root != NULL) {
		struct avl_node *victim = avl_find_ge(&t, rnd32());

		if (victim == NULL)
			victim = avl_last(&t);
		avl_remove(&t, victim);
		if (t.count % 10000 == 0)
			CHECK_EQ(avl_check(&t), 0);
	}
	CHECK_EQ(t.count, 0);
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}

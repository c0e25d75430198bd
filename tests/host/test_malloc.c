/*
 * Tests of lib/libc/malloc.c. The source is included here with its public
 * names renamed (malloc -> umalloc, ..., sbrk -> usbrk) so the host's own
 * allocator stays untouched, each case can start from an empty heap, and
 * sbrk is a fake over a static arena that can be made to run out.
 */
#define _DEFAULT_SOURCE		/* sbrk in the host's <unistd.h> */
#define malloc	umalloc
#define free	ufree
#define calloc	ucalloc
#define realloc	urealloc
#define sbrk	usbrk
#define malloc_release	umalloc_release

#include "check.h"

#include <signal.h>
#include <sys/wait.h>
#include "lib/libc/malloc.c"

#define ARENA	(4u << 20)

static _Alignas(4096) unsigned char arena[ARENA];
static size_t arena_base, arena_brk, arena_limit;
static int sbrk_calls;

void *usbrk(intptr_t incr)
{
	size_t old = arena_brk;

	if (incr == 0)
		return arena + old;
	sbrk_calls++;
	if (incr < 0) {		/* malloc_give_back: never below the base */
		if ((size_t)-incr > arena_brk - arena_base)
			return (void *)-1;
		arena_brk -= (size_t)-incr;
		return arena + old;
	}
	if ((size_t)incr > arena_limit - arena_brk)
		return (void *)-1;
	arena_brk += (size_t)incr;
	return arena + old;
}

/* An empty heap whose break starts base bytes into the arena. */
static void reset(size_t base)
{
	free_list = NULL;
	arena_base = arena_brk = base;
	arena_limit = ARENA;
	sbrk_calls = 0;
	malloc_junk = -1;
	malloc_give_back = 0;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 131 + i);
}

static int filled(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed * 131 + i))
			return 0;
	return 1;
}

/* Free blocks, checked: in address order, apart, and tagged free. */
static int count_free(void)
{
	int n = 0;

	for (struct block *b = free_list; b; b = b->next, n++) {
		CHECK_EQ_U(b->magic, MALLOC_FREE);
		CHECK_EQ(b->size % MALLOC_ALIGN, 0);
		if (b->next)
			CHECK((char *)b + b->size < (char *)b->next);
	}
	return n;
}

TEST(malloc, aligned_distinct_and_intact)
{
	enum { N = 300 };
	unsigned char *p[N];

	reset(0);
	for (unsigned i = 0; i < N; i++) {
		p[i] = umalloc(i);
		CHECK(p[i] != NULL);
		CHECK_EQ((uintptr_t)p[i] % MALLOC_ALIGN, 0);
		fill(p[i], i, i);
	}
	for (unsigned i = 0; i < N; i++)
		CHECK(filled(p[i], i, i));
	for (unsigned i = 0; i < N; i += 2)
		ufree(p[i]);
	for (unsigned i = 1; i < N; i += 2)
		CHECK(filled(p[i], i, i));
	for (unsigned i = 1; i < N; i += 2)
		ufree(p[i]);
	CHECK_EQ(count_free(), 1);	/* everything merged back */
}

/* A break that starts off alignment still gives aligned blocks. */
TEST(malloc, unaligned_break)
{
	for (size_t base = 1; base < MALLOC_ALIGN; base++) {
		void *p;

		reset(base);
		p = umalloc(24);
		CHECK(p != NULL);
		CHECK_EQ((uintptr_t)p % MALLOC_ALIGN, 0);
		CHECK((unsigned char *)p >= arena + base + HDR);
		ufree(p);
	}
}

TEST(malloc, first_fit_reuses_and_splits)
{
	unsigned char *a, *b, *c, *d;

	reset(0);
	a = umalloc(1000);
	b = umalloc(100);
	ufree(a);
	c = umalloc(100);		/* a's place, split */
	CHECK(c == a);
	d = umalloc(100);		/* the rest of a's place */
	CHECK(d > c && d < a + 1000);
	CHECK(d >= c + 100);
	CHECK_EQ(sbrk_calls, 1);
	ufree(b);
	ufree(c);
	ufree(d);
	CHECK_EQ(count_free(), 1);
}

/* Freeing the middle block last joins all three, and the heap in one. */
TEST(malloc, merges_both_neighbours)
{
	unsigned char *a, *b, *c, *guard, *big;

	reset(0);
	a = umalloc(1000);
	b = umalloc(1000);
	c = umalloc(1000);
	guard = umalloc(16);
	ufree(a);
	ufree(c);
	CHECK_EQ(count_free(), 3);	/* a, c, and the tail after guard */
	ufree(b);
	CHECK_EQ(count_free(), 2);
	big = umalloc(3000);
	CHECK(big == a);
	CHECK_EQ(sbrk_calls, 1);
	ufree(big);
	ufree(guard);
	CHECK_EQ(count_free(), 1);
}

TEST(malloc, grows_and_survives_running_out)
{
	void *p, *q;

	reset(0);
	p = umalloc(3 * MALLOC_GROW);	/* more than one chunk */
	CHECK(p != NULL);
	fill(p, 3 * MALLOC_GROW, 7);
	arena_limit = arena_brk + 100;	/* the next grow fails */
	q = umalloc(MALLOC_GROW);
	CHECK(q == NULL);
	CHECK(filled(p, 3 * MALLOC_GROW, 7));
	ufree(p);
	q = umalloc(MALLOC_GROW);	/* fits in what was freed */
	CHECK(q != NULL);
	ufree(q);
}

TEST(malloc, absurd_sizes)
{
	/* volatile: the host's <stdlib.h> would reject these at compile
	 * time (alloc_size), and the point is to see malloc refuse them. */
	volatile size_t max = SIZE_MAX;

	reset(0);
	CHECK(umalloc(max) == NULL);
	CHECK(umalloc(max / 2 + 1) == NULL);
	CHECK(umalloc(ARENA) == NULL);		/* sbrk refuses */
	CHECK(ucalloc(max / 8 + 1, 8) == NULL);	/* n * size wraps */
	ufree(NULL);
	CHECK_EQ(count_free(), 0);
}

TEST(malloc, calloc_zeroes_reused_memory)
{
	unsigned char *p;

	reset(0);
	p = umalloc(512);
	memset(p, 0xee, 512);
	ufree(p);
	p = ucalloc(64, 8);
	CHECK(p != NULL);
	for (int i = 0; i < 512; i++)
		CHECK_EQ(p[i], 0);
	ufree(p);
}

TEST(malloc, realloc_keeps_contents)
{
	unsigned char *p, *q;

	reset(0);
	p = urealloc(NULL, 40);		/* like malloc */
	CHECK(p != NULL);
	fill(p, 40, 3);
	q = urealloc(p, 20);		/* shrinking stays in place */
	CHECK(q == p);
	q = urealloc(p, 5000);
	CHECK(q != NULL);
	CHECK(filled(q, 40, 3));
	ufree(q);
	CHECK_EQ(count_free(), 1);
}

/* Random malloc/free/realloc, each block checked before it goes. */
static void random_workload(int junk)
{
	enum { SLOTS = 128, ROUNDS = 20000 };
	unsigned char *p[SLOTS] = { 0 };
	size_t len[SLOTS] = { 0 };
	uint32_t r = 99;

	reset(0);
	malloc_junk = junk;
	for (int round = 0; round < ROUNDS; round++) {
		int i;
		size_t n;

		r = r * 1103515245u + 12345u;
		i = (int)((r >> 8) % SLOTS);
		n = (r >> 16) % 3000;
		if (p[i]) {
			CHECK(filled(p[i], len[i], (unsigned)i));
			if (r & 1) {
				ufree(p[i]);
				p[i] = NULL;
				continue;
			}
			p[i] = urealloc(p[i], n);
			CHECK(filled(p[i], n < len[i] ? n : len[i],
				(unsigned)i));
		} else {
			p[i] = umalloc(n);
		}
		CHECK(p[i] != NULL);
		len[i] = n;
		fill(p[i], n, (unsigned)i);
	}
	for (int i = 0; i < SLOTS; i++)
		ufree(p[i]);
	CHECK_EQ(count_free(), 1);
	CHECK_EQ(free_list->size, arena_brk - arena_base);
}

TEST(malloc, random_workload)
{
	random_workload(-1);
}

/* VM's sanity build: the same workload with free memory kept as junk and
 * checked (a false alarm would abort here). */
TEST(malloc, random_workload_junk)
{
	random_workload(0xdb);
	CHECK(junk_intact(free_list));
	malloc_junk = -1;
}

#define GB_PAGE		4096u
#define GB_SLOTS	200

static uint32_t gb_state;

static uint32_t gb_rnd(void)
{
	gb_state = gb_state * 1103515245u + 12345u;
	return gb_state >> 8;
}

/* With malloc_give_back the heap grows by whole pages, and after
 * malloc_release the break is the page end of the highest block in use,
 * whatever was allocated and freed in between (VM's free page count
 * after a process has gone depends on it). */
TEST(malloc, give_back_to_what_is_in_use)
{
	static void *keep[GB_SLOTS], *churn[GB_SLOTS];
	size_t brk_kept, top;

	reset(0);
	malloc_give_back = 1;
	umalloc_release();		/* an empty heap: nothing to do */
	CHECK_EQ(arena_brk, 0);
	keep[0] = umalloc(100);
	CHECK_EQ(arena_brk, GB_PAGE);	/* one page, not MALLOC_GROW */
	gb_state = 99;
	for (int i = 1; i < GB_SLOTS; i++)
		keep[i] = umalloc(1 + gb_rnd() % 3000);
	for (int i = 0; i < GB_SLOTS; i += 2) {	/* holes */
		ufree(keep[i]);
		keep[i] = NULL;
	}
	umalloc_release();
	top = 0;
	for (int i = 0; i < GB_SLOTS; i++) {
		size_t end;

		if (keep[i] == NULL)
			continue;
		end = (size_t)((unsigned char *)header(keep[i]) +
			header(keep[i])->size - arena);
		if (end > top)
			top = end;
	}
	CHECK_EQ(arena_brk, (top + GB_PAGE - 1) & ~(size_t)(GB_PAGE - 1));
	brk_kept = arena_brk;
	/* Anything that comes and goes leaves the same break. */
	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < GB_SLOTS; i++)
			churn[i] = umalloc(1 + gb_rnd() %
				(round == 4 ? 40000 : 900));
		for (int i = 0; i < GB_SLOTS; i++) {
			int k = (int)(gb_rnd() % GB_SLOTS);

			ufree(churn[k]);
			churn[k] = NULL;
		}
		for (int i = 0; i < GB_SLOTS; i++)
			ufree(churn[i]);
		CHECK(arena_brk >= brk_kept);
		umalloc_release();
		CHECK_EQ(arena_brk, brk_kept);
	}
	for (int i = 0; i < GB_SLOTS; i++)
		ufree(keep[i]);
	umalloc_release();
	CHECK_EQ(arena_brk, 0);
	CHECK(free_list == NULL);
	/* Without give-back nothing is given back. */
	reset(0);
	ufree(umalloc(100));
	umalloc_release();
	CHECK_EQ(arena_brk, MALLOC_GROW);
}

/* free() of a block twice, or of a pointer malloc never gave, panics
 * (assert): run it in a child and expect it to abort. */
static int dies(void (*fn)(void))
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		fclose(stderr);
		fn();
		_exit(0);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void double_free(void)
{
	void *p;

	reset(0);
	p = umalloc(10);
	ufree(p);
	ufree(p);
}

static void stray_free(void)
{
	static _Alignas(16) unsigned char junk[64];

	reset(0);
	ufree(junk + 32);
}

/* With junk on, a write into freed memory is caught when the memory is
 * handed out again. */
static void write_after_free(void)
{
	unsigned char *p;

	reset(0);
	malloc_junk = 0xdb;
	p = umalloc(40);
	ufree(p);
	p[17] = 0;
	umalloc(40);
}

TEST(malloc, misuse_detected)
{
	CHECK(dies(double_free));
	CHECK(dies(stray_free));
	CHECK(dies(write_after_free));
}

TEST(malloc, junk_fills_freed_blocks)
{
	unsigned char *p, *q;

	reset(0);
	malloc_junk = 0xdb;
	p = umalloc(40);
	q = umalloc(100);
	fill(p, 40, 1);
	fill(q, 100, 2);
	ufree(p);
	for (int i = 0; i < 40; i++)
		CHECK_EQ(p[i], 0xdb);
	ufree(q);	/* merges: q's header becomes junk too */
	CHECK_EQ(count_free(), 1);
	CHECK(junk_intact(free_list));
	CHECK(umalloc(200) == p);
	malloc_junk = -1;
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}

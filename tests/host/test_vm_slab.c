/*
 * Tests of VM's slab allocator (vm/slab.c) on host pages: the page layout,
 * randomized allocation against a reference with every live object's
 * bytes checked (no overlap), reuse of freed objects, pages given back,
 * bad frees. Built twice: plainly (suite slab) and with VM_SANITY (suite
 * slab_sanity), where it also checks the junk of freed objects and that
 * a write outside USE() faults on the read-only page.
 */
#define _DEFAULT_SOURCE		/* fork, sigaction */
#include "check.h"

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vm/slab.h"
#include "tests/host/vm_self_host.h"

#ifdef VM_SANITY
#define SUITE	slab_sanity
#else
#define SUITE	slab
#endif
#define STEST_(suite, name)	TEST(suite, name)
#define STEST(name)		STEST_(SUITE, name)

#include "vm_panic.h"

/* --- a reference model of the live objects ------------------------------ */

#define MAX_LIVE	20000

struct live {
	unsigned char *p;
	uint32_t tag;
};

static uint32_t rnd_state;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

/* Every byte of a live object says which object it is. */
static unsigned char tag_byte(uint32_t tag, uint32_t i)
{
	return (unsigned char)(tag * 31u + i * 7u + 1u);
}

static void tag_fill(struct slab_cache *c, struct live *l)
{
	USE(l->p, {
		for (uint32_t i = 0; i < c->size; i++)
			l->p[i] = tag_byte(l->tag, i);
	});
}

static int tag_intact(const struct slab_cache *c, const struct live *l)
{
	for (uint32_t i = 0; i < c->size; i++)
		if (l->p[i] != tag_byte(l->tag, i))
			return 0;
	return 1;
}

static int all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != 0)
			return 0;
	return 1;
}

static void init_huge(void)
{
	struct slab_cache c;

	slab_init(&c, "huge", 4090);
}

/* --- cases ---------------------------------------------------------------- */

STEST(layout)
{
	static const size_t sizes[] = { 1, 4, 8, 12, 24, 80, 100, 500, 1000,
		2000, 4000 };

	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		struct slab_cache c;

		slab_init(&c, "layout", sizes[k]);
		CHECK_GE(c.size, sizes[k]);
		CHECK_EQ(c.size % SLAB_ALIGN, 0);
		CHECK_EQ(c.obj_off % SLAB_ALIGN, 0);
		CHECK_GE(c.per_page, 1);
		CHECK_LE(c.obj_off + c.per_page * c.size, SLAB_PAGE);
		/* One more object (its 2 bytes of stack, a live word and
		 * alignment: 16 bytes at most) would not fit. */
		CHECK(c.obj_off + (c.per_page + 1) * c.size + 16 > SLAB_PAGE);
		CHECK_EQ(slab_check(&c), 0);
		slab_fini(&c);
	}
	PANICS(init_huge(), "do not fit a page");
}

STEST(random_against_reference)
{
	static struct live lv[MAX_LIVE];
	static const size_t sizes[] = { 8, 24, 80, 200 };

	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		struct slab_cache c;
		struct slab_stats st;
		uint32_t n = 0, tags = 0, peak = 0;

		rnd_state = 20261122u + (uint32_t)k;
		slab_init(&c, "random", sizes[k]);
		for (int op = 0; op < 60000; op++) {
			/* Grow to a few thousand live objects, then drain. */
			int grow = op < 40000 ? rnd() % 100 < 60
					      : rnd() % 100 < 20;

			if ((grow || n == 0) && n < MAX_LIVE) {
				struct live *l = &lv[n];

				l->p = slab_alloc(&c);
				CHECK(l->p != NULL);
				CHECK_EQ((uintptr_t)l->p % SLAB_ALIGN, 0);
				CHECK(all_zero(l->p, c.size));
				l->tag = ++tags;
				tag_fill(&c, l);
				n++;
			} else {
				uint32_t i = rnd() % n;

				CHECK(tag_intact(&c, &lv[i]));
				slab_free(&c, lv[i].p);
				lv[i] = lv[--n];
			}
			peak = n > peak ? n : peak;
			if (op % 4999 == 0) {
				CHECK_EQ(slab_check(&c), 0);
				for (uint32_t i = 0; i < n; i++)
					CHECK(tag_intact(&c, &lv[i]));
			}
			CHECK_EQ(c.in_use, n);
		}
		CHECK_EQ(slab_check(&c), 0);
		for (uint32_t i = 0; i < n; i++)
			CHECK(tag_intact(&c, &lv[i]));
		CHECK_GE(peak, 2000);
		slab_stats(&c, &st);
		CHECK_EQ(st.in_use, n);
		CHECK_EQ(st.pages, host_self_pages);
		while (n > 0)
			slab_free(&c, lv[--n].p);
		slab_stats(&c, &st);
		CHECK_EQ(st.in_use, 0);
		CHECK_EQ(st.pages, host_self_pages);	/* kept, empty */
		CHECK_EQ(slab_check(&c), 0);
		slab_release_empty(&c);
		CHECK_EQ(host_self_pages, 0);
		CHECK_EQ(c.pages, 0);
		slab_fini(&c);
	}
}

/* Freed objects come back, and no page is taken while some are free. */
STEST(freed_objects_reused)
{
	static struct live lv[3 * SLAB_PAGE / 80];
	static void *freed[3 * SLAB_PAGE / 80];
	struct slab_cache c;
	uint32_t n, nfreed = 0, pages;

	slab_init(&c, "reuse", 80);
	n = 3 * c.per_page;
	for (uint32_t i = 0; i < n; i++) {
		lv[i].p = slab_alloc(&c);
		CHECK(lv[i].p != NULL);
	}
	pages = c.pages;
	CHECK_EQ(pages, 3);
	/* Free all but one of every page, in a scattered order. */
	rnd_state = 7;
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t k = rnd() % (i + 1);
		struct live t = lv[i];

		lv[i] = lv[k];
		lv[k] = t;
	}
	for (uint32_t j = 0; j < n; j++) {
		if (((uintptr_t)lv[j].p & (SLAB_PAGE - 1)) == c.obj_off)
			continue;	/* the first object of its page stays */
		slab_free(&c, lv[j].p);
		freed[nfreed++] = lv[j].p;
	}
	CHECK_EQ(c.pages, pages);
	CHECK_EQ(slab_check(&c), 0);
	for (uint32_t i = 0; i < nfreed; i++) {
		void *p = slab_alloc(&c);
		uint32_t k;

		for (k = 0; k < nfreed && freed[k] != p; k++)
			;
		CHECK(k < nfreed);
		freed[k] = NULL;	/* each once */
		CHECK(all_zero(p, c.size));
	}
	CHECK_EQ(c.pages, pages);
	/* The last one freed is the first handed out again. */
	slab_free(&c, lv[5].p);
	CHECK(slab_alloc(&c) == lv[5].p);
	CHECK_EQ(c.in_use, n);
	CHECK_EQ(slab_check(&c), 0);
	/* Everything allocated again: the live objects are lv[] again. */
	for (uint32_t i = 0; i < n; i++)
		slab_free(&c, lv[i].p);
	slab_release_empty(&c);
	CHECK_EQ(host_self_pages, 0);
	slab_fini(&c);
}

STEST(empty_pages_given_back)
{
	static void *p[10 * SLAB_PAGE / 64];
	struct slab_cache c;
	uint32_t n;

	slab_init(&c, "pages", 64);
	n = 10 * c.per_page;
	for (uint32_t i = 0; i < n; i++)
		p[i] = slab_alloc(&c);
	CHECK_EQ(c.pages, 10);
	CHECK_EQ(host_self_pages, 10);
	for (uint32_t i = 0; i < n; i++)
		slab_free(&c, p[i]);
	/* Empty pages are kept until released, and serve allocations. */
	CHECK_EQ(c.pages, 10);
	CHECK_EQ(slab_check(&c), 0);
	p[0] = slab_alloc(&c);
	CHECK_EQ(host_self_pages, 10);
	slab_release_empty(&c);
	CHECK_EQ(c.pages, 1);
	CHECK_EQ(host_self_pages, 1);
	slab_free(&c, p[0]);
	slab_release_empty(&c);
	CHECK_EQ(c.pages, 0);
	CHECK_EQ(host_self_pages, 0);
	CHECK_EQ(slab_check(&c), 0);
	slab_fini(&c);
}

STEST(one_object_per_page)
{
	struct slab_cache c;
	void *a, *b;

	slab_init(&c, "big", 3000);
	CHECK_EQ(c.per_page, 1);
	a = slab_alloc(&c);
	b = slab_alloc(&c);
	CHECK(a != NULL && b != NULL && a != b);
	CHECK_EQ(c.pages, 2);
	CHECK_EQ(slab_check(&c), 0);
	slab_free(&c, a);
	CHECK_EQ(c.pages, 2);	/* kept */
	slab_release_empty(&c);
	CHECK_EQ(c.pages, 1);
	slab_free(&c, b);
	CHECK_EQ(slab_check(&c), 0);
	slab_release_empty(&c);
	CHECK_EQ(c.pages, 0);
	CHECK_EQ(host_self_pages, 0);
	slab_fini(&c);
}

STEST(out_of_memory)
{
	struct slab_cache c;
	void *p[64];
	uint32_t n = 0;

	slab_init(&c, "oom", 1024);
	while (n < c.per_page)
		p[n++] = slab_alloc(&c);
	host_self_fail = 1;
	CHECK(slab_alloc(&c) == NULL);
	CHECK_EQ(c.in_use, n);
	CHECK_EQ(slab_check(&c), 0);
	p[n] = slab_alloc(&c);	/* memory is back */
	CHECK(p[n] != NULL);
	n++;
	while (n > 0)
		slab_free(&c, p[--n]);
	slab_release_empty(&c);
	CHECK_EQ(host_self_pages, 0);
	slab_fini(&c);
}

STEST(bad_frees_panic)
{
	struct slab_cache a, b;
	char *x, *y;

	slab_init(&a, "a", 40);
	slab_init(&b, "b", 40);
	x = slab_alloc(&a);
	y = slab_alloc(&a);
	PANICS(slab_free(&b, x), "not one of its objects");
	PANICS(slab_free(&a, x + 8), "not at an object");
	slab_free(&a, x);
	PANICS(slab_free(&a, x), "freed twice");
	CHECK_EQ(slab_check(&a), 0);
	PANICS(slab_fini(&a), "1 objects still in use");
	slab_free(&a, y);
	slab_fini(&a);
	slab_fini(&b);
	CHECK_EQ(host_self_pages, 0);
}

STEST(check_all_finds_the_broken_cache)
{
	struct slab_cache a, b;
	const struct slab_cache *which = NULL;
	void *x;

	slab_init(&a, "a", 16);
	slab_init(&b, "b", 16);
	x = slab_alloc(&b);
	CHECK_EQ(slab_check_all(&which), 0);
	b.in_use++;
	CHECK_EQ(slab_check_all(&which), -9);
	CHECK(which == &b);
	b.in_use--;
	slab_free(&b, x);
	slab_fini(&b);
	slab_fini(&a);
	CHECK_EQ(slab_check_all(&which), 0);
	CHECK_EQ(host_self_pages, 0);
}

#ifdef VM_SANITY

STEST(freed_objects_are_junk)
{
	struct slab_cache c;
	unsigned char *p, *q;

	slab_init(&c, "junk", 48);
	p = slab_alloc(&c);
	q = slab_alloc(&c);
	USE(p, { memset(p, 0x11, c.size); });
	slab_free(&c, p);
	for (uint32_t i = 0; i < c.size; i++)
		CHECK_EQ(p[i], SLAB_JUNK);
	CHECK_EQ(slab_check(&c), 0);
	/* A write after free: the check and the next slab_alloc see it. */
	USE(p, { p[13] = 0x42; });
	CHECK_EQ(slab_check(&c), -4);
	PANICS(slab_alloc(&c), "written after it was freed (byte 13 is 0x42");
	slab_free(&c, q);
	slab_fini(&c);
}

/* Runs fn in a child; returns how the child ended: 0 normally, 1 by a
 * SIGSEGV, -1 otherwise. */
static int in_child(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = _exit;	/* _exit(SIGSEGV) */
		sigaction(SIGSEGV, &sa, NULL);
		fn(arg);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status) == 0 ? 0 :
		WEXITSTATUS(status) == SIGSEGV ? 1 : -1;
}

static void write_bare(void *p)
{
	*(volatile char *)p = 1;
}

static void write_in_use(void *p)
{
	USE(p, { *(volatile char *)p = 1; });
}

/* The inner section must not close the page the outer one still uses. */
static void write_nested(void *p)
{
	char *c = p;

	USE(c, {
		USE(c + 8, { c[8] = 2; });
		c[0] = 1;
	});
}

static void write_after_use(void *p)
{
	USE(p, { *(volatile char *)p = 1; });
	*(volatile char *)p = 2;
}

STEST(writes_outside_use_fault)
{
	struct slab_cache c;
	void *p;

	slab_init(&c, "protect", 32);
	p = slab_alloc(&c);
	CHECK_EQ(in_child(write_bare, p), 1);
	CHECK_EQ(in_child(write_in_use, p), 0);
	CHECK_EQ(in_child(write_nested, p), 0);
	CHECK_EQ(in_child(write_after_use, p), 1);
	/* Memory outside slab pages: USE does nothing, writes go through. */
	{
		char local[8];

		USE(local, { local[0] = 'x'; });
		CHECK_EQ(local[0], 'x');
	}
	slab_check_closed();
	slab_free(&c, p);
	slab_fini(&c);
}

STEST(section_left_open_is_reported)
{
	struct slab_cache c;
	void *p;

	slab_init(&c, "open", 32);
	p = slab_alloc(&c);
	use_begin(p);		/* as a return out of USE would leave it */
	PANICS(slab_check_closed(), "still open for writing");
	use_end(p);
	slab_check_closed();
	CHECK_EQ(in_child(write_bare, p), 1);
	/* Freeing the last object of a page inside a USE of it. */
	USE(p, { slab_free(&c, p); slab_release_empty(&c); });
	slab_check_closed();
	CHECK_EQ(host_self_pages, 0);
	slab_fini(&c);
}

#endif /* VM_SANITY */

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}

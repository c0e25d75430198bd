/*
 * The pool of pre-zeroed frames (vm/zeropool.c, frame.c): the stack
 * itself; filling, taking, emptying; its frames counted as free memory
 * and given back under pressure; the idle notification asked for once;
 * a freed frame with data in it never handed out unzeroed; VM_ZEROPOOL.
 */
#include "check.h"
#include "tests/host/vm_space.h"
#include "vm/info.h"

static int frame_is_zero(phys_bytes pa)
{
	const uint8_t *p = phys_ptr(pa);

	for (uint32_t i = 0; i < PG; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

static struct frame_pool_stats pool_now(void)
{
	struct frame_pool_stats st;

	frame_pool_stats(&st);
	return st;
}

TEST(vm_pool, stack_put_take_and_limit)
{
	struct zeropool zp;

	zeropool_init(&zp, 3);
	CHECK_EQ(zeropool_missing(&zp), 3);
	CHECK_EQ(zeropool_take(&zp, 0), 0);
	CHECK(zeropool_put(&zp, 5 * MiB));
	CHECK(zeropool_put(&zp, 2 * MiB));
	CHECK(zeropool_put(&zp, 6 * MiB));
	/* Full: the fourth is refused, nothing kept. */
	CHECK(!zeropool_put(&zp, 7 * MiB));
	CHECK_EQ(zp.n, 3);
	CHECK_EQ(zeropool_missing(&zp), 0);
	CHECK_EQ(zeropool_count_below(&zp, 4 * MiB), 1);
	/* Below a limit: only the one frame that fits. */
	CHECK_EQ_U(zeropool_take(&zp, 4 * MiB), 2 * MiB);
	CHECK_EQ(zeropool_take(&zp, 4 * MiB), 0);
	CHECK_EQ(zp.n, 2);
	/* Any: the rest, each once. */
	phys_bytes a = zeropool_take(&zp, 0), b = zeropool_take(&zp, 0);
	CHECK((a == 5 * MiB && b == 6 * MiB) || (a == 6 * MiB && b == 5 * MiB));
	CHECK_EQ(zeropool_take(&zp, 0), 0);
	/* The target is clipped to the array. */
	zeropool_init(&zp, ZEROPOOL_MAX + 10);
	CHECK_EQ(zp.target, ZEROPOOL_MAX);
}

TEST(vm_pool, fill_zeroes_and_free_count_stays)
{
	uint32_t before;

	boot_vm();
	before = free_now();
	CHECK_EQ(pool_now().pooled, 0);
	/* RAM is 0x77 everywhere: every pooled frame must have been
	 * zeroed by the fill. */
	CHECK_EQ(frame_pool_fill(10), 10);
	CHECK_EQ(pool_now().pooled, 10);
	CHECK_EQ(pool_now().zeroed, 10);
	CHECK_EQ(free_now(), before);
	/* Never past the target. */
	CHECK_EQ(frame_pool_fill(1000), FRAME_POOL_TARGET - 10);
	CHECK_EQ(frame_pool_fill(1), 0);
	CHECK_EQ(pool_now().pooled, FRAME_POOL_TARGET);
	CHECK_EQ(free_now(), before);
	/* Emptied: all back in pmem, the count the same. */
	CHECK_EQ(frame_pool_drain(), FRAME_POOL_TARGET);
	CHECK_EQ(pool_now().pooled, 0);
	CHECK_EQ(free_now(), before);
	CHECK_EQ(frame_check(), 0);
}

TEST(vm_pool, alloc_takes_a_zeroed_frame_from_the_pool)
{
	phys_bytes pa;

	boot_vm();
	CHECK_EQ(frame_pool_fill(4), 4);
	pa = frame_alloc(PMEM_USER);
	CHECK(pa != 0);
	CHECK(frame_is_zero(pa));
	CHECK_EQ(pool_now().pooled, 3);
	CHECK_EQ(pool_now().taken, 1);
	CHECK_EQ(pool_now().empty, 0);
	CHECK(!frame_is_free(pa));
	CHECK_EQ(free_now(), boot_stats.free - 1);
	/* A dirty allocation leaves the pool alone while pmem has frames. */
	phys_bytes d = frame_alloc_dirty(PMEM_USER);
	CHECK(d != 0);
	CHECK_EQ(pool_now().pooled, 3);
	frame_free(d);
	frame_free(pa);
	CHECK_EQ(free_now(), boot_stats.free);
	/* Empty pool: the frame is zeroed on the spot (the fallback). */
	frame_pool_drain();
	pa = frame_alloc(PMEM_USER);
	CHECK(pa != 0);
	CHECK(frame_is_zero(pa));
	CHECK_EQ(pool_now().empty, 1);
	frame_free(pa);
	CHECK_EQ(free_now(), boot_stats.free);
}

/* Isolation: a frame freed with data in it goes back to pmem, and the
 * pool zeroes what it takes; whatever the order, no allocation that
 * promises zero hands out old data. */
TEST(vm_pool, freed_data_never_comes_back_unzeroed)
{
	phys_bytes got[16];

	boot_vm();
	for (int i = 0; i < 16; i++) {
		got[i] = frame_alloc_dirty(PMEM_USER);
		CHECK(got[i] != 0);
		memset(phys_ptr(got[i]), 0xa5, PG);
	}
	for (int i = 0; i < 16; i++)
		frame_free(got[i]);
	/* The fill takes the lowest free frames: the ones just freed. */
	CHECK_EQ(frame_pool_fill(16), 16);
	for (int i = 0; i < 32; i++) {
		phys_bytes pa = frame_alloc(PMEM_USER);

		CHECK(pa != 0);
		if (!frame_is_zero(pa))
			FAILF("allocation %d: frame 0x%x has old data", i, pa);
		memset(phys_ptr(pa), 0x5a, PG);
		frame_free(pa);
	}
	CHECK_EQ(free_now(), boot_stats.free);
}

/* Memory runs out: the pool's frames are free memory and go to whoever
 * needs one, dirty or zeroed, before anything fails. */
TEST(vm_pool, pressure_takes_pool_frames_first)
{
	static phys_bytes got[4096];
	uint32_t n = 0, free0;

	boot_vm();
	free0 = free_now();
	CHECK_EQ(frame_pool_fill(FRAME_POOL_TARGET), FRAME_POOL_TARGET);
	while ((got[n] = frame_alloc_dirty(PMEM_USER)) != 0) {
		n++;
		CHECK(n < 4096);
	}
	/* Every ordinary frame, the pool's included: the same number as
	 * without a pool (free0 less the low zone's reserve). */
	CHECK_EQ(n, free0 - PMEM_RESERVE_DEFAULT);
	CHECK_EQ(pool_now().pooled, 0);
	CHECK_EQ(pool_now().given, FRAME_POOL_TARGET);
	CHECK_EQ(frame_alloc(PMEM_USER), 0);
	/* Nothing to refill with: the pool stays empty, nothing lost. */
	CHECK_EQ(frame_pool_fill(8), 0);
	while (n)
		frame_free(got[--n]);
	CHECK_EQ(free_now(), free0);
	CHECK_EQ(frame_check(), 0);
}

/* Every frame taken (the pool empty), into got; how many. */
static uint32_t take_all(phys_bytes *got, uint32_t max)
{
	uint32_t n = 0;

	frame_pool_drain();
	while (n < max && (got[n] = frame_alloc_dirty(PMEM_USER)) != 0)
		n++;
	CHECK(n < max);
	return n;
}

/* A fault that would run out of memory still gets its page out of the
 * pool, zeroed; the process sees zero memory. */
TEST(vm_pool, fault_under_pressure_uses_the_pool)
{
	struct vmproc *vmp = boot_one("utest");
	static phys_bytes got[4096];
	uint32_t n;
	vir_bytes va = USER_STACK_TOP - 0x2000;

	/* The stack's table exists already: the fault needs one frame, and
	 * the pool holds the only one. */
	n = take_all(got, 4096);
	memset(phys_ptr(got[n - 1]), 0xa5, PG);
	frame_free(got[--n]);
	CHECK_EQ(frame_pool_fill(1), 1);
	pagefault(vmp, va, 0x6);
	CHECK_EQ(k.exits, 0);
	CHECK_EQ(k.clears, 1);
	CHECK(frame_is_zero(frame_of(vmp, va)));
	CHECK_EQ(pool_now().pooled, 0);
	/* And then there is nothing: the next fault is out of memory. */
	CHECK_EQ(fault_make_present(vmp, va - PG, 1, &tb), ENOMEM);
	while (n)
		frame_free(got[--n]);
	exit_and_check(vmp);
}

static uint32_t low_pooled;

static void count_low(phys_bytes pa)
{
	low_pooled += pa < MAPPED_END;
}

/* Page tables need low frames: a pool of high ones does not serve them,
 * and does not make them fail either. */
TEST(vm_pool, page_tables_only_take_low_pool_frames)
{
	phys_bytes pt;

	boot_vm();
	CHECK_EQ(frame_pool_fill(4), 4);
	low_pooled = 0;
	frame_pool_walk(count_low);
	CHECK_EQ(low_pooled, 0);
	pt = frame_alloc(PMEM_PT);
	CHECK(pt != 0 && pt < MAPPED_END);
	CHECK(frame_is_zero(pt));
	CHECK_EQ(pool_now().pooled, 4);
	frame_free(pt);
	CHECK_EQ(free_now(), boot_stats.free);
}

/* A contiguous run that only the pool's frames could make: the pool is
 * emptied into pmem and the run found. */
TEST(vm_pool, contiguous_run_empties_the_pool)
{
	static phys_bytes got[4096];
	uint32_t n;
	phys_bytes run;

	boot_vm();
	n = take_all(got, 4096);
	/* High memory comes first, in order: got[0..63] is one stretch,
	 * which goes into the pool. */
	CHECK(got[0] >= MAPPED_END);
	CHECK_EQ_U(got[FRAME_POOL_TARGET - 1], got[0] +
		(FRAME_POOL_TARGET - 1) * PG);
	for (uint32_t i = 0; i < FRAME_POOL_TARGET; i++)
		frame_free(got[i]);
	CHECK_EQ(frame_pool_fill(FRAME_POOL_TARGET), FRAME_POOL_TARGET);
	run = frame_alloc_run(32, 1, 0);
	CHECK(run != 0);
	CHECK_EQ(pool_now().pooled, 0);
	CHECK(frame_is_zero(run));
	for (uint32_t i = 0; i < 32; i++)
		frame_free(run + i * PG);
	for (uint32_t i = FRAME_POOL_TARGET; i < n; i++)
		frame_free(got[i]);
	CHECK_EQ(free_now(), boot_stats.free);
	CHECK_EQ(frame_check(), 0);
}

/* The idle notification: asked for once while the pool is short (with
 * the fault's CLEAR_PAGEFAULT), not again until it came; when it comes,
 * one batch is zeroed. */
TEST(vm_pool, idle_notification_asked_once)
{
	struct vmproc *vmp = boot_one("utest");
	vir_bytes va = USER_STACK_TOP - 0x3000;

	frame_pool_fill(FRAME_POOL_TARGET);
	CHECK_EQ(frame_pool_want_idle(), 0);	/* full: nothing to ask */
	pagefault(vmp, va, 0x6);
	CHECK_EQ(k.clear_flags, VMCTL_CLEAR_IDLE);
	pagefault(vmp, va - PG, 0x6);
	CHECK_EQ(k.clear_flags, 0);		/* asked already */
	CHECK_EQ(frame_pool_want_idle(), 0);
	CHECK_EQ(pool_now().pooled, FRAME_POOL_TARGET - 2);
	/* The notification: the two frames back, then nothing more to
	 * ask for. */
	CHECK_EQ(frame_pool_idle(), 2);
	CHECK_EQ(frame_pool_want_idle(), 0);
	/* Emptied: one batch per notification, asked for again after. */
	frame_pool_drain();
	CHECK_EQ(frame_pool_want_idle(), 1);
	CHECK_EQ(frame_pool_idle(), FRAME_POOL_BATCH);
	CHECK_EQ(frame_pool_want_idle(), 1);
	/* A failed CLEAR_PAGEFAULT: asked again next time. */
	frame_pool_idle_lost();
	CHECK_EQ(frame_pool_want_idle(), 1);
	exit_and_check(vmp);
}

static const struct mess_reply *zeropool_rq(endpoint_t from, uint32_t op,
	uint32_t count)
{
	message m = { 0 };

	m.m_type = VM_ZEROPOOL;
	m.u.vm_zeropool = (struct vm_zeropool){ op, count };
	return vm_request(from, &m, zeropool_request);
}

TEST(vm_pool, zeropool_request_rights_and_counts)
{
	struct vmproc *vmp = boot_one("utest");
	const struct mess_reply *r;

	/* Anyone may read the figures; only a benchmark program may empty
	 * or fill the pool. */
	frame_pool_fill(5);
	r = zeropool_rq(vmp->ep, ZP_STATS, 0);
	CHECK_EQ(r->status, OK);
	CHECK_EQ(r->value[ZPS_POOLED], 5);
	CHECK_EQ(r->value[ZPS_TARGET], FRAME_POOL_TARGET);
	CHECK_EQ(r->value[ZPS_ZEROED], 5);
	CHECK_EQ(zeropool_rq(vmp->ep, ZP_DRAIN, 0)->status, EPERM);
	CHECK_EQ(zeropool_rq(vmp->ep, ZP_FILL, 1)->status, EPERM);
	CHECK_EQ(zeropool_rq(make_endpoint(7, 9), ZP_FILL, 1)->status, EPERM);
	CHECK_EQ(zeropool_rq(vmp->ep, 3, 0)->status, EINVAL);
	CHECK_EQ(zeropool_rq(vmp->ep, 0xffffffffu, 0)->status, EINVAL);
	CHECK_EQ(pool_now().pooled, 5);
	exit_and_check(vmp);

	vmp = boot_one("ubench role=main");
	frame_pool_fill(5);
	r = zeropool_rq(vmp->ep, ZP_DRAIN, 0);
	CHECK_EQ(r->status, OK);
	CHECK_EQ(r->value[0], 5);
	CHECK_EQ(zeropool_rq(vmp->ep, ZP_FILL, 0)->status, EINVAL);
	CHECK_EQ(zeropool_rq(vmp->ep, ZP_FILL, ZP_FILL_MAX + 1)->status,
		E2BIG);
	CHECK_EQ(zeropool_rq(vmp->ep, ZP_FILL, 0xffffffffu)->status, E2BIG);
	CHECK_EQ(pool_now().pooled, 0);
	r = zeropool_rq(vmp->ep, ZP_FILL, 7);
	CHECK_EQ(r->status, OK);
	CHECK_EQ(r->value[0], 7);
	CHECK_EQ(pool_now().pooled, 7);
	exit_and_check(vmp);
}

/* The sanity build's owner map knows the pool's frames: they are not
 * free in pmem, so each must be marked, once, as VM's. */
TEST(vm_pool, sanity_marks_pool_frames)
{
	struct vmproc *vmp = boot_one("utest");
	uint32_t before = sanity_check_all();

	CHECK_EQ(frame_pool_fill(9), 9);
	CHECK_EQ(sanity_check_all(), before + 9);
	pagefault(vmp, USER_STACK_TOP - 0x2000, 0x6);
	/* One frame went from the pool to the process: the same count. */
	CHECK_EQ(sanity_check_all(), before + 9);
	exit_and_check(vmp);
}

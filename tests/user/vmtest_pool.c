/*
 * vmtest: VM's pool of pre-zeroed frames, from main (the boot's driver,
 * which alone may empty and fill it: VM_ZEROPOOL's ZP_DRAIN and ZP_FILL
 * need VMP_BENCH). The pool's frames are free memory to every count; a
 * fault with the pool empty still gets a zero page; a process never sees
 * what another left in memory it freed, whether the frame comes back
 * through the pool or is zeroed on the spot; and with two CPUs, the pool
 * fills again by itself when VM's CPU has nothing to do.
 */
#include <stdint.h>
#include <sys/mman.h>
#include "cairn/syslib.h"
#include "cairn/urecord.h"
#include "cairn/vmlib.h"
#include "tests/user/vmtest.h"

#define LEAK_TAG	0x5ec7e7u	/* what the first process leaves */
#define LEAK_PAGES	128u

static uint32_t pool_stat(int which)
{
	uint32_t v[VM_ZEROPOOL_COUNT];

	return vm_zeropool(ZP_STATS, 0, v) == OK ? v[which] : 0xffffffffu;
}

/* A child: the pool's requests that need VMP_BENCH, which fork does not
 * pass on. */
static int child_pool_rights(void *arg)
{
	(void)arg;
	if (vm_zeropool(ZP_DRAIN, 0, NULL) != EPERM)
		return 1;
	if (vm_zeropool(ZP_FILL, 1, NULL) != EPERM)
		return 2;
	if (vm_zeropool(ZP_STATS, 0, NULL) != OK)
		return 3;
	return 0;
}

/* A child: n fresh pages read as zero, then keep what is written. */
static int child_zero_pages(void *arg)
{
	uint32_t len = (uint32_t)(uintptr_t)arg * PAGE;
	uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_ANON);

	if (p == MAP_FAILED)
		return 1;
	if (!vt_all_zero(p, len))
		return 2;
	vt_fill(p, len, 0x2e60u);
	if (!vt_filled(p, len, 0x2e60u))
		return 3;
	return 0;
}

/* A child: a pattern in every word of LEAK_PAGES pages, left there when
 * it exits (its frames go back to free memory as they are). */
static int child_leave_data(void *arg)
{
	uint32_t len = LEAK_PAGES * PAGE;
	uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_ANON);

	(void)arg;
	if (p == MAP_FAILED)
		return 1;
	vt_fill(p, len, LEAK_TAG);
	return vt_filled(p, len, LEAK_TAG) ? 0 : 2;
}

/* A child on the last CPU: VM's CPU has nothing else to do between its
 * requests, so the pool, emptied, must fill up again. It asks how full
 * it is (each a request VM serves); at most 1000 times. */
static int child_watch_refill(void *arg)
{
	uint32_t target = (uint32_t)(uintptr_t)arg;

	if (sys_setcpu(SELF, vt_info.cpus - 1) != OK)
		return 1;
	for (int i = 0; i < 1000; i++)
		if (pool_stat(ZPS_POOLED) == target)
			return 0;
	return 2;
}

void vt_test_pool_main(void)
{
	uint32_t v[VM_ZEROPOOL_COUNT], free0, target, empty0;
	int r, st;

	r = vm_zeropool(ZP_STATS, 0, v);
	target = v[ZPS_TARGET];
	utest_result("vm.pool.stats", r == OK && target > 0 &&
		target <= ZP_FILL_MAX && v[ZPS_POOLED] <= target,
		"status %d: %u of %u frames pooled, %u taken, %u found it "
		"empty, %u zeroed, %u given back", r, v[ZPS_POOLED], target,
		v[ZPS_TAKEN], v[ZPS_EMPTY], v[ZPS_ZEROED], v[ZPS_GIVEN]);
	if (r != OK)
		return;

	/* Filling and emptying moves frames between the pool and pmem:
	 * free memory stays what it was. */
	free0 = vt_stat1(VMS_FREE);
	r = vm_zeropool(ZP_FILL, ZP_FILL_MAX, v);
	utest_result("vm.pool.fill_keeps_free_count", r == OK &&
		pool_stat(ZPS_POOLED) == target && vt_stat1(VMS_FREE) == free0,
		"fill: %d (%u zeroed), pool %u of %u, free %u (was %u)", r,
		v[0], pool_stat(ZPS_POOLED), target, vt_stat1(VMS_FREE), free0);
	r = vm_zeropool(ZP_DRAIN, 0, v);
	utest_result("vm.pool.drain_keeps_free_count", r == OK &&
		v[0] == target && pool_stat(ZPS_POOLED) == 0 &&
		vt_stat1(VMS_FREE) == free0, "drain: %d (%u frames), pool %u, "
		"free %u (was %u)", r, v[0], pool_stat(ZPS_POOLED),
		vt_stat1(VMS_FREE), free0);
	vt_expect("vm.pool.fill_zero", vm_zeropool(ZP_FILL, 0, NULL), EINVAL);
	vt_expect("vm.pool.fill_past_max", vm_zeropool(ZP_FILL,
		ZP_FILL_MAX + 1, NULL), E2BIG);
	vt_expect("vm.pool.fill_huge", vm_zeropool(ZP_FILL, 0xffffffffu,
		NULL), E2BIG);
	vt_expect("vm.pool.bad_op", vm_zeropool(7, 0, NULL), EINVAL);
	r = vt_in_child(child_pool_rights, NULL, &st);
	utest_result("vm.pool.rights_not_inherited", r == OK && st == 0,
		"child status %d (wait %d): 1/2 drain/fill allowed, 3 stats "
		"refused", st, r);

	/* Pool empty: three pools' worth of faults, each zeroes its frame
	 * on the spot. */
	vm_zeropool(ZP_DRAIN, 0, NULL);
	empty0 = pool_stat(ZPS_EMPTY);
	r = vt_in_child(child_zero_pages, (void *)(uintptr_t)(3 * target), &st);
	utest_result("vm.pool.empty_still_zero", r == OK && st == 0,
		"%u fresh pages with the pool emptied: child status %d (wait "
		"%d; 2: not zero); %u allocations found the pool empty",
		3 * target, st, r, pool_stat(ZPS_EMPTY) - empty0);

	/* Isolation: what one process leaves in its frames, the next never
	 * sees: neither through the pool (filled right after, from the
	 * lowest free frames, the ones just freed) nor past it. */
	r = vt_in_child(child_leave_data, NULL, &st);
	utest_result("vm.pool.leak.writer", r == OK && st == 0, "a child "
		"wrote %u pages and exited: status %d (wait %d)", LEAK_PAGES,
		st, r);
	vm_zeropool(ZP_DRAIN, 0, NULL);
	r = vm_zeropool(ZP_FILL, ZP_FILL_MAX, v);
	utest_result("vm.pool.leak.refilled", r == OK && v[0] == target,
		"the pool refilled with %u frames (%d)", v[0], r);
	r = vt_in_child(child_zero_pages, (void *)(uintptr_t)(2 * LEAK_PAGES),
		&st);
	utest_result("vm.pool.leak.reader_sees_zero", r == OK && st == 0,
		"another child faulted %u pages: status %d (wait %d; 2: "
		"something not zero)", 2 * LEAK_PAGES, st, r);

	/* The refill when the CPU idles: only with a CPU for the watcher
	 * besides VM's. */
	if (vt_info.cpus < 2)
		return;
	vm_zeropool(ZP_DRAIN, 0, NULL);
	r = vt_in_child(child_watch_refill, (void *)(uintptr_t)target, &st);
	utest_result("vm.pool.idle_refill", r == OK && st == 0, "pool "
		"emptied, then a child on CPU %u asked how full it is: status "
		"%d (wait %d; 2: not refilled after 1000 requests), pool %u "
		"of %u", vt_info.cpus - 1, st, r, pool_stat(ZPS_POOLED),
		target);
}

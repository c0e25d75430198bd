/*
 * vmtest: the memory types and the calls on them, one process alone:
 * anonymous memory (zero fill, lazy, MAP_PREALLOC, read-only), physically
 * contiguous memory, a physical range (the BIOS ROM), MAP_FIXED, partial
 * unmaps, and the arguments VM must refuse.
 */
#include <stdint.h>
#include <sys/mman.h>
#include "cairn/urecord.h"
#include "cairn/vmlib.h"
#include "tests/user/vmtest.h"

#define ID_UNKNOWN	0x7777777	/* a block-cache id no test uses */

void vt_test_stats(void)
{
	uint32_t v[VM_STATS_COUNT];
	int r = vt_stats(v);

	utest_result("vm.stats", r == OK && v[VMS_TOTAL] > 0 &&
		v[VMS_FREE] <= v[VMS_TOTAL] && v[VMS_REGIONS] >= 3,
		"status %d: %u of %u pages free, %u regions, %u faults, %u "
		"cached, %u forgotten", r, v[VMS_FREE], v[VMS_TOTAL],
		v[VMS_REGIONS], v[VMS_FAULTS], v[VMS_CACHED],
		v[VMS_FORGOTTEN]);
}

void vt_test_anon(void)
{
	const uint32_t len = 8 * PAGE, big = 64 * PAGE;
	uint32_t free0, n;
	uint8_t *p, *q;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_ANON);
	utest_result("vm.anon.map", p != MAP_FAILED, "8 pages at 0x%x (%d)",
		(uint32_t)(uintptr_t)p, vm_errno);
	if (p == MAP_FAILED)
		return;
	n = vt_faults_touching(p, len, 0);
	utest_result("vm.anon.faults_counted", n >= len / PAGE,
		"reading 8 fresh pages: %u faults served", n);
	utest_result("vm.anon.zero_fill", vt_all_zero(p, len), "8 pages read 0");
	vt_fill(p, len, 0xa0a0);
	utest_result("vm.anon.write_read", vt_filled(p, len, 0xa0a0),
		"a pattern in every word reads back");
	vt_expect("vm.anon.munmap", munmap(p, len), OK);

	free0 = vt_stat1(VMS_FREE);
	p = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_ANON);
	n = free0 - vt_stat1(VMS_FREE);
	utest_result("vm.anon.lazy", p != MAP_FAILED && n < big / PAGE,
		"64 untouched pages took %u free pages (%d)", n, vm_errno);
	if (p != MAP_FAILED)
		munmap(p, big);

	free0 = vt_stat1(VMS_FREE);
	q = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PREALLOC);
	n = free0 - vt_stat1(VMS_FREE);
	utest_result("vm.anon.prealloc_present", q != MAP_FAILED &&
		n >= big / PAGE, "MAP_PREALLOC of 64 pages took %u free pages "
		"(%d)", n, vm_errno);
	if (q == MAP_FAILED)
		return;
	n = vt_faults_touching(q, big, 1);
	utest_result("vm.anon.prealloc_no_faults", n < big / PAGE,
		"writing its 64 pages: %u faults", n);
	for (uint32_t off = 0; off < big; off += PAGE)
		q[off] = 0;	/* what vt_faults_touching wrote */
	utest_result("vm.anon.prealloc_zeroed", vt_all_zero(q, big),
		"64 preallocated pages read 0");
	free0 = vt_stat1(VMS_FREE);
	vt_expect("vm.munmap.prealloc", munmap(q, big), OK);
	n = vt_stat1(VMS_FREE) - free0;
	utest_result("vm.munmap.frees_frames", n >= big / PAGE,
		"unmapping 64 present pages freed %u pages", n);

	p = mmap(NULL, PAGE, PROT_READ, MAP_ANON);
	utest_result("vm.anon.read_only_map", p != MAP_FAILED &&
		vt_all_zero(p, PAGE), "a read-only page at 0x%x reads 0 (%d)",
		(uint32_t)(uintptr_t)p, vm_errno);
	if (p != MAP_FAILED) {
		vt_expect_killed("vm.anon.read_only_write_faults", vt_child_write, p,
			EFAULT, "a write to a read-only anonymous page");
		munmap(p, PAGE);
	}
}

void vt_test_contig(void)
{
	const uint32_t len = 16 * PAGE;
	uint32_t free0, n;
	void *p;
	int r;

	free0 = vt_stat1(VMS_FREE);
	r = vm_mmap_contig(len, 64 * 1024, 0, &p);
	n = free0 - vt_stat1(VMS_FREE);
	utest_result("vm.contig.map", r == OK, "16 pages, 64 KiB aligned, at "
		"0x%x: %d", r == OK ? (uint32_t)(uintptr_t)p : 0, r);
	if (r != OK)
		return;
	utest_result("vm.contig.present_at_once", n >= len / PAGE,
		"mapping took %u free pages", n);
	n = vt_faults_touching(p, len, 0);
	utest_result("vm.contig.no_faults", n < len / PAGE,
		"reading its 16 pages: %u faults", n);
	utest_result("vm.contig.zeroed", vt_all_zero(p, len), "16 pages read 0");
	vt_fill(p, len, 0xc0c0);
	utest_result("vm.contig.write_read", vt_filled(p, len, 0xc0c0),
		"a pattern reads back");
	free0 = vt_stat1(VMS_FREE);
	vt_expect("vm.contig.munmap", munmap(p, len), OK);
	n = vt_stat1(VMS_FREE) - free0;
	utest_result("vm.contig.freed", n >= len / PAGE,
		"unmapping freed %u pages", n);

	r = vm_mmap_contig(len, 0, MAP_LOWER16M, &p);
	utest_result("vm.contig.lower16m", r == OK, "16 pages below 16 MiB "
		"at 0x%x: %d", r == OK ? (uint32_t)(uintptr_t)p : 0, r);
	if (r == OK) {
		vt_fill(p, len, 0x1616);
		utest_result("vm.contig.lower16m_write_read",
			vt_filled(p, len, 0x1616), "a pattern reads back");
		munmap(p, len);
	}
	/* More than 16 MiB cannot all be below 16 MiB. */
	vt_expect("vm.contig.lower16m_too_big", vm_mmap_contig(17 * MIB, 0,
		MAP_LOWER16M, &p), ENOMEM);
	vt_expect("vm.contig.bad_align", vm_mmap_contig(len, 3 * PAGE, 0, &p),
		EINVAL);
}

/* The BIOS ROM at 0xF0000 is no RAM VM hands out. Every PC BIOS has its
 * reset vector at 0xFFFF0, a far jump (0xEA), and its date as "mm/dd/yy"
 * at 0xFFFF5. */
#define BIOS_BASE	0xf0000u
#define BIOS_LEN	0x10000u
/* With the vmtest boots' 64 MiB, 32 MiB is RAM that VM manages. */
#define VM_RAM		0x2000000u
#define KERNEL_IMAGE	0x100000u	/* where the loader puts the kernel */
#define LOW_RAM		0x8000u		/* conventional memory, not VM's */

void vt_test_phys(void)
{
	volatile uint8_t *b;
	void *p;
	int r;

	r = vm_mmap_phys(BIOS_BASE, BIOS_LEN, PROT_READ, 0, &p);
	utest_result("vm.phys.map_bios", r == OK, "0x%x bytes of physical "
		"0x%x at 0x%x: %d", BIOS_LEN, BIOS_BASE,
		r == OK ? (uint32_t)(uintptr_t)p : 0, r);
	if (r == OK) {
		b = (volatile uint8_t *)p + 0xfff0;
		utest_result("vm.phys.bios_contents", b[0] == 0xea &&
			b[7] == '/' && b[10] == '/', "reset vector byte 0x%02x "
			"(0xea expected), date '%c%c%c%c%c%c%c%c'", b[0], b[5],
			b[6], b[7], b[8], b[9], b[10], b[11], b[12]);
		vt_expect_killed("vm.phys.read_only_write_faults", vt_child_write,
			(uint8_t *)p + 0x8000, EFAULT,
			"a write to a read-only physical mapping");
		vt_expect("vm.phys.munmap", munmap(p, BIOS_LEN), OK);
	}
	r = vm_mmap_phys(VM_RAM, PAGE, PROT_READ | PROT_WRITE, 0, &p);
	if (r == OK)
		munmap(p, PAGE);
	vt_expect("vm.phys.vm_memory_refused", r, EPERM);
	/* Nor any other RAM, even for a driver: the kernel's image (loaded
	 * at 1 MiB), the first MiB that the kernel keeps. */
	r = vm_mmap_phys(KERNEL_IMAGE, PAGE, PROT_READ | PROT_WRITE, 0, &p);
	if (r == OK)
		munmap(p, PAGE);
	vt_expect("vm.phys.kernel_image_refused", r, EPERM);
	r = vm_mmap_phys(LOW_RAM, PAGE, PROT_READ, 0, &p);
	if (r == OK)
		munmap(p, PAGE);
	vt_expect("vm.phys.low_ram_refused", r, EPERM);
	vt_expect("vm.phys.wraps", vm_mmap_phys(0xfffff000u, 2 * PAGE,
		PROT_READ, 0, &p), EINVAL);
	vt_expect("vm.phys.unaligned", vm_mmap_phys(BIOS_BASE + 12, PAGE,
		PROT_READ, 0, &p), EINVAL);
}

/* MAP_FIXED maps exactly where asked, replacing what is there. */
void vt_test_fixed(void)
{
	uint8_t *p, *q;

	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	if (p == MAP_FAILED) {
		vt_expect("vm.fixed.replaces", vm_errno, OK);
		return;
	}
	*vt_word(p, 0, 0) = 0x44;
	*vt_word(p, 1, 0) = 0x45;
	q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_ANON | MAP_FIXED);
	utest_result("vm.fixed.exact", q == p + PAGE, "asked 0x%x, got 0x%x "
		"(%d)", (uint32_t)(uintptr_t)(p + PAGE),
		(uint32_t)(uintptr_t)q, vm_errno);
	utest_result("vm.fixed.replaces", q == p + PAGE && *vt_word(p, 1, 0) == 0
		&& *vt_word(p, 0, 0) == 0x44, "the replaced page reads 0x%x (0 "
		"expected), the one before 0x%x", *vt_word(p, 1, 0),
		*vt_word(p, 0, 0));
	vt_expect("vm.fixed.munmap", munmap(p, 4 * PAGE), OK);
	q = mmap(p + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE,
		MAP_ANON | MAP_FIXED);
	utest_result("vm.fixed.free_place", q == p + 2 * PAGE &&
		vt_all_zero(q, PAGE), "asked 0x%x, got 0x%x (%d)",
		(uint32_t)(uintptr_t)(p + 2 * PAGE), (uint32_t)(uintptr_t)q,
		vm_errno);
	if (q != MAP_FAILED)
		munmap(q, PAGE);
}

/* Unmapping the middle page of three cuts the region in two. */
void vt_test_munmap_split(void)
{
	uint32_t regions0, regions1, regions2;
	uint8_t *p;

	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	if (p == MAP_FAILED) {
		vt_expect("vm.munmap.middle", vm_errno, OK);
		return;
	}
	for (uint32_t i = 0; i < 3; i++)
		*vt_word(p, i, 0) = 0x11 * (i + 1);
	regions0 = vt_stat1(VMS_REGIONS);
	vt_expect("vm.munmap.middle", munmap(p + PAGE, PAGE), OK);
	regions1 = vt_stat1(VMS_REGIONS);
	utest_result("vm.munmap.split_regions", regions1 == regions0 + 1,
		"regions %u before, %u after", regions0, regions1);
	utest_result("vm.munmap.ends_intact", *vt_word(p, 0, 0) == 0x11 &&
		*vt_word(p, 2, 0) == 0x33, "first page 0x%x, last 0x%x",
		*vt_word(p, 0, 0), *vt_word(p, 2, 0));
	vt_expect_killed("vm.munmap.middle_faults", vt_child_read, p + PAGE, EFAULT,
		"a read of the unmapped middle page");
	vt_expect("vm.munmap.across_hole", munmap(p, 3 * PAGE), OK);
	regions2 = vt_stat1(VMS_REGIONS);
	utest_result("vm.munmap.both_pieces_gone", regions2 == regions0 - 1,
		"regions %u with the mapping, %u after", regions0, regions2);
	vt_expect("vm.munmap.unmapped_ok", munmap(p, 3 * PAGE), OK);
}

void vt_test_bad_arguments(void)
{
	void *p;

	mmap(NULL, 0, PROT_READ, MAP_ANON);
	vt_expect("vm.bad.mmap_zero_length", vm_errno, EINVAL);
	mmap((void *)0x20000123, PAGE, PROT_READ, MAP_ANON | MAP_FIXED);
	vt_expect("vm.bad.mmap_fixed_unaligned", vm_errno, EINVAL);
	mmap((void *)0xffffe000, 4 * PAGE, PROT_READ, MAP_ANON | MAP_FIXED);
	vt_expect("vm.bad.mmap_wraps", vm_errno, EINVAL);
	mmap(NULL, 0xffffffffu, PROT_READ, MAP_ANON);
	vt_expect("vm.bad.mmap_length_wraps", vm_errno, EINVAL);
	mmap((void *)0xf0000000, PAGE, PROT_READ, MAP_ANON | MAP_FIXED);
	vt_expect("vm.bad.mmap_kernel_part", vm_errno, EINVAL);
	mmap(NULL, PAGE, PROT_READ, MAP_TYPE_MASK);
	vt_expect("vm.bad.mmap_type", vm_errno, EINVAL);
	vt_expect("vm.bad.munmap_zero_length", munmap((void *)0x20000000, 0),
		EINVAL);
	vt_expect("vm.bad.munmap_unaligned", munmap((void *)0x20000123, PAGE),
		EINVAL);
	vt_expect("vm.bad.munmap_wraps", munmap((void *)0xffffe000, 4 * PAGE),
		EINVAL);
	vt_expect("vm.bad.munmap_kernel_part", munmap((void *)0xf0000000, PAGE),
		EINVAL);
	vt_expect("vm.bad.cache_zero_length", vm_cache_yield((void *)0x20000000,
		0, ID_UNKNOWN, 0, NULL, NULL), EINVAL);
	vt_expect("vm.bad.cache_unaligned", vm_cache_yield((void *)0x20000123,
		PAGE, ID_UNKNOWN, 0, NULL, NULL), EINVAL);
	vt_expect_error("vm.bad.grant_unmapped", vm_grant((void *)0x2f000000,
		PAGE, vt_peer_ep, PROT_READ, NULL));
	vt_expect_error("vm.bad.shared_unknown_owner", vm_mmap_shared(
		make_endpoint(1, 1000), 1, PAGE, PROT_READ, &p));
	utest_result("vm.bad.vm_alive", vt_stat1(VMS_TOTAL) > 0,
		"VM answers after the bad requests");
}

/*
 * In-guest tests of the boot path: the kernel runs high, the identity
 * mapping is gone, the pre-init's memory went back to the free list, and
 * the boot information is sane.
 */
#include "kernel/ktest.h"
#include "kernel/kernel.h"
#include "kernel/bootmem.h"
#include "kernel/arch.h"
#include "kernel/lib/format.h"
#include "kernel/lib/memlist.h"

static int range_is_free(uint64_t start, uint64_t end)
{
	for (uint32_t i = 0; i < kinfo.mem_count; i++)
		if (kinfo.mem[i].base <= start &&
		    end <= kinfo.mem[i].base + kinfo.mem[i].len)
			return 1;
	return 0;
}

KTEST(boot_layout)
{
	uint32_t here = (uint32_t)&boot_layout;

	ktest_result("boot.high", here >= KERNEL_BASE,
		"code runs at 0x%08x", here);
	ktest_result("boot.identity_dropped", kernel_pgdir[0] == 0 &&
		read_cr3() == kvtophys(kernel_pgdir),
		"pde[0]=0x%08x cr3=0x%08x", kernel_pgdir[0], read_cr3());
	ktest_result("boot.unpaged_freed",
		range_is_free(kinfo.unpaged_start, kinfo.unpaged_end),
		"pre-init 0x%08x-0x%08x", kinfo.unpaged_start,
		kinfo.unpaged_end);
	ktest_result("boot.kernel_not_free",
		!range_is_free(kinfo.unpaged_end, kinfo.unpaged_end + PAGE_SIZE),
		"first high page 0x%08x", kinfo.unpaged_end);
}

KTEST(boot_kinfo)
{
	int sorted = 1;

	for (uint32_t i = 1; i < kinfo.mem_count; i++)
		if (kinfo.mem[i].base <= kinfo.mem[i - 1].base +
		    kinfo.mem[i - 1].len)
			sorted = 0;
	ktest_result("boot.kinfo", kinfo.magic == KINFO_MAGIC &&
		(kinfo.flags & KINFO_F_MMAP) && kinfo.mem_count > 0 && sorted,
		"flags 0x%x, %u free ranges, %llu KiB", kinfo.flags,
		kinfo.mem_count, memlist_total(&kinfo) >> 10);
	ktest_result("boot.low_reserved", !range_is_free(0, PAGE_SIZE) &&
		!range_is_free(0x7000, 0x8000), "first MiB kept by the kernel");
}

KTEST(format_guest)
{
	char b[64];

	ksnprintf(b, sizeof b, "%llu %llx %d %s", 18446744073709551615ull,
		0x123456789abcull, -42, "ok");
	ktest_result("format.guest_64bit", __builtin_strcmp(b,
		"18446744073709551615 123456789abc -42 ok") == 0, "got \"%s\"",
		b);
}

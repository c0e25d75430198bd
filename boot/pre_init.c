/*
 * The pre-init: C that runs with paging off at the physical load address.
 * It turns what the boot loader left into struct kinfo and builds the
 * bootstrap page directory that maps the kernel high. It prints only to
 * refuse a CPU (boot/cpucheck.c): any other problem is recorded in kinfo
 * for the high kernel to report.
 */
#include <stdint.h>
#include "boot/cpucheck.h"
#include "boot/mb_parse.h"
#include "kernel/arch/i386/vm_layout.h"
#include "kernel/lib/string.h"

void *pre_init(uint32_t magic, uint32_t mbi);

/* Named in multiboot.S: the high kernel finds kinfo here. */
struct kinfo boot_kinfo;

/* Named in multiboot.S: the CR4 bits it turns on with paging. */
uint32_t boot_cr4;

static uint32_t boot_pgdir[1024] __attribute__((aligned(PAGE_SIZE)));

/* Linker-script symbols (renamed with the rest of this file). */
extern char _kern_phys_start[], _kern_phys_end[], _unpaged_end[];

/* Paging is off: a physical address is a pointer. */
static const void *phys_direct(uint32_t addr, uint32_t len, void *ctx)
{
	(void)ctx;
	if (addr == 0 || addr + len < addr)
		return 0;
	return (const void *)addr;
}

static uint32_t round_up_bigpage(uint64_t a)
{
	uint64_t r = (a + BIGPAGE_SIZE - 1) & ~(uint64_t)(BIGPAGE_SIZE - 1);
	return r > KMAP_LIMIT - KERNEL_BASE ? KMAP_LIMIT - KERNEL_BASE
					    : (uint32_t)r;
}

/* What the kernel maps high: all of RAM up to KMAP_LIMIT (192 MiB), and
 * at least the image and the modules. The kernel reaches page tables and
 * directories there, so VM allocates them below mapped_end. */
static uint32_t mapped_end(const struct kinfo *ki)
{
	uint64_t end = (uint32_t)_kern_phys_end;

	for (uint32_t i = 0; i < ki->mod_count; i++)
		if (ki->mods[i].end > end)
			end = ki->mods[i].end;
	for (uint32_t i = 0; i < ki->mem_count; i++)
		if (ki->mem[i].base + ki->mem[i].len > end)
			end = ki->mem[i].base + ki->mem[i].len;
	return round_up_bigpage(end);
}

/* Map [0, end) twice with 4 MiB pages: identity, so the next instruction
 * after enabling paging is still mapped, and at KERNEL_BASE, global and
 * supervisor-only. The kernel drops the identity half once high. Without
 * PGE the CPU ignores the G bit: multiboot.S leaves CR4.PGE off, and the
 * bit stays, as in VM's kernel template, which must match these PDEs. */
static void build_bootstrap_pgdir(uint32_t end)
{
	uint32_t kpde = KERNEL_BASE / BIGPAGE_SIZE;

	memset(boot_pgdir, 0, sizeof(boot_pgdir));
	for (uint32_t pa = 0, i = 0; pa < end; pa += BIGPAGE_SIZE, i++) {
		boot_pgdir[i] = pa | PTE_P | PTE_W | PTE_PS;
		boot_pgdir[kpde + i] = pa | PTE_P | PTE_W | PTE_PS | PTE_G;
	}
}

void *pre_init(uint32_t magic, uint32_t mbi)
{
	static const struct mb_access acc = { phys_direct, 0 };
	/* The kernel keeps the first MiB (BIOS data, the AP trampoline and
	 * ACPI areas) and of course its own image. The pre-init's pages are
	 * part of the image now and are given back by the kernel later. */
	struct mb_reserved resv[] = {
		{ 0, KERNEL_LOAD },
		{ (uint32_t)_kern_phys_start, (uint32_t)_kern_phys_end },
	};

	/* First: nothing below may use what the CPU lacks. */
	boot_cr4 = cpu_check();

	int err = mb_parse(magic, mbi, &acc, resv, 2, &boot_kinfo);

	boot_kinfo.parse_error = err;
	boot_kinfo.kern_phys_start = (uint32_t)_kern_phys_start;
	boot_kinfo.kern_phys_end = (uint32_t)_kern_phys_end;
	boot_kinfo.unpaged_start = (uint32_t)_kern_phys_start;
	boot_kinfo.unpaged_end = (uint32_t)_unpaged_end;
	boot_kinfo.mapped_end = mapped_end(&boot_kinfo);
	build_bootstrap_pgdir(boot_kinfo.mapped_end);
	return boot_pgdir;
}

/*
 * Per-CPU GDTs and TSSs. Every CPU has its own table so that the same
 * CPU-local selector points at a different area on each CPU.
 */
#include "kernel/arch/i386/gdt.h"
#include "kernel/cpulocal.h"
#include "kernel/lib/format.h"

#define ACC_PRESENT	0x80
#define ACC_DPL3	0x60
#define ACC_CODE	0x1a	/* code, readable, non-system */
#define ACC_DATA	0x12	/* data, writable, non-system */
#define ACC_TSS		0x09	/* 32-bit TSS, available */
#define GRAN_4K_32	0xc0	/* 4 KiB granularity, 32-bit */

struct cpu_tables {
	struct seg_desc gdt[GDT_ENTRIES];
	struct tss tss;
} __attribute__((aligned(CACHE_LINE)));

static struct cpu_tables cpu_tables[CONFIG_MAX_CPUS];

struct cpulocal_vars cpulocal_vars[CONFIG_MAX_CPUS];

static struct seg_desc seg(uint32_t base, uint32_t limit, uint8_t access,
	uint8_t gran)
{
	struct seg_desc d = {
		.limit_lo = limit & 0xffff,
		.base_lo = base & 0xffff,
		.base_mid = (base >> 16) & 0xff,
		.access = access,
		.gran = gran | ((limit >> 16) & 0x0f),
		.base_hi = base >> 24,
	};
	return d;
}

static void gdt_load(const struct seg_desc *gdt)
{
	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d = {
		sizeof(struct seg_desc) * GDT_ENTRIES - 1, (uint32_t)gdt,
	};

	__asm__ volatile(
		"lgdt %0\n\t"
		"ljmp %1, $1f\n"
		"1:\n\t"
		"mov %2, %%ds\n\t"
		"mov %2, %%es\n\t"
		"mov %2, %%ss\n\t"
		"mov %3, %%gs\n\t"
		"mov %4, %%fs\n\t"
		"ltr %w5"
		: : "m"(d), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(0),
		    "r"(SEL_CPULOCAL), "r"(SEL_TSS) : "memory");
}

void gdt_init_cpu(unsigned cpu, uint32_t kstack_top)
{
	struct cpu_tables *t = &cpu_tables[cpu];
	struct cpulocal_vars *local = &cpulocal_vars[cpu];

	t->gdt[0] = seg(0, 0, 0, 0);
	t->gdt[GDT_KCODE] = seg(0, 0xfffff, ACC_PRESENT | ACC_CODE, GRAN_4K_32);
	t->gdt[GDT_KDATA] = seg(0, 0xfffff, ACC_PRESENT | ACC_DATA, GRAN_4K_32);
	t->gdt[GDT_UCODE] = seg(0, 0xfffff,
		ACC_PRESENT | ACC_DPL3 | ACC_CODE, GRAN_4K_32);
	t->gdt[GDT_UDATA] = seg(0, 0xfffff,
		ACC_PRESENT | ACC_DPL3 | ACC_DATA, GRAN_4K_32);
	t->gdt[GDT_TSS] = seg((uint32_t)&t->tss, sizeof(t->tss) - 1,
		ACC_PRESENT | ACC_TSS, 0);
	t->gdt[GDT_CPULOCAL] = seg((uint32_t)local,
		sizeof(*local) - 1, ACC_PRESENT | ACC_DATA, 0x40);

	t->tss.ss0 = SEL_KDATA;
	t->tss.esp0 = kstack_top;
	t->tss.iomap_base = sizeof(t->tss);	/* no I/O bitmap */

	local->self = local;
	local->cpu_id = cpu;
	local->kstack_top = kstack_top;
	local->tss_esp0 = &t->tss.esp0;
	gdt_load(t->gdt);
}

static const char *const seg_names[GDT_ENTRIES] = {
	"null", "kernel code", "kernel data", "user code", "user data",
	"TSS", "CPU-local",
};

const char *gdt_describe(uint16_t sel, char *buf, unsigned size)
{
	unsigned idx = sel >> 3;

	if (sel & 4)
		ksnprintf(buf, size, "0x%04x (LDT[%u]?! RPL %u)", sel, idx,
			sel & 3);
	else if (idx < GDT_ENTRIES)
		ksnprintf(buf, size, "0x%04x (GDT[%u] %s, RPL %u)", sel, idx,
			seg_names[idx], sel & 3);
	else
		ksnprintf(buf, size, "0x%04x (GDT[%u] beyond the table)", sel,
			idx);
	return buf;
}

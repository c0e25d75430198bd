/*
 * Per-CPU GDTs and TSSs. Every CPU has its own table so that the same
 * CPU-local selector points at a different area on each CPU.
 */
#include "kernel/arch/i386/gdt.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/cpulocal.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

#define ACC_PRESENT	0x80
#define ACC_DPL3	0x60
#define ACC_CODE	0x1a	/* code, readable, non-system */
#define ACC_DATA	0x12	/* data, writable, non-system */
#define ACC_TSS		0x09	/* 32-bit TSS, available */
#define GRAN_4K_32	0xc0	/* 4 KiB granularity, 32-bit */

#define DF_STACK_SIZE	8192	/* the dump and panic() */
#define NMI_STACK_SIZE	4096
#define DB_STACK_SIZE	4096

struct cpu_tables {
	struct seg_desc gdt[GDT_ENTRIES];
	struct tss tss;
	struct tss tss_df, tss_nmi, tss_db;	/* the task-gate tasks */
} __attribute__((aligned(CACHE_LINE)));

struct task_stacks {
	uint8_t df[DF_STACK_SIZE];
	uint8_t nmi[NMI_STACK_SIZE];
	uint8_t db[DB_STACK_SIZE];
};

static struct cpu_tables cpu_tables[CONFIG_MAX_CPUS];
/* The boot CPU's task stacks; every other CPU's come from boot memory
 * as it is started (gdt_set_task_stacks), so a machine pays for the CPUs
 * it has, not for CONFIG_MAX_CPUS of them. */
static struct task_stacks boot_task_stacks __attribute__((aligned(16)));
static struct task_stacks *task_stacks[CONFIG_MAX_CPUS];

_Static_assert(sizeof(struct task_stacks) == GDT_TASK_STACKS_SIZE,
	"gdt.h's GDT_TASK_STACKS_SIZE is the task stacks' size");

void gdt_set_task_stacks(unsigned cpu, void *stacks)
{
	task_stacks[cpu] = stacks;
}

/* taskgate.S: where each task starts (and loops back to). */
void df_task_entry(void);
void nmi_task_entry(void);
void db_task_entry(void);

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

/* The page directory the tasks run in: a task switch loads CR3 from the
 * TSS it switches to (and never stores it into the one it leaves). Until
 * paging_init has built the kernel's own, the one in use. */
static uint32_t task_cr3;

/* A ring-0 task on its own stack, in the kernel's segments, interrupts
 * off, with the CPU-local %fs of this CPU (every CPU's GDT has its own
 * CPU-local segment under the same selector). */
static void task_init(struct tss *t, void (*entry)(void), uint8_t *stack,
	uint32_t size)
{
	memset(t, 0, sizeof(*t));
	t->eip = (uint32_t)entry;
	t->eflags = 0x2;
	t->esp = t->esp0 = (uint32_t)(stack + size);
	t->ss0 = SEL_KDATA;
	t->cs = SEL_KCODE;
	t->ss = t->ds = t->es = SEL_KDATA;
	t->fs = SEL_CPULOCAL;
	t->cr3 = task_cr3 ? task_cr3 : read_cr3();
	t->iomap_base = sizeof(*t);	/* no I/O bitmap */
}

void gdt_set_task_cr3(uint32_t cr3)
{
	struct cpu_tables *t = &cpu_tables[cpu_self()];

	task_cr3 = cr3;
	t->tss_df.cr3 = t->tss_nmi.cr3 = t->tss_db.cr3 = cr3;
}

struct tss *gdt_tss(uint16_t sel)
{
	struct cpu_tables *t = &cpu_tables[cpu_self()];

	switch (sel & ~7u) {
	case SEL_TSS:		return &t->tss;
	case SEL_TSS_DF:	return &t->tss_df;
	case SEL_TSS_NMI:	return &t->tss_nmi;
	case SEL_TSS_DB:	return &t->tss_db;
	}
	return 0;
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

	t->gdt[GDT_TSS_DF] = seg((uint32_t)&t->tss_df, sizeof(t->tss_df) - 1,
		ACC_PRESENT | ACC_TSS, 0);
	t->gdt[GDT_TSS_NMI] = seg((uint32_t)&t->tss_nmi,
		sizeof(t->tss_nmi) - 1, ACC_PRESENT | ACC_TSS, 0);
	t->gdt[GDT_TSS_DB] = seg((uint32_t)&t->tss_db, sizeof(t->tss_db) - 1,
		ACC_PRESENT | ACC_TSS, 0);

	t->tss.ss0 = SEL_KDATA;
	t->tss.esp0 = kstack_top;
	t->tss.cr3 = read_cr3();
	t->tss.iomap_base = sizeof(t->tss);	/* no I/O bitmap */
	struct task_stacks *ts = task_stacks[cpu];

	if (ts == 0)
		ts = task_stacks[cpu] = &boot_task_stacks;
	task_init(&t->tss_df, df_task_entry, ts->df, DF_STACK_SIZE);
	task_init(&t->tss_nmi, nmi_task_entry, ts->nmi, NMI_STACK_SIZE);
	task_init(&t->tss_db, db_task_entry, ts->db, DB_STACK_SIZE);

	local->self = local;
	local->cpu_id = cpu;
	local->kstack_top = kstack_top;
	local->tss_esp0 = &t->tss.esp0;
	gdt_load(t->gdt);
}

static const char *const seg_names[GDT_ENTRIES] = {
	"null", "kernel code", "kernel data", "user code", "user data",
	"TSS", "CPU-local", "double-fault TSS", "NMI TSS", "debug TSS",
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

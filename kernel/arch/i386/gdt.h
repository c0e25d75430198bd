/*
 * Segments: flat code and data (base 0, limit 4 GiB) for ring 0 and 3, a
 * TSS per CPU, and the one non-flat segment, the CPU-local one behind %fs.
 * The order of the first five entries is what sysenter/sysexit and
 * syscall/sysret expect.
 *
 * Three more TSSs per CPU are tasks that the IDT's task gates switch to:
 * double fault, NMI and debug (#DB) each run on their own stack, whatever
 * the stack was when they struck (the kernel's overflowed, or still the
 * user's in syscall's first instructions). Each task is a loop (taskgate.S)
 * that returns to the interrupted context with iret through its TSS's
 * back link; the interrupted context is saved in the CPU's main TSS. Only
 * the debug task returns (NMI halts, #DF panics).
 */
#ifndef CAIRN_GDT_H
#define CAIRN_GDT_H

#define GDT_KCODE	1
#define GDT_KDATA	2
#define GDT_UCODE	3
#define GDT_UDATA	4
#define GDT_TSS		5
#define GDT_CPULOCAL	6
#define GDT_TSS_DF	7	/* the double-fault task */
#define GDT_TSS_NMI	8	/* the NMI task */
#define GDT_TSS_DB	9	/* the debug-exception task */
#define GDT_ENTRIES	10

#define SEL_KCODE	(GDT_KCODE << 3)
#define SEL_KDATA	(GDT_KDATA << 3)
#define SEL_UCODE	((GDT_UCODE << 3) | 3)
#define SEL_UDATA	((GDT_UDATA << 3) | 3)
#define SEL_TSS		(GDT_TSS << 3)
#define SEL_CPULOCAL	(GDT_CPULOCAL << 3)
#define SEL_TSS_DF	(GDT_TSS_DF << 3)
#define SEL_TSS_NMI	(GDT_TSS_NMI << 3)
#define SEL_TSS_DB	(GDT_TSS_DB << 3)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct seg_desc {
	uint16_t limit_lo;
	uint16_t base_lo;
	uint8_t base_mid;
	uint8_t access;
	uint8_t gran;		/* flags and limit 19:16 */
	uint8_t base_hi;
} __attribute__((packed));
_Static_assert(sizeof(struct seg_desc) == 8, "descriptor layout");

struct tss {
	uint32_t link;
	uint32_t esp0, ss0;
	uint32_t esp1, ss1;
	uint32_t esp2, ss2;
	uint32_t cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs;
	uint32_t ldt;
	uint16_t trap, iomap_base;
};	/* naturally aligned: no padding, as the assertion checks */
_Static_assert(sizeof(struct tss) == 104, "TSS layout");

/* Builds CPU `cpu`'s GDT and TSS and loads them, with %fs on its
 * CPU-local area and the TSS's ring-0 stack at kstack_top. */
void gdt_init_cpu(unsigned cpu, uint32_t kstack_top);
/* The double-fault, NMI and debug tasks' stacks (8 + 4 + 4 KiB) of a CPU
 * other than the boot CPU, set before gdt_init_cpu for it. */
#define GDT_TASK_STACKS_SIZE	16384
void gdt_set_task_stacks(unsigned cpu, void *stacks);

/* The page directory the tasks run in from now on (this CPU's now, the
 * others' when they start): the kernel's, once paging_init has built it.
 * The CPU's main TSS gets no CR3: the one task that returns sets it. */
void gdt_set_task_cr3(uint32_t cr3);

/* This CPU's TSS for selector sel (SEL_TSS, SEL_TSS_DF, ...), or NULL:
 * how a task finds the context it interrupted (its TSS's back link). */
struct tss *gdt_tss(uint16_t sel);

/* Describes a selector for people: "0x08 (GDT[1] kernel code, RPL 0)". */
const char *gdt_describe(uint16_t sel, char *buf, unsigned size);
#endif

#endif /* CAIRN_GDT_H */

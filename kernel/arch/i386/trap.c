/*
 * The IDT, shared by all CPUs, and the dispatcher every entry stub calls:
 * exceptions go to exception.c, everything else to a per-vector handler.
 */
#include "kernel/arch/i386/trap.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/gdt.h"
#include "kernel/arch/i386/lapic.h"
#include "kernel/kernel.h"

#define GATE_INTR	0x8e	/* present, DPL 0, 32-bit interrupt gate */
#define GATE_TASK	0x85	/* present, DPL 0, task gate */

struct gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t zero;
	uint8_t type;
	uint16_t off_hi;
} __attribute__((packed));
_Static_assert(sizeof(struct gate) == 8, "gate layout");

extern const uint32_t trap_stubs[256];

static struct gate idt[256] __attribute__((aligned(CACHE_LINE)));
static irq_handler_t handlers[256];

static void task_gate(unsigned v, uint16_t tss_sel)
{
	idt[v].off_lo = 0;
	idt[v].sel = tss_sel;
	idt[v].zero = 0;
	idt[v].type = GATE_TASK;
	idt[v].off_hi = 0;
}

int trap_has_handler(unsigned vector)
{
	return handlers[vector & 0xff] != 0;
}

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++) {
		idt[v].off_lo = trap_stubs[v] & 0xffff;
		idt[v].sel = SEL_KCODE;
		idt[v].zero = 0;
		idt[v].type = GATE_INTR;
		idt[v].off_hi = trap_stubs[v] >> 16;
	}
	/* Their own stacks, through task gates (gdt.h): a double fault
	 * (the stack may be what failed), NMI and #DB (they can strike on
	 * syscall's first instruction, while %esp is still the user's). */
	task_gate(EXC_DB, SEL_TSS_DB);
	task_gate(EXC_NMI, SEL_TSS_NMI);
	task_gate(EXC_DF, SEL_TSS_DF);
}

void idt_load(void)
{
	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d = {
		sizeof(idt) - 1, (uint32_t)idt,
	};
	__asm__ volatile("lidt %0" : : "m"(d));
}

void trap_set_handler(unsigned vector, irq_handler_t h)
{
	handlers[vector & 0xff] = h;
}

extern const char copy_user_start[], copy_user_end[], copy_user_fixup[];
extern const char copy_msg_start[], copy_msg_end[];

static int in(uint32_t eip, const char *start, const char *end)
{
	return eip >= (uint32_t)start && eip < (uint32_t)end;
}

/* A fault inside copy_user or copy_msg resumes at their fixup with the
 * page in %eax (bit 0 set, so that page 0 is not mistaken for success). */
static int fixup_user_copy(struct trapframe *tf)
{
	if (tf->vector != EXC_PF || (tf->cs & 3) ||
	    !(in(tf->eip, copy_user_start, copy_user_end) ||
	      in(tf->eip, copy_msg_start, copy_msg_end)))
		return 0;
	tf->eax = (read_cr2() & 0xfffff000u) | 1;
	tf->eip = (uint32_t)copy_user_fixup;
	return 1;
}

void idt_set_user(unsigned vector)
{
	idt[vector & 0xff].type = GATE_INTR | 0x60;	/* DPL 3 */
}

void trap_dispatch(struct trapframe *tf)
{
	unsigned v = tf->vector;

	if (fixup_user_copy(tf))
		return;
	if (v < 32 && !(v == EXC_NMI && handlers[v])) {
		exception_handle(tf);
	} else if (handlers[v]) {
		handlers[v](tf);
	} else if (v >= VEC_PIC_BASE && v < VEC_PIC_BASE + 16) {
		/* A spurious interrupt from the masked 8259s: nothing to do,
		 * and the 8259 must not get an EOI for IRQ 7/15 spurious. */
	} else if (v == VEC_SPURIOUS) {
		/* The local APIC's spurious vector takes no EOI. */
	} else {
		kprintf("trap: unexpected vector %u on cpu %u\n", v,
			lapic_id());
		lapic_eoi();
	}
}

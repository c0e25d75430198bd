/*
 * Traps, interrupts and exceptions: the saved register frame, the vector
 * numbers the kernel uses, and the dispatcher the entry stubs call.
 */
#ifndef CAIRN_TRAP_H
#define CAIRN_TRAP_H

#include <stdint.h>
#include "cairn/arch/i386/mmu.h"	/* PF_ERR_*: a page fault's error code */

/* Vectors. 0-31 are the CPU's exceptions; the 8259s are remapped to
 * 32-47 and masked, so those only ever arrive as spurious interrupts. */
#define VEC_PIC_BASE	32
#define VEC_PROBE	48	/* a ring-0 software interrupt: the KVM probe */
#define VEC_LAPIC_TIMER	0xEF
#define VEC_IPI_WORK	0xF0	/* wake up and run the queued work */
#define VEC_IPI_SCHED	0xF1	/* a process was queued here: reschedule */
#define VEC_IPI_STOP	0xF2	/* leave a process's address space now */
#define VEC_IPI_TLB	0xF3	/* invalidate the named pages (shootdown) */
#define VEC_SPURIOUS	0xFF

#define EXC_DB		1
#define EXC_NMI		2
#define EXC_NM		7	/* device not available: FPU use with CR0.TS */
#define EXC_DF		8
#define EXC_PF		14

/* What the entry stubs save, lowest address first. */
struct trapframe {
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, kesp, ebx, edx, ecx, eax;	/* pusha */
	uint32_t vector, error;		/* error is 0 where the CPU pushes none */
	uint32_t eip, cs, eflags;	/* pushed by the CPU */
	uint32_t esp, ss;		/* pushed only on entry from ring 3 */
};

void idt_init(void);	/* builds the shared IDT (boot CPU, once) */
void idt_load(void);	/* loads it on this CPU */
void idt_set_user(unsigned vector);	/* user mode may `int` it */
void trap_dispatch(struct trapframe *tf);

/* Per-vector handler for device and IPI vectors; returns after EOI. */
typedef void (*irq_handler_t)(struct trapframe *tf);
void trap_set_handler(unsigned vector, irq_handler_t h);
int trap_has_handler(unsigned vector);

/* Exceptions: decode, dump and panic (exception.c). */
void exception_handle(struct trapframe *tf) __attribute__((noreturn));
/* The same for a frame rebuilt from a TSS by a task-gate task (tf->esp
 * and tf->ss are valid in any mode); no nesting check: a double fault
 * may well strike while an exception is being handled. */
void exception_handle_task(struct trapframe *tf) __attribute__((noreturn));
/* Prints eip, then the return addresses along the %ebp chain. */
void stack_trace_print(uint32_t eip, uint32_t ebp);

#endif /* CAIRN_TRAP_H */

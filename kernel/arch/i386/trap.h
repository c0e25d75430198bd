/*
 * Traps, interrupts and exceptions: the saved register frame and the
 * dispatcher the entry stubs call (the vector numbers: vectors.h).
 */
#ifndef CAIRN_TRAP_H
#define CAIRN_TRAP_H

#include <stdint.h>
#include "cairn/arch/i386/mmu.h"	/* PF_ERR_*: a page fault's error code */
#include "kernel/arch/i386/vectors.h"	/* VEC_*, EXC_* */

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

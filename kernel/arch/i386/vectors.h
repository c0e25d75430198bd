/*
 * The interrupt vectors the kernel uses: the CPU's exceptions it names, and
 * its own device and IPI vectors. Plain numbers, so that the local APIC
 * (which programs some of them) needs nothing else of the trap code.
 */
#ifndef CAIRN_VECTORS_H
#define CAIRN_VECTORS_H

#define EXC_DB		1
#define EXC_NMI		2
#define EXC_NM		7	/* device not available: FPU use with CR0.TS */
#define EXC_DF		8
#define EXC_PF		14

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

#endif /* CAIRN_VECTORS_H */

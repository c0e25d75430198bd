/*
 * The AP start-up trampoline: real-mode code copied below 1 MiB, and the
 * arguments the boot CPU leaves for it at the end of the same page.
 */
#ifndef CAIRN_TRAMPOLINE_H
#define CAIRN_TRAMPOLINE_H

#include <stdint.h>

#define TRAMPOLINE_ARGS_OFF	0xF00	/* within the trampoline page */

struct trampoline_args {
	uint32_t cr3;		/* page directory with the low 4 MiB identity */
	uint32_t stack_top;	/* this AP's kernel stack */
	uint32_t entry;		/* high C function: void ap_entry(unsigned) */
	uint32_t cpu;		/* the CPU index the AP is to take */
	uint16_t pad;
	uint16_t gdtr_limit;	/* lgdt operand: limit, then base */
	uint32_t gdtr_base;
	uint64_t gdt[3];	/* null, flat code, flat data */
};

#ifndef __ASSEMBLER__
extern const char trampoline_start[], trampoline_end[];
#endif

#endif /* CAIRN_TRAMPOLINE_H */

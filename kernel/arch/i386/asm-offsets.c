/*
 * Offsets and sizes that assembly needs, taken from the C structures at
 * build time (the Makefile turns the @@ASMDEF lines into a header), so no
 * layout is ever copied into assembly by hand.
 */
#include <stddef.h>
#include "kernel/arch/i386/trap.h"
#include "kernel/arch/i386/trampoline.h"
#include "kernel/cpulocal.h"
#include "kernel/proc.h"

#define DEFINE(sym, val) \
	__asm__ volatile("\n@@ASMDEF " #sym " %0" : : "i"(val))

void asm_offsets(void);
void asm_offsets(void)
{
	DEFINE(TF_VECTOR, offsetof(struct trapframe, vector));
	DEFINE(TF_EIP, offsetof(struct trapframe, eip));
	DEFINE(TF_SIZE_KERNEL, offsetof(struct trapframe, esp));
	DEFINE(TF_CS, offsetof(struct trapframe, cs));
	DEFINE(TF_EAX, offsetof(struct trapframe, eax));
	DEFINE(TF_EBX, offsetof(struct trapframe, ebx));
	DEFINE(TF_ESI, offsetof(struct trapframe, esi));
	DEFINE(TF_EDI, offsetof(struct trapframe, edi));
	DEFINE(TF_EBP, offsetof(struct trapframe, ebp));
	DEFINE(TF_ESP, offsetof(struct trapframe, esp));
	DEFINE(TF_EFLAGS, offsetof(struct trapframe, eflags));
	DEFINE(TF_ECX, offsetof(struct trapframe, ecx));
	DEFINE(TF_EDX, offsetof(struct trapframe, edx));
	DEFINE(TF_SS, offsetof(struct trapframe, ss));
	DEFINE(TF_DS, offsetof(struct trapframe, ds));
	DEFINE(TF_ES, offsetof(struct trapframe, es));
	DEFINE(TF_FS, offsetof(struct trapframe, fs));
	DEFINE(TF_GS, offsetof(struct trapframe, gs));
	DEFINE(PROC_TABLE_SIZE, sizeof(proc_table));

	DEFINE(CL_KSTACK_TOP, offsetof(struct cpulocal_vars, kstack_top));
	DEFINE(CL_PROC_PTR, offsetof(struct cpulocal_vars, proc_ptr));

	DEFINE(TRAMP_ARGS_OFF, TRAMPOLINE_ARGS_OFF);
	DEFINE(TA_CR3, offsetof(struct trampoline_args, cr3));
	DEFINE(TA_STACK, offsetof(struct trampoline_args, stack_top));
	DEFINE(TA_ENTRY, offsetof(struct trampoline_args, entry));
	DEFINE(TA_CPU, offsetof(struct trampoline_args, cpu));
	DEFINE(TA_GDTR, offsetof(struct trampoline_args, gdtr_limit));
	DEFINE(TA_GDT, offsetof(struct trampoline_args, gdt));
}

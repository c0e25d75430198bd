/*
 * Fatal exceptions: decode what happened (name, error code, CR2, selectors,
 * flags), print the registers and a stack trace, and panic. Faults that the
 * kernel can recover from (user faults, faults in copies) arrive later;
 * until then every exception is a kernel bug.
 */
#include "kernel/arch/i386/trap.h"
#include "kernel/arch/i386/gdt.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/vm_layout.h"
#include "kernel/cpulocal.h"
#include "kernel/kernel.h"
#include "kernel/lib/format.h"

static const char *const exc_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack-segment fault",
	"general protection fault", "page fault", "reserved (15)",
	"x87 floating-point error", "alignment check", "machine check",
	"SIMD floating-point error", "virtualization exception",
	"control protection exception", "reserved (22)", "reserved (23)",
	"reserved (24)", "reserved (25)", "reserved (26)", "reserved (27)",
	"hypervisor injection", "VMM communication", "security exception",
	"reserved (31)",
};

static const char *const exc_mnemonics[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "-",
	"#TS", "#NP", "#SS", "#GP", "#PF", "-", "#MF", "#AC", "#MC", "#XM",
	"#VE", "#CP", "-", "-", "-", "-", "-", "-", "#HV", "#VC", "#SX", "-",
};

static void print_pf_error(uint32_t err)
{
	kprintf("  error 0x%x: %s, %s, %s%s%s\n", err,
		err & 1 ? "protection violation" : "page not present",
		err & 2 ? "write" : "read",
		err & 4 ? "user mode" : "supervisor mode",
		err & 8 ? ", reserved bit set" : "",
		err & 16 ? ", instruction fetch" : "");
}

static void print_sel_error(uint32_t err)
{
	static const char *const tables[4] = { "GDT", "IDT", "LDT", "IDT" };

	if (err == 0) {
		kprintf("  error 0\n");
		return;
	}
	kprintf("  error 0x%x: %s[%u]%s\n", err, tables[(err >> 1) & 3],
		(err >> 3) & 0x1fff, err & 1 ? ", external event" : "");
}

static void print_eflags(uint32_t f)
{
	kprintf("  eflags=0x%08x [%s%s%s%s%s%s%s%s IOPL=%u]\n", f,
		f & 0x001 ? " CF" : "", f & 0x040 ? " ZF" : "",
		f & 0x080 ? " SF" : "", f & 0x200 ? " IF" : "",
		f & 0x400 ? " DF" : "", f & 0x800 ? " OF" : "",
		f & 0x4000 ? " NT" : "", f & 0x20000 ? " VM" : "",
		(f >> 12) & 3);
}

static void print_registers(const struct trapframe *tf, uint32_t esp,
	int show_ss)
{
	char b[64];

	kprintf("  eax=%08x ebx=%08x ecx=%08x edx=%08x\n",
		tf->eax, tf->ebx, tf->ecx, tf->edx);
	kprintf("  esi=%08x edi=%08x ebp=%08x esp=%08x\n",
		tf->esi, tf->edi, tf->ebp, esp);
	kprintf("  eip=%08x cs=%s\n", tf->eip, gdt_describe(tf->cs, b, sizeof b));
	kprintf("  ds=%s\n", gdt_describe(tf->ds, b, sizeof b));
	kprintf("  es=%s\n", gdt_describe(tf->es, b, sizeof b));
	kprintf("  fs=%s\n", gdt_describe(tf->fs, b, sizeof b));
	kprintf("  gs=%s\n", gdt_describe(tf->gs, b, sizeof b));
	if (show_ss)
		kprintf("  ss=%s\n", gdt_describe(tf->ss, b, sizeof b));
	print_eflags(tf->eflags);
	kprintf("  cr0=%08x cr3=%08x cr4=%08x\n", read_cr0(), read_cr3(),
		read_cr4());
}

/* Follows saved %ebp links while they stay inside the kernel and go up the
 * stack; a corrupt chain ends the trace instead of faulting again. */
void stack_trace_print(uint32_t eip, uint32_t ebp)
{
	char line[200];
	int n = ksnprintf(line, sizeof line, "stack trace: 0x%08x", eip);

	for (int depth = 0; depth < 16; depth++) {
		if (ebp < KERNEL_BASE || ebp > 0xFFFFFFF0u || (ebp & 3))
			break;
		const uint32_t *frame = (const uint32_t *)ebp;
		uint32_t ret = frame[1];

		if (ret < KERNEL_BASE)
			break;
		if (n < (int)sizeof line - 12)
			n += ksnprintf(line + n, sizeof line - n, " 0x%08x",
				ret);
		if (frame[0] <= ebp)
			break;
		ebp = frame[0];
	}
	kprintf("%s\n", line);
}

/* Decodes, dumps and panics; esp is where the interrupted code's stack
 * was (a kernel-mode frame from the stubs has none of its own). */
static void __attribute__((noreturn)) dump_and_panic(struct trapframe *tf,
	uint32_t esp, int show_ss, const char *how)
{
	unsigned v = tf->vector & 31;
	int from_user = (tf->cs & 3) != 0;
	uint32_t cr2 = read_cr2();

	kprintf("\n*** %s %s on cpu %u in %s mode at eip=0x%08x%s\n",
		exc_mnemonics[v], exc_names[v], cpu_self(),
		from_user ? "user" : "kernel", tf->eip, how);
	if (v == EXC_PF) {
		kprintf("  cr2=0x%08x (the faulting address)\n", cr2);
		print_pf_error(tf->error);
	} else if (v == 8 || (v >= 10 && v <= 13) || v == 17) {
		print_sel_error(tf->error);
	}
	print_registers(tf, esp, show_ss);
	stack_trace_print(tf->eip, tf->ebp);
	if (v == EXC_PF)
		panic("%s %s at eip=0x%08x, cr2=0x%08x", exc_mnemonics[v],
			exc_names[v], tf->eip, cr2);
	if (v == EXC_DF)
		panic("%s %s at eip=0x%08x, esp=0x%08x", exc_mnemonics[v],
			exc_names[v], tf->eip, esp);
	panic("%s %s at eip=0x%08x", exc_mnemonics[v], exc_names[v], tf->eip);
}

void exception_handle(struct trapframe *tf)
{
	unsigned v = tf->vector;
	int from_user = (tf->cs & 3) != 0;

	if (get_cpulocal_var(exception_depth)++ > 0)
		panic("%s %s while handling an exception at eip=0x%08x",
			exc_mnemonics[v & 31], exc_names[v & 31], tf->eip);
	dump_and_panic(tf, from_user ? tf->esp : (uint32_t)&tf->esp,
		from_user, "");
}

void exception_handle_task(struct trapframe *tf)
{
	get_cpulocal_var(exception_depth)++;
	dump_and_panic(tf, tf->esp, 1, " (task gate: own stack)");
}

/*
 * kmain: the high kernel's start. Take over kinfo, set up this CPU, drop
 * the identity mapping and return the pre-init's memory, find and start
 * the other CPUs, then do what the command line's mode= asks.
 */
#include "kernel/kernel.h"
#include "kernel/bootmem.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/cpulocal.h"
#include "kernel/ktest.h"
#include "kernel/proc.h"
#include "kernel/record.h"
#include "kernel/sched.h"
#include "kernel/timer.h"
#include "kernel/switch.h"
#include "kernel/vmboot.h"
#include "kernel/bkl.h"
#include "kernel/bootmode.h"
#include "kernel/arch.h"
#include "kernel/lib/cmdwords.h"
#include "kernel/lib/crc32.h"
#include "kernel/lib/format.h"
#include "kernel/lib/memlist.h"
#include "kernel/lib/string.h"
#include "boot/mb_parse.h"
#include "smp/smp.h"

/* Entered from head.S on the boot CPU's stack, whose top it passes: the
 * stack the TSS and sysenter must name on this CPU. */
void kmain(phys_bytes kinfo_phys, uint32_t boot_cr3, uint32_t stack_top)
	__attribute__((noreturn));

static const char *const parse_errors[] = {
	[-MB_EBADMAGIC] = "not started by a multiboot loader (bad magic)",
	[-MB_EBADINFO] = "multiboot information unreadable",
	[-MB_ENOMEM] = "no usable memory map and no memory sizes",
};

static void check_kinfo(void)
{
	int err = kinfo.parse_error;

	if (kinfo.magic != KINFO_MAGIC || err != 0) {
		const char *why = err < 0 && -err < (int)ARRAY_SIZE(parse_errors)
			? parse_errors[-err] : "unknown error";
		panic("boot information: %s (mb_parse %d, flags 0x%x)", why,
			err, kinfo.flags);
	}
	if (kinfo.flags & KINFO_F_MMAP_BAD)
		kprintf("boot: the memory map was malformed; using "
			"mem_lower/mem_upper\n");
	if (kinfo.flags & (KINFO_F_MEM_TRUNC | KINFO_F_MODS_TRUNC |
			   KINFO_F_STR_TRUNC))
		kprintf("boot: some boot information was cut (flags 0x%x)\n",
			kinfo.flags);
}

static void print_memory(void)
{
	kprintf("boot: kernel at 0x%08x-0x%08x, pre-init 0x%08x-0x%08x "
		"(freed), mapped high up to 0x%08x\n", kinfo.kern_phys_start,
		kinfo.kern_phys_end, kinfo.unpaged_start, kinfo.unpaged_end,
		kinfo.mapped_end);
	for (uint32_t i = 0; i < kinfo.mem_count; i++)
		kprintf("boot:   free 0x%08llx-0x%08llx (%llu KiB)\n",
			kinfo.mem[i].base, kinfo.mem[i].base + kinfo.mem[i].len,
			kinfo.mem[i].len >> 10);
	kprintf("boot: %llu KiB free, %u modules\n",
		memlist_total(&kinfo) >> 10, kinfo.mod_count);
	if (kinfo.ram_above_4g != 0)
		kprintf("boot: %llu MiB of RAM above 4 GiB ignored (no PAE: a "
			"32-bit page table reaches 4 GiB only)\n",
			kinfo.ram_above_4g >> 20);
}

/* Boot modules mean user space (module 0 is VM), unless the command line
 * says `nouser` (a boot that only checks its modules arrived). */
static int user_space_wanted(void)
{
	return kinfo.mod_count > 0 && !cmdline_has("nouser");
}

/* With boot modules, the rest of the work is user space's: start VM and
 * schedule on every CPU. The program that finishes the tests or
 * benchmarks ends the boot with SYS_SHUTDOWN. */
static void __attribute__((noreturn)) start_user_space(void)
{
	vm_boot();
	timer_start_all();
	bkl_lock();
	switch_to_user();
}

/* No user space in mode=doublefault: nothing is mapped below the kernel. */
#define DOUBLEFAULT_STACK	0x00400000u

void restore_user_int(struct proc *p) __attribute__((noreturn));

/* mode=ntiret: the kernel's iret to user mode with NT set in its own
 * flags, which is what a user's NT did through sysenter before the entry
 * cleaned the flags. The iret becomes a task return to no task (#TS) with
 * the stack pointer inside a process's frame in the process table; the
 * dump and panic must run on the kernel stack and halt cleanly. Slot 0:
 * below the table lie panic()'s own flag and the diagnostics buffer. */
static void __attribute__((noreturn)) nt_iret_fault(void)
{
	struct proc *p = proc_addr(0);		/* free in this mode */

	memset(&p->p_reg, 0, sizeof(p->p_reg));
	p->p_reg.cs = SEL_UCODE;
	p->p_reg.ss = p->p_reg.ds = p->p_reg.es = SEL_UDATA;
	p->p_reg.eflags = EFLAGS_IF;
	kprintf("ntiret: an iret with NT set, from a frame in the process "
		"table, on purpose\n");
	__asm__ volatile("pushfl\n\torl %0, (%%esp)\n\tpopfl" : :
		"i"(EFLAGS_NT) : "memory", "cc");
	restore_user_int(p);
}

extern const struct boot_mode _bootmodes_start[], _bootmodes_end[];

/* A mode registered from outside the kernel proper (BOOT_MODE), or 0. */
static const struct boot_mode *boot_mode(const char *mode)
{
	for (const struct boot_mode *bm = _bootmodes_start;
	     bm < _bootmodes_end; bm++)
		if (strcmp(mode, bm->name) == 0)
			return bm;
	return 0;
}

static void __attribute__((noreturn)) run_mode(const char *mode)
{
	const struct boot_mode *bm;
	unsigned tests = 0;
	int failed = 0;

	ktest_set_mode(mode);
	if (strcmp(mode, "test") == 0) {
		failed = ktest_run_all(&tests);
		if (user_space_wanted())
			start_user_space();
	} else if ((bm = boot_mode(mode)) != 0) {
		bm->run();
		if (user_space_wanted())
			start_user_space();
	} else if (strcmp(mode, "probe") == 0) {
		__asm__ volatile("int %0" : : "i"(VEC_PROBE));
		record("probe", "result=ok");
	} else if (strcmp(mode, "fault") == 0) {
		kprintf("fault: reading 0xdead0000 on purpose\n");
		(void)*(volatile uint32_t *)0xdead0000;
	} else if (strcmp(mode, "doublefault") == 0) {
		/* A kernel stack run off its end into an unmapped page: the
		 * push faults, and so does delivering that page fault on the
		 * same stack. Only the double-fault task's own stack can say
		 * what happened. */
		kprintf("doublefault: running the stack into an unmapped page "
			"(0x%08x) on purpose\n", DOUBLEFAULT_STACK);
		__asm__ volatile("movl %0, %%esp\n\tpushl $0" : :
			"i"(DOUBLEFAULT_STACK) : "memory");
	} else if (strcmp(mode, "ntiret") == 0) {
		nt_iret_fault();
	} else if (strcmp(mode, "acpidump") == 0) {
		smp_dump_acpi();
	} else if (user_space_wanted()) {
		start_user_space();
	} else {
		kprintf("cairn: no mode= and no boot modules; idling "
			"(mode=test|bench|probe|fault|doublefault|ntiret|acpidump)\n");
		switch_idle_cpu();
	}
	record("done", "mode=%s tests=%u failed=%d", mode, tests, failed);
	machine_exit(failed ? EXIT_FAILED : EXIT_OK);
}

/* Room for an encoded string in a record (kernel/record.c's lines are at
 * most 2048 bytes): a longer one is cut at a whole character. */
#define RECORD_TEXT_MAX	1536

/* What mode= may say besides the BOOT_MODE()s (bench); empty is the
 * same as no mode= at all. */
static const char *const modes[] = {
	"", "test", "probe", "fault", "doublefault", "ntiret", "acpidump",
};

/* A command line with an unknown mode, key or flag, a malformed word or
 * more bytes than kinfo holds ends the boot here, red: one failed test
 * record that names the problem, then done (tests/run.py's cmdline.*). */
static void check_cmdline(const char *mode)
{
	static char why[256];
	const char *err = cmdline_error();
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(modes) && strcmp(mode, modes[i]) != 0; i++)
		;
	if (!err && i == ARRAY_SIZE(modes) && !boot_mode(mode)) {
		ksnprintf(why, sizeof why, "unknown mode '%s' (modes: test, "
			"bench, probe, fault, doublefault, ntiret, acpidump)",
			mode);
		err = why;
	}
	if (!err)
		return;
	kprintf("cairn: bad command line: %s\n", err);
	ktest_result("boot.cmdline", 0, "%s", err);
	record("done", "mode=%s tests=1 failed=1", mode[0] ? mode : "none");
	machine_exit(EXIT_FAILED);
}

/* Lets the host check that a module arrived intact (netboot test); its
 * string as the record shows it is the words after the image name. */
static void report_module(uint32_t i)
{
	const struct kinfo_mod *m = &kinfo.mods[i];
	static char str[KINFO_MODSTR_LEN], enc[RECORD_TEXT_MAX];
	uint32_t size = m->end - m->start;
	uint32_t n = m->str_len < sizeof str ? m->str_len : sizeof str - 1;

	memcpy(str, &kinfo.modstr[m->str_off], n);
	str[n] = '\0';
	record("module", "idx=%u size=%u crc=%08x str=%s", i, size,
		crc32_update(0, kphystov(m->start), size),
		record_text(enc, sizeof enc, str + cmdw_skip_image(str)));
}

static void probe_handler(struct trapframe *tf)
{
	(void)tf;	/* reaching here and returning with iret is the test */
}

void kmain(phys_bytes kinfo_phys, uint32_t boot_cr3, uint32_t stack_top)
{
	static char enc[RECORD_TEXT_MAX];
	char mode[32] = "";

	memcpy(&kinfo, kphystov(kinfo_phys), sizeof(kinfo));
	serial_init();
	smp_init_boot_cpu(stack_top);
	trap_set_handler(VEC_PROBE, probe_handler);
	idt_set_user(IPC_VECTOR);
	proc_init();
	sched_init_cpu();
	timer_init_cpu();
	cmdline_init(kinfo.cmdline, kinfo.cmdline_len);
	console_set_quiet(cmdline_has("quiet"));
	kprintf("cairn: booting, command line \"%s\"\n", kinfo.cmdline);
	check_kinfo();

	paging_init(&kinfo, boot_cr3);
	memlist_add(&kinfo, kinfo.unpaged_start,
		kinfo.unpaged_end - kinfo.unpaged_start);
	print_memory();

	pic_disable();
	lapic_init_boot(0);
	fastentry_init_cpu(stack_top);
	fpu_init_cpu();
	clock_calibrate();
	kprintf("clock: TSC %u kHz, local APIC timer %u kHz (%s; %u of %u "
		"PIT windows agree, round %u; TSC by APIC timer %u kHz, by "
		"CPUID %u kHz)\n", clock_rates.tsc_khz, clock_rates.lapic_khz,
		clock_rates.source == CLOCK_SRC_PIT ? "PIT-calibrated" : "CPUID",
		clock_rates.windows_agree, clock_rates.windows,
		clock_rates.rounds, clock_rates.tsc_khz_apic,
		clock_rates.tsc_khz_cpuid);
	smp_start_aps(switch_idle_cpu);

	cmdline_get("mode", mode, sizeof mode);
	record("hello", "v=1 mode=%s cpus=%u", mode[0] ? mode : "none",
		smp_cpus_online());
	record("clock", "tsc_khz=%u lapic_khz=%u source=%s agree=%u/%u "
		"rounds=%u tsc_khz_apic=%u tsc_khz_cpuid=%u",
		clock_rates.tsc_khz, clock_rates.lapic_khz,
		clock_rates.source == CLOCK_SRC_PIT ? "pit" : "cpuid",
		clock_rates.windows_agree, clock_rates.windows,
		clock_rates.rounds, clock_rates.tsc_khz_apic,
		clock_rates.tsc_khz_cpuid);
	record("cmdline", "str=%s", record_text(enc, sizeof enc, cmdline_raw()));
	for (uint32_t i = 0; i < kinfo.mod_count; i++)
		report_module(i);
	check_cmdline(mode);
	run_mode(mode);
}

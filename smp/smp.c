/*
 * Finding the CPUs (ACPI MADT, one CPU when there is none), starting each
 * AP through INIT-SIPI-SIPI and the real-mode trampoline, giving each its
 * own GDT, TSS, stack and CPU-local area, and the idle loop where APs wait
 * for work.
 */
#include "smp/smp.h"
#include "kernel/arch.h"
#include "kernel/kernel.h"
#include "kernel/bootmem.h"
#include "kernel/cmdline.h"
#include "kernel/record.h"
#include "kernel/lib/string.h"

#define KSTACK_SIZE	8192
#define AP_WAIT_MS	200

struct smp_discovery smp_discovery;
struct madt_info smp_madt;

/* Each AP's task stacks (gdt.c) and, above them, its kernel stack: one
 * block of boot memory taken as the AP is started, so that only the CPUs
 * there are cost memory (the boot CPU has its stacks in the image). */
#define AP_BLOCK_SIZE	(GDT_TASK_STACKS_SIZE + KSTACK_SIZE)
static uint32_t ap_kstack_top[CONFIG_MAX_CPUS];
static uint32_t ap_boot_pgdir[1024] __attribute__((aligned(PAGE_SIZE)));
static volatile uint32_t cpus_online = 1;
static volatile int boot_cpu_ready;
static volatile uint32_t ap_alive;	/* index of the AP that just came up */

static uint32_t kstack_top(unsigned cpu)
{
	return ap_kstack_top[cpu];
}

/* A block for the next AP, NULL when boot memory has none left. */
static uint8_t *ap_block(void)
{
	phys_bytes p = bootmem_take_below(AP_BLOCK_SIZE, kinfo.mapped_end);

	return p ? kphystov(p) : 0;
}

unsigned smp_cpus_online(void)
{
	return cpus_online;
}

int smp_ready(void)
{
	return boot_cpu_ready;
}

void smp_init_boot_cpu(uint32_t stack_top)
{
	gdt_init_cpu(0, stack_top);
	idt_init();
	idt_load();
	get_cpulocal_var(online) = 1;
	boot_cpu_ready = 1;
}

/* ACPI tables are read through the kernel mapping when they lie in it,
 * else through the physical window. */
static const void *acpi_phys(uint32_t addr, uint32_t len, void *ctx)
{
	const struct kinfo *ki = ctx;

	if (addr + len < addr)
		return 0;
	if (addr + len <= ki->mapped_end)
		return kphystov(addr);
	return phys_window_map(addr, len);
}

static void print_found(const char *what, uint32_t phys)
{
	struct smp_discovery *d = &smp_discovery;

	kprintf("smp: %s at 0x%08x: %d CPUs, %d I/O APICs, %d overrides, "
		"local APIC 0x%08x\n", what, phys, smp_madt.cpu_count,
		smp_madt.ioapic_count, smp_madt.override_count,
		smp_madt.lapic_addr);
	for (int i = 0; i < smp_madt.ioapic_count; i++)
		kprintf("smp:   I/O APIC %u at 0x%08x, GSI base %u\n",
			smp_madt.ioapics[i].id, smp_madt.ioapics[i].addr,
			smp_madt.ioapics[i].gsi_base);
	for (int i = 0; i < smp_madt.override_count; i++)
		kprintf("smp:   IRQ %u -> GSI %u (flags 0x%x)\n",
			smp_madt.overrides[i].source, smp_madt.overrides[i].gsi,
			smp_madt.overrides[i].flags);
	d->cpus_listed = smp_madt.cpu_count;
	d->ioapics = smp_madt.ioapic_count;
	d->overrides = smp_madt.override_count;
}

static void add_mp_siblings(void);

/* The MADT if there is a usable one, else the MP table (machines from
 * before ACPI, or booted with it off), else the boot CPU alone. */
static void discover(const struct kinfo *ki)
{
	struct acpi_access acc = { acpi_phys, (void *)ki };
	struct smp_discovery *d = &smp_discovery;

	d->madt_status = acpi_find_madt(&acc, &smp_madt, &d->madt_phys);
	if (d->madt_status == 0) {
		d->source = SMP_SRC_MADT;
		print_found("MADT", d->madt_phys);
		return;
	}
	d->mp_status = mp_find(&acc, &smp_madt, &d->mp);
	if (d->mp_status == 0) {
		d->source = SMP_SRC_MP;
		if (d->mp.default_config)
			kprintf("smp: no usable MADT (error %d); MP default "
				"configuration %d\n", d->madt_status,
				d->mp.default_config);
		else
			kprintf("smp: no usable MADT (error %d); MP table "
				"(pointer at 0x%08x)\n", d->madt_status,
				d->mp.mpf_phys);
		print_found("MP table", d->mp.mpc_phys);
		add_mp_siblings();
		return;
	}
	kprintf("smp: no usable MADT (error %d) nor MP table (error %d): "
		"one CPU\n", d->madt_status, d->mp_status);
	d->source = SMP_SRC_NONE;
	smp_madt.cpu_count = 0;
}

/* An MP table may list only the first logical CPU of each package, as
 * firmware did for operating systems that knew nothing of Hyper-Threading
 * (SeaBIOS does so for QEMU's cores and threads). CPUID leaf 1 says how
 * many APIC ids a package spans; the ids of a listed package that the
 * table leaves out are added after the listed CPUs, and tried. */
static void add_mp_siblings(void)
{
	struct smp_discovery *d = &smp_discovery;
	uint32_t a, b, c, dx, span, n = (uint32_t)smp_madt.cpu_count;
	uint8_t listed[256 / 8] = { 0 };

	cpuid(1, &a, &b, &c, &dx);
	if (!(dx & (1u << 28)) || ((b >> 16) & 0xff) <= 1)
		return;
	for (span = 1; span < ((b >> 16) & 0xff); span <<= 1)
		;
	for (uint32_t i = 0; i < n; i++)
		listed[smp_madt.cpus[i].apic_id / 8] |=
			(uint8_t)(1u << (smp_madt.cpus[i].apic_id % 8));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t base = smp_madt.cpus[i].apic_id;

		if (base % span != 0)
			continue;
		for (uint32_t id = base + 1; id < base + span && id < 0xff; id++) {
			if (listed[id / 8] & (1u << (id % 8)) ||
			    smp_madt.cpu_count == ACPI_MAX_CPUS)
				continue;
			listed[id / 8] |= (uint8_t)(1u << (id % 8));
			smp_madt.cpus[smp_madt.cpu_count].acpi_id = (uint8_t)id;
			smp_madt.cpus[smp_madt.cpu_count].apic_id = (uint8_t)id;
			smp_madt.cpu_count++;
			d->siblings_tried++;
		}
	}
	if (d->siblings_tried)
		kprintf("smp: the MP table lists packages of %u logical CPUs "
			"(CPUID); trying %d unlisted ones\n", span,
			d->siblings_tried);
}

/* How many CPUs may run: CONFIG_MAX_CPUS, or fewer if the boot word
 * maxcpus=<n> (n >= 1) asks for that. */
static int cpu_limit(void)
{
	uint32_t n = cmdline_get_uint("maxcpus", CONFIG_MAX_CPUS);

	if (n < 1 || n > CONFIG_MAX_CPUS)
		n = CONFIG_MAX_CPUS;
	return (int)n;
}

/* APs start with paging on this directory: the kernel mapping plus the
 * low 4 MiB identity-mapped so the trampoline survives enabling paging. */
static void prepare_trampoline(void)
{
	uint8_t *page = kphystov(TRAMPOLINE_PHYS);
	struct trampoline_args *args = (void *)(page + TRAMPOLINE_ARGS_OFF);
	uint32_t len = trampoline_end - trampoline_start;

	assert(len <= TRAMPOLINE_ARGS_OFF);
	memcpy(page, trampoline_start, len);
	memcpy(ap_boot_pgdir, kernel_pgdir, sizeof(ap_boot_pgdir));
	ap_boot_pgdir[0] = 0 | PTE_P | PTE_W | PTE_PS;

	memset(args, 0, sizeof(*args));
	args->cr3 = kvtophys(ap_boot_pgdir);
	args->gdt[1] = 0x00cf9a000000ffffull;	/* flat 32-bit code */
	args->gdt[2] = 0x00cf92000000ffffull;	/* flat 32-bit data */
	args->gdtr_limit = sizeof(args->gdt) - 1;
	args->gdtr_base = TRAMPOLINE_PHYS + TRAMPOLINE_ARGS_OFF +
		__builtin_offsetof(struct trampoline_args, gdt);
}

static void ipi_work(struct trapframe *tf);
static smp_then_fn ap_then;	/* where an AP goes once online */

static void ap_entry(unsigned cpu) __attribute__((noreturn));
static void ap_entry(unsigned cpu)
{
	write_cr3(kvtophys(kernel_pgdir));	/* drop the identity map */
	gdt_init_cpu(cpu, kstack_top(cpu));
	idt_load();
	lapic_init_cpu();
	fastentry_init_cpu(kstack_top(cpu));
	fpu_init_cpu();
	get_cpulocal_var(apic_id) = lapic_id();
	get_cpulocal_var(online) = 1;
	__atomic_add_fetch(&cpus_online, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&ap_alive, cpu, __ATOMIC_RELEASE);
	kprintf("smp: cpu %u online (APIC id %u)\n", cpu, lapic_id());
	trap_set_handler(VEC_IPI_WORK, ipi_work);
	ap_then();
}

/* INIT, then two Startup IPIs, as the MP specification asks; the AP says
 * it is alive by storing its index in ap_alive. */
static int start_ap(unsigned cpu, uint32_t apic_id, uint8_t *block)
{
	struct trampoline_args *args =
		kphystov(TRAMPOLINE_PHYS + TRAMPOLINE_ARGS_OFF);

	gdt_set_task_stacks(cpu, block);
	ap_kstack_top[cpu] = (uint32_t)(block + AP_BLOCK_SIZE);

	args->stack_top = kstack_top(cpu);
	args->entry = (uint32_t)ap_entry;
	args->cpu = cpu;
	get_cpu_var(cpu, apic_id) = apic_id;
	__atomic_store_n(&ap_alive, 0, __ATOMIC_RELEASE);

	lapic_send_init(apic_id);
	clock_udelay(10000);
	for (int sipi = 0; sipi < 2; sipi++) {
		lapic_send_startup(apic_id, TRAMPOLINE_PHYS);
		clock_udelay(200);
		if (__atomic_load_n(&ap_alive, __ATOMIC_ACQUIRE) == cpu)
			return 1;
	}
	for (uint32_t ms = 0; ms < AP_WAIT_MS; ms++) {
		if (__atomic_load_n(&ap_alive, __ATOMIC_ACQUIRE) == cpu)
			return 1;
		clock_udelay(1000);
	}
	return 0;
}

unsigned smp_start_aps(smp_then_fn then)
{
	uint32_t self = lapic_id();
	unsigned next = 1;
	int limit = cpu_limit();
	uint8_t *block = 0;	/* kept for the next AP if one fails */

	ap_then = then;
	get_cpulocal_var(apic_id) = self;
	smp_discovery.cpu_limit = limit;
	discover(&kinfo);
	if (!lapic_present() || smp_madt.cpu_count == 0)
		return cpus_online;
	prepare_trampoline();
	for (int i = 0; i < smp_madt.cpu_count; i++) {
		uint32_t apic_id = smp_madt.cpus[i].apic_id;

		if (apic_id == self)
			continue;
		if (apic_id == 0xff) {	/* the xAPIC broadcast id */
			kprintf("smp: CPU with APIC id 255 left off: an xAPIC "
				"cannot address it\n");
			continue;
		}
		if (next >= (unsigned)limit) {
			if (i < smp_discovery.cpus_listed)
				smp_discovery.cpus_dropped++;
			continue;
		}
		if (block == 0 && (block = ap_block()) == 0) {
			kprintf("smp: no memory for more CPUs' stacks: %u "
				"started\n", next);
			break;
		}
		if (start_ap(next, apic_id, block)) {
			block = 0;
			next++;
			if (i >= smp_discovery.cpus_listed)
				smp_discovery.siblings_started++;
		} else if (i >= smp_discovery.cpus_listed) {
			kprintf("smp: no logical CPU answered at APIC id %u\n",
				apic_id);
		} else {
			kprintf("smp: CPU with APIC id %u did not start\n",
				apic_id);
		}
	}
	if (smp_discovery.cpus_dropped)
		kprintf("smp: %d CPUs beyond the limit of %d left off%s\n",
			smp_discovery.cpus_dropped, limit,
			limit < CONFIG_MAX_CPUS ? " (maxcpus=)" : "");
	return cpus_online;
}

/* --- cross-CPU work ------------------------------------------------------ */

static void ipi_work(struct trapframe *tf)
{
	(void)tf;
	get_cpulocal_var(ipis_received)++;
	lapic_eoi();
}

void smp_run_queued_work(void)
{
	cpu_work_fn fn = get_cpulocal_var(work_fn);

	if (fn) {
		fn(get_cpulocal_var(work_arg));
		__atomic_store_n(get_cpulocal_var_ptr(work_fn), 0,
			__ATOMIC_RELEASE);
	}
}

static void queue_work(unsigned cpu, cpu_work_fn fn, void *arg)
{
	while (__atomic_load_n(get_cpu_var_ptr(cpu, work_fn), __ATOMIC_ACQUIRE))
		cpu_pause();
	get_cpu_var(cpu, work_arg) = arg;
	__atomic_store_n(get_cpu_var_ptr(cpu, work_fn), fn, __ATOMIC_RELEASE);
	lapic_send_ipi(get_cpu_var(cpu, apic_id), VEC_IPI_WORK);
}

static void wait_work(unsigned cpu)
{
	while (__atomic_load_n(get_cpu_var_ptr(cpu, work_fn), __ATOMIC_ACQUIRE))
		cpu_pause();
}

void smp_call_on(unsigned cpu, cpu_work_fn fn, void *arg)
{
	trap_set_handler(VEC_IPI_WORK, ipi_work);
	if (cpu == cpu_self()) {
		fn(arg);
		return;
	}
	queue_work(cpu, fn, arg);
	wait_work(cpu);
}

void smp_call_all(cpu_work_fn fn, void *arg)
{
	unsigned self = cpu_self(), n = cpus_online;

	trap_set_handler(VEC_IPI_WORK, ipi_work);
	for (unsigned c = 0; c < n; c++)
		if (c != self)
			queue_work(c, fn, arg);
	fn(arg);
	for (unsigned c = 0; c < n; c++)
		if (c != self)
			wait_work(c);
}

/* --- panic ------------------------------------------------------------------ */

static void nmi_halt(struct trapframe *tf)
{
	(void)tf;
	cpu_halt_forever();
}

void smp_halt_others(void)
{
	if (cpus_online > 1 && lapic_present()) {
		trap_set_handler(EXC_NMI, nmi_halt);
		lapic_send_nmi_others();
	}
}

/* --- ACPI dump (fixtures for the host tests) ---------------------------------- */

struct dump_seen {
	uint32_t addr[32];
	int n;
};

static void dump_table(const char *sig, uint32_t phys, const uint8_t *p,
	uint32_t len)
{
	char hex[64 * 2 + 1];

	for (uint32_t off = 0; off < len; off += 64) {
		uint32_t n = len - off < 64 ? len - off : 64;

		for (uint32_t i = 0; i < n; i++) {
			static const char digits[] = "0123456789abcdef";
			hex[2 * i] = digits[p[off + i] >> 4];
			hex[2 * i + 1] = digits[p[off + i] & 15];
		}
		hex[2 * n] = '\0';
		record("acpi", "sig=%.4s phys=%08x len=%u off=%u hex=%s", sig,
			phys, len, off, hex);
	}
}

/* Remembers where the discovery code looked: the RSDP (found in low memory
 * by its signature) and every address above 1 MiB it read, which are
 * checked for being whole tables when dumped. */
static const void *dump_phys(uint32_t addr, uint32_t len, void *ctx)
{
	struct dump_seen *seen = ctx;
	const uint8_t *p = acpi_phys(addr, len, &kinfo);

	if (!p || seen->n == (int)ARRAY_SIZE(seen->addr))
		return p;
	if (addr < 0x100000 && !(len >= 8 && memcmp(p, "RSD PTR ", 8) == 0))
		return p;
	for (int i = 0; i < seen->n; i++)
		if (seen->addr[i] == addr)
			return p;
	seen->addr[seen->n++] = addr;
	return p;
}

/* A table: four signature characters, a sane length, a zero checksum. */
static const uint8_t *whole_table(uint32_t addr, uint32_t *len)
{
	const uint8_t *p = acpi_phys(addr, 36, &kinfo);

	if (!p)
		return 0;
	for (int i = 0; i < 4; i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9')))
			return 0;
	*len = p[4] | p[5] << 8 | p[6] << 16 | (uint32_t)p[7] << 24;
	if (*len < 36 || *len > 65536)
		return 0;
	p = acpi_phys(addr, *len, &kinfo);
	return p && acpi_checksum(p, *len) == 0 ? p : 0;
}

void smp_dump_acpi(void)
{
	struct dump_seen seen = { .n = 0 };
	struct acpi_access acc = { dump_phys, &seen };
	struct madt_info *scratch = &smp_madt;	/* reparsed identically */
	uint32_t madt_phys;
	struct mp_where mp;
	const uint8_t *q;

	acpi_find_madt(&acc, scratch, &madt_phys);
	for (int i = 0; i < seen.n; i++) {
		const uint8_t *p = acpi_phys(seen.addr[i], 36, &kinfo);
		uint32_t len;

		if (memcmp(p, "RSD PTR ", 8) == 0)
			dump_table("RSDP", seen.addr[i], p, p[15] >= 2 ? 36 : 20);
		else if ((p = whole_table(seen.addr[i], &len)) != 0)
			dump_table((const char *)p, seen.addr[i], p, len);
	}
	/* The MP table too, where there is one: its floating pointer and
	 * configuration table, as the parser checked them. */
	acc.phys = acpi_phys;
	acc.ctx = &kinfo;
	mp_find(&acc, scratch, &mp);
	if (mp.mpf_phys && (q = acpi_phys(mp.mpf_phys, MPF_LEN, &kinfo)) != 0)
		dump_table("_MP_", mp.mpf_phys, q, MPF_LEN);
	if (mp.mpc_phys && (q = acpi_phys(mp.mpc_phys, mp.mpc_len, &kinfo)) != 0)
		dump_table("PCMP", mp.mpc_phys, q, mp.mpc_len);
	/* What discovery found stays what the kernel uses. */
	if (smp_discovery.source == SMP_SRC_MADT)
		acpi_find_madt(&acc, scratch, &madt_phys);
}

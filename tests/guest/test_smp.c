/*
 * In-guest tests of CPU start-up and CPU-local data: every CPU the MADT
 * lists came online, and each CPU reads and writes its own CPU-local area
 * through %fs.
 */
#include "kernel/ktest.h"
#include "kernel/kernel.h"
#include "kernel/cpulocal.h"
#include "kernel/arch.h"
#include "kernel/lib/format.h"
#include "smp/smp.h"

/* Kept out of line so that its code can be checked: it must compile to a
 * single %fs-relative load (tools/check_kernel_symbols.py). */
uint32_t cpulocal_read_cpu_id(void) __attribute__((noinline));
uint32_t cpulocal_read_cpu_id(void)
{
	return get_cpulocal_var(cpu_id);
}

KTEST(smp_online)
{
	unsigned online = smp_cpus_online();
	static const char *const source[] = {
		[SMP_SRC_NONE] = "no MADT, no MP table",
		[SMP_SRC_MADT] = "MADT", [SMP_SRC_MP] = "MP table",
	};
	int listed = smp_discovery.source != SMP_SRC_NONE ?
		smp_discovery.cpus_listed - smp_discovery.cpus_dropped +
		smp_discovery.siblings_started : 1;

	ktest_result("smp.online", online == (unsigned)listed && online >= 1,
		"%u/%d CPUs online (%s)", online, listed,
		source[smp_discovery.source]);
	/* The limit: CONFIG_MAX_CPUS, or maxcpus= on the command line. */
	ktest_result("smp.limit", online <= (unsigned)smp_discovery.cpu_limit &&
		(smp_discovery.cpus_dropped == 0 ||
		 online == (unsigned)smp_discovery.cpu_limit),
		"%d CPUs beyond the limit of %d left off, %u online",
		smp_discovery.cpus_dropped, smp_discovery.cpu_limit, online);
	for (unsigned c = 0; c < online; c++)
		if (!get_cpu_var(c, online))
			ktest_result("smp.online", 0, "cpu %u not marked online",
				c);
}

/* Runs on every CPU: find our index by APIC id (not through %fs), then
 * check that %fs reaches exactly our own area. */
static void cpulocal_check(void *arg)
{
	(void)arg;
	uint32_t apic = lapic_id(), index = CONFIG_MAX_CPUS;

	for (uint32_t c = 0; c < smp_cpus_online(); c++)
		if (get_cpu_var(c, apic_id) == apic)
			index = c;
	if (index == CONFIG_MAX_CPUS)
		return;
	if (cpulocal_read_cpu_id() == index &&
	    get_cpulocal_var(self) == &cpulocal_vars[index] &&
	    get_cpulocal_var_ptr(selftest_word) ==
		get_cpu_var_ptr(index, selftest_word))
		get_cpulocal_var(selftest_word) = 0xc0de0000u | index;
}

KTEST(cpulocal)
{
	unsigned n = smp_cpus_online();

	for (unsigned c = 0; c < n; c++)
		get_cpu_var(c, selftest_word) = 0;
	smp_call_all(cpulocal_check, 0);
	for (unsigned c = 0; c < n; c++) {
		char name[32];
		uint32_t w = get_cpu_var(c, selftest_word);

		ksnprintf(name, sizeof name, "cpulocal.cpu%u", c);
		ktest_result(name, w == (0xc0de0000u | c),
			"apic id %u wrote 0x%08x through %%fs",
			get_cpu_var(c, apic_id), w);
	}
}

static volatile uint32_t call_count;

static void count_call(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&call_count, 1, __ATOMIC_RELAXED);
}

KTEST(smp_call)
{
	unsigned n = smp_cpus_online();

	call_count = 0;
	for (int round = 0; round < 3; round++)
		smp_call_all(count_call, 0);
	ktest_result("smp.call_all", call_count == 3 * n,
		"%u calls on %u CPUs in 3 rounds", call_count, n);
	for (unsigned c = 1; c < n; c++)
		if (get_cpu_var(c, ipis_received) == 0)
			ktest_result("smp.ipi", 0, "cpu %u received no IPI", c);
	if (n > 1)
		ktest_result("smp.ipi", 1, "work IPIs reached %u APs", n - 1);
}

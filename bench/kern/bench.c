/*
 * The benchmark runner: for every registered benchmark, warm up, take the
 * samples, and send them as records with the empty-probe overhead.
 */
#include "bench/kern/bench.h"
#include "kernel/kernel.h"
#include "kernel/bootmode.h"
#include "kernel/cmdline.h"
#include "kernel/record.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/arch/i386/cpu.h"

#define MAX_SAMPLES	1000
#define PER_RECORD	32

extern const struct bench _benches_start[], _benches_end[];

int bench_have_lfence;
static uint64_t samples[MAX_SAMPLES];

static void send_samples(const struct bench *b, unsigned n, uint64_t overhead)
{
	char line[PER_RECORD * 21 + 1];
	unsigned seq = 0;

	for (unsigned i = 0; i < n; seq++) {
		int len = 0;

		for (unsigned k = 0; k < PER_RECORD && i < n; k++, i++)
			len += ksnprintf(line + len, sizeof line - len, "%s%llu",
				k ? "," : "", samples[i]);
		record("bench", "name=%s seq=%u overhead=%llu raw=%s", b->name,
			seq, overhead, line);
	}
	record("benchend", "name=%s samples=%u records=%u warmup=%u", b->name,
		n, seq, cmdline_get_uint("warmup", 5));
}

static int selected(const struct bench *b)
{
	char filter[64];

	if (!cmdline_get("bench", filter, sizeof filter))
		return 1;
	return strncmp(b->name, filter, strlen(filter)) == 0;
}

/*
 * The CPU the numbers come from, as CPUID names it: the vendor and, where
 * the extended leaves reach 0x80000004, the 48-byte brand string. On bare
 * metal this is the only way the lab learns the machine's CPU; under QEMU
 * it names QEMU's model.
 */
static void send_cpu(void)
{
	uint32_t r[12 + 1], a, b, c, d;
	char vendor[13], enc[40 + 48 * 3 + 1];
	char *brand = (char *)r;

	cpuid(0, &a, &b, &c, &d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = '\0';
	r[0] = 0;
	cpuid(0x80000000u, &a, &b, &c, &d);
	if (a >= 0x80000004u && a <= 0x8000ffffu) {
		for (uint32_t i = 0; i < 3; i++)
			cpuid(0x80000002u + i, &r[4 * i], &r[4 * i + 1],
				&r[4 * i + 2], &r[4 * i + 3]);
		r[12] = 0;
		while (*brand == ' ')
			brand++;
		for (size_t n = strlen(brand); n && brand[n - 1] == ' '; n--)
			brand[n - 1] = '\0';
	}
	record("cpu", "vendor=%s brand=%s", record_text(enc, 40, vendor),
		brand[0] ? record_text(enc + 40, sizeof enc - 40, brand) : "-");
}

static void bench_run_all(void)
{
	unsigned n = cmdline_get_uint("samples", 30);
	unsigned warmup = cmdline_get_uint("warmup", 5);
	char enc[512];

	bench_timer_init();
	send_cpu();
	if (n > MAX_SAMPLES)
		n = MAX_SAMPLES;
	uint64_t overhead = bench_probe_overhead();
	kprintf("bench: %u samples after %u warm-up, empty probe %llu ticks "
		"(%s)\n", n, warmup, overhead,
		bench_have_lfence ? "lfence" : "cpuid");

	for (const struct bench *b = _benches_start; b < _benches_end; b++) {
		if (!selected(b))
			continue;
		record("benchinfo", "name=%s unit=%s batch=%u desc=%s", b->name,
			b->unit, b->batch, record_text(enc, sizeof enc, b->desc));
		if (b->prepare)
			b->prepare(b);
		for (unsigned i = 0; i < warmup; i++)
			(void)b->sample(b);
		for (unsigned i = 0; i < n; i++)
			samples[i] = b->sample(b);
		send_samples(b, n, overhead);
	}
}

/* mode=bench: kernel/main.c runs this, then user space's benchmarks. */
BOOT_MODE(bench_mode, "bench", bench_run_all);

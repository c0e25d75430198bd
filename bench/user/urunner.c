/* The user-space benchmark runner: samples, overhead, records. */
#include <stdio.h>
#include "bench/user/urunner.h"
#include "cairn/urecord.h"

#define MAX_SAMPLES	200
#define PER_RECORD	32

int bench_have_lfence;

static uint64_t samples[MAX_SAMPLES];

static void send(const struct ubench *b, unsigned n, uint64_t overhead,
	unsigned warmup)
{
	char raw[PER_RECORD * 21 + 1], enc[400];
	unsigned seq = 0;

	urecord("benchinfo", "name=%s unit=tsc batch=%u desc=%s", b->name,
		b->batch, urecord_text(enc, sizeof enc, b->desc));
	for (unsigned i = 0; i < n; seq++) {
		int len = 0;
		for (unsigned k = 0; k < PER_RECORD && i < n; k++, i++)
			len += snprintf(raw + len, sizeof raw - len, "%s%llu",
				k ? "," : "", samples[i]);
		urecord("bench", "name=%s seq=%u overhead=%llu raw=%s", b->name,
			seq, b->latency ? 0ull : overhead, raw);
	}
	urecord("benchend", "name=%s samples=%u records=%u warmup=%u",
		b->name, n, seq, warmup);
}

static const char *fail_what;	/* the current metric failed: why */
static int fail_code;

void ubench_fail(const char *what, int code)
{
	if (fail_what == NULL) {
		fail_what = what;
		fail_code = code;
	}
}

static void send_failure(const struct ubench *b)
{
	char why[160], enc[400];

	snprintf(why, sizeof why, "%s failed: %d; no samples sent",
		fail_what, fail_code);
	printf("ubench: %s: %s\n", b->name, why);
	urecord("test", "name=ubench.%s result=fail detail=%s", b->name,
		urecord_text(enc, sizeof enc, why));
}

void ubench_run(const struct ubench *list, unsigned count, unsigned n,
	unsigned warmup)
{
	bench_timer_init();
	uint64_t overhead = bench_probe_overhead();

	if (n > MAX_SAMPLES)
		n = MAX_SAMPLES;
	for (unsigned i = 0; i < count; i++) {
		const struct ubench *b = &list[i];
		int r;

		fail_what = NULL;
		if (b->setup && (r = b->setup(b, warmup + n)) < 0)
			ubench_fail("setup", r);
		for (unsigned w = 0; w < warmup && !fail_what; w++)
			(void)b->sample(b);
		for (unsigned s = 0; s < n && !fail_what; s++)
			samples[s] = b->sample(b);
		if (b->teardown)
			b->teardown(b);
		if (fail_what)
			send_failure(b);
		else
			send(b, n, overhead, warmup);
	}
}

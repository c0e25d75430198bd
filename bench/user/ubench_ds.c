/*
 * Benchmarks of the data store: DS_PUBLISH (replacing the caller's own
 * entry) and DS_RETRIEVE of a u32 and of a 4 KiB memory range, which the
 * library moves through a grant made and revoked around each request.
 * Each metric spawns a private store ("ubench role=ds") on this CPU.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include "cairn/dslib.h"
#include "cairn/grantlib.h"
#include "bench/user/ubench_ds.h"

#define RANGE	4096u

static endpoint_t store;
/* What is published and where it is read back to: on the heap, so that
 * ubench's own size (what proc.fork_exit_wait copies) does not grow. */
static uint8_t *range, *back;

static int ds_setup(const struct ubench *b, unsigned count)
{
	(void)count;
	if (range == NULL && (range = malloc(2 * RANGE)) == NULL)
		return ENOMEM;
	back = range + RANGE;
	if ((store = spawn("ubench role=ds")) < 0)
		return store;
	ds_use(store);
	for (uint32_t i = 0; i < RANGE; i++)
		range[i] = (uint8_t)i;
	/* The entry the retrieves read (and the publishes replace). */
	return b->arg ? ds_publish_mem("b.mem", range, RANGE, 0) :
		ds_publish_u32("b.u32", 1, 0);
}

static void ds_teardown(const struct ubench *b)
{
	int st;

	(void)b;
	if (store > 0) {
		kill(store, 0);
		waitpid(store, &st, 0);
		store = 0;
	}
	/* The grant table's page goes too: the region benchmarks after
	 * these count this process's regions and map over the map area. */
	cpf_reset();
}

static uint64_t publish(const struct ubench *b)
{
	uint64_t t0 = bench_begin();
	int r = b->arg ? ds_publish_mem("b.mem", range, RANGE, DSF_OVERWRITE) :
		ds_publish_u32("b.u32", (uint32_t)t0, DSF_OVERWRITE);
	uint64_t t = bench_end() - t0;

	if (r != OK)
		ubench_fail("DS_PUBLISH", r);
	return t;
}

static uint64_t retrieve(const struct ubench *b)
{
	size_t len = RANGE;
	uint32_t v;
	uint64_t t0 = bench_begin();
	int r = b->arg ? ds_retrieve_mem("b.mem", back, &len) :
		ds_retrieve_u32("b.u32", &v);
	uint64_t t = bench_end() - t0;

	if (r != OK)
		ubench_fail("DS_RETRIEVE", r);
	return t;
}

#define DS_BENCH(nm, what, fn, mem) \
	(struct ubench){ .name = nm, .desc = what, .batch = 1, .sample = fn, \
	.arg = mem, .setup = ds_setup, .teardown = ds_teardown }

unsigned ubench_ds_list(struct ubench *list, unsigned max)
{
	const struct ubench all[] = {
		DS_BENCH("ds.publish.u32", "DS_PUBLISH replacing the caller's "
			"u32 entry, SENDREC to a store on the same CPU",
			publish, 0),
		DS_BENCH("ds.retrieve.u32", "DS_RETRIEVE of a u32 entry, "
			"SENDREC to a store on the same CPU", retrieve, 0),
		DS_BENCH("ds.publish.mem4k", "DS_PUBLISH replacing a 4 KiB "
			"memory entry: a grant made, the store's safecopy from "
			"it, the grant revoked", publish, 1),
		DS_BENCH("ds.retrieve.mem4k", "DS_RETRIEVE of a 4 KiB memory "
			"entry: a grant made, the store's safecopy into it, "
			"the grant revoked", retrieve, 1),
	};
	unsigned n = 0;

	for (; n < sizeof all / sizeof all[0] && n < max; n++)
		list[n] = all[n];
	return n;
}

/*
 * Benchmarks of recovery, against the demo service RS starts from the
 * system image (servers/demo; system.conf: a heartbeat every 200 ms):
 *
 * - rs.demo.roundtrip: a SENDREC round trip to the service (DEMO_SERVED,
 *   which touches no other server), with RS's heartbeats running;
 * - rs.recovery.crash_to_served: from the request that crashes the
 *   service (a null pointer write) to the first request the restarted
 *   instance has answered: the kernel's stop, RS taking it, VM building
 *   the new instance, its state read back from DS, RS_READY, and the
 *   client finding it again by label and retrying. Each sample first
 *   waits a healthy second (blocked on an alarm), so RS's back-off for
 *   deaths in a row never counts: what is measured is the mechanism;
 * - rs.update.swap: a live update of the service (RS_UPDATE, to the
 *   other of demo and demo_v2 each time) until the first request the
 *   new version answers: RS_PREPARE, the old one saving its state, the
 *   new one started and reading it, the swap in VM and the kernel, the
 *   old one ended.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "cairn/ipclib.h"
#include "cairn/rslib.h"
#include "cairn/syslib.h"
#include "bench/user/ubench_rs.h"

static endpoint_t demo;
static message msg;

static int demo_setup(const struct ubench *b, unsigned count)
{
	(void)b;
	(void)count;
	return rs_find("demo", &demo, 500);
}

static int demo_call(int type)
{
	int r;

	msg.m_type = type;
	msg.u.w[0] = 0;
	r = ipc_sendrec(demo, &msg);
	return r == OK ? msg.u.reply.status : r;
}

static uint64_t roundtrip(const struct ubench *b)
{
	uint64_t t0 = bench_begin();
	int r = OK;

	for (uint32_t i = 0; i < b->batch && r == OK; i++)
		r = demo_call(DEMO_SERVED);
	uint64_t t = bench_end() - t0;

	if (r != OK)
		ubench_fail("DEMO_SERVED", r);
	return t;
}

static uint64_t crash_to_served(const struct ubench *b)
{
	endpoint_t old = demo;
	uint64_t t0, t;
	int r, tries = 0;

	(void)b;
	sys_sleep(1100);	/* a healthy second: no back-off */
	t0 = bench_begin();
	msg.m_type = DEMO_CRASH;
	msg.u.w[0] = DEMO_CRASH_FAULT;
	r = ipc_send(demo, &msg);
	while (r == OK && (r = demo_call(DEMO_GET)) != OK &&
	       (r == EDEADSRCDST || r == EBADEPT) && tries < 1000000) {
		/* Asked again until RS names a new instance (RS, VM and the
		 * service run before this user process). */
		do {
			r = rs_lookup("demo", &demo);
			tries++;
		} while ((r == EAGAIN || (r == OK && demo == old)) &&
			 tries < 1000000);
	}
	t = bench_end() - t0;
	if (r != OK || demo == old)
		ubench_fail("crash and recovery of demo", r != OK ? r : EAGAIN);
	return t;
}

static uint64_t update_swap(const struct ubench *b)
{
	static int to_v2 = 1;
	uint64_t t0, t;
	int r;

	(void)b;
	t0 = bench_begin();
	msg.m_type = RS_UPDATE;
	strlcpy(msg.u.rs_update.label, "demo", RS_LABEL_LEN);
	strlcpy(msg.u.rs_update.program, to_v2 ? "demo_v2" : "demo",
		RS_PROGRAM_LEN);
	r = ipc_sendrec(RS_ENDPOINT, &msg);
	if (r == OK)
		r = msg.u.reply.status;
	if (r == OK)
		r = demo_call(DEMO_VERSION);
	t = bench_end() - t0;
	if (r != OK || msg.u.reply.value[0] != (to_v2 ? 2u : 1u))
		ubench_fail("live update of demo", r != OK ? r : EINVAL);
	to_v2 = !to_v2;
	return t;
}

unsigned ubench_rs_list(struct ubench *list, unsigned max)
{
	const struct ubench mine[] = {
		{ .name = "rs.demo.roundtrip",
		  .desc = "SENDREC round trip to the demo service, a system "
		  "service RS watches with a heartbeat every 200 ms",
		  .batch = 16, .sample = roundtrip, .setup = demo_setup },
		{ .name = "rs.recovery.crash_to_served",
		  .desc = "a service's crash (null write) to its first served "
		  "request after RS restarted it and the client found it by "
		  "label (no back-off)", .batch = 1,
		  .sample = crash_to_served, .setup = demo_setup,
		  .latency = 1 },
		{ .name = "rs.update.swap",
		  .desc = "a live update of the demo service, from RS_UPDATE "
		  "to the first request the new version answers", .batch = 1,
		  .sample = update_swap, .setup = demo_setup, .latency = 1 },
	};
	unsigned n = 0;

	for (; n < sizeof mine / sizeof mine[0] && n < max; n++)
		list[n] = mine[n];
	return n;
}

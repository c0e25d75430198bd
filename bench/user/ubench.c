/*
 * User-space benchmarks of the microkernel's hot paths: a null call
 * through each kernel entry, SENDREC round trips on one CPU and across two,
 * NOTIFY latency, delivery to a process whose address space is not loaded,
 * and a page fault served by VM; then the VM server's and the process
 * manager's (ubench_vm.c). Roles (argv role=): main measures; server
 * (main's CPU) and xserver (another CPU) answer; execd is what
 * proc.exec starts.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cairn/ipclib.h"
#include "cairn/rslib.h"
#include "cairn/syslib.h"
#include "cairn/vmlib.h"
#include "bench/user/urunner.h"
#include "bench/user/ubench_vm.h"
#include "bench/user/ubench_grant.h"
#include "bench/user/ubench_ds.h"
#include "bench/user/ubench_rs.h"
#include "servers/ds/ds.h"

/* Boot program i has endpoint make_endpoint(1, i); 0 is VM, 1 is PM, 2
 * RS (the system image). */
#define UB_MAIN		3
#define UB_SERVER	4
#define UB_XSERVER	5
#define ub_ep(i)	make_endpoint(1, (i))

#define UB_ECHO		0x200
#define UB_ACK		0x201
#define UB_ECHO_FPU	0x202	/* echo after touching the x87 registers */
#define UB_ECHO_RR	0x203	/* echo with REPLYRECV: reply and wait in one */

static struct sys_info info;
static message msg;

/* --- what is measured --------------------------------------------------------- */

static uint64_t null_call(const struct ubench *b)
{
	static const ipc_trap_fn traps[] = { ipc_trap_int, ipc_trap_sysenter,
		ipc_trap_syscall };
	ipc_trap_fn trap = traps[b->arg];
	uint64_t t0 = bench_begin();

	for (uint32_t i = 0; i < b->batch; i++)
		trap(IPC_NULL, NONE, &msg);
	return bench_end() - t0;
}

static inline uint64_t round_trips(endpoint_t to, uint32_t type,
	uint32_t batch)
{
	uint64_t t0 = bench_begin();

	for (uint32_t i = 0; i < batch; i++) {
		msg.m_type = type;
		ipc_sendrec(to, &msg);
	}
	return bench_end() - t0;
}

/* The server (boot slot arg) answers with a SEND, then RECEIVEs. */
static uint64_t sendrec(const struct ubench *b)
{
	return round_trips(ub_ep(b->arg), UB_ECHO, b->batch);
}

/* The server answers with REPLYRECV, as a server loop does. */
static uint64_t sendrec_rr(const struct ubench *b)
{
	return round_trips(ub_ep(b->arg), UB_ECHO_RR, b->batch);
}

/* Both sides use the FPU between calls, so every switch carries an x87
 * and SSE state: what eager saving costs always, lazy on every switch. */
static uint64_t sendrec_fpu(const struct ubench *b)
{
	endpoint_t to = ub_ep(b->arg);
	uint64_t t0 = bench_begin();

	for (uint32_t i = 0; i < b->batch; i++) {
		__asm__ volatile("fldz\n\tfstp %st(0)");
		msg.m_type = UB_ECHO_FPU;
		ipc_sendrec(to, &msg);
	}
	return bench_end() - t0;
}

/* From the kernel's timestamp in the notification to the receiver running
 * in user mode with it; the receiver sends the difference back. */
static uint64_t notify_latency(const struct ubench *b)
{
	(void)b;
	ipc_notify(ub_ep(UB_SERVER), &msg);
	ipc_receive(ub_ep(UB_SERVER), &msg);
	return msg.u.w[0];
}

/* SEND to a receiver that waits on this CPU while this process runs: the
 * kernel keeps the message until the receiver next runs. */
static uint64_t deliver_unloaded(const struct ubench *b)
{
	(void)b;
	msg.m_type = UB_ACK;
	uint64_t t0 = bench_begin();
	ipc_send(ub_ep(UB_SERVER), &msg);
	uint64_t t = bench_end() - t0;
	ipc_receive(ub_ep(UB_SERVER), &msg);	/* let it run and answer */
	return t;
}

static uint8_t *fresh;		/* untouched heap pages */

static uint64_t anon_fault(const struct ubench *b)
{
	(void)b;
	volatile uint8_t *p = fresh;
	fresh += 4096;
	uint64_t t0 = bench_begin();
	*p = 1;
	return bench_end() - t0;
}

/* The pool of zeroed frames full, as after an idle moment: a VM without
 * one (EINVAL) is measured all the same. */
static int anon_setup(const struct ubench *b, unsigned count)
{
	(void)b;
	(void)count;
	vm_zeropool(ZP_FILL, ZP_FILL_MAX, NULL);
	return 0;
}

/* --- roles ---------------------------------------------------------------------- */

/* Answers each message in the way its type asks for: a REPLYRECV for
 * UB_ECHO_RR (the reply and the wait for the next message in one call, as
 * a server loop does), else a SEND and then a RECEIVE. */
static int __attribute__((noreturn)) serve(void)
{
	int r = ipc_receive(ANY, &msg);

	for (;;) {
		if (r != OK) {
			r = ipc_receive(ANY, &msg);
			continue;
		}
		endpoint_t from = msg.m_source;
		if (msg.m_type == UB_ECHO_FPU)
			__asm__ volatile("fldz\n\tfstp %st(0)");
		if (msg.m_type == NOTIFY_MESSAGE) {
			uint32_t now;
			__asm__ volatile("rdtsc" : "=a"(now) : : "edx");
			msg.u.w[0] = now - msg.u.notify.timestamp;
			/* The answer is a message: NOTIFY_MESSAGE is the
			 * kernel's type, refused from a process. */
			msg.m_type = UB_ACK;
		}
		if (msg.m_type == UB_ECHO_RR) {
			r = ipc_replyrecv(from, &msg);
			continue;
		}
		ipc_send(from, &msg);
		r = ipc_receive(ANY, &msg);
	}
}

static uint32_t number(const char *s)
{
	uint32_t v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint32_t)(*s++ - '0');
	return v;
}

static const char *arg(int argc, char **argv, const char *key, const char *d)
{
	size_t n = strlen(key);

	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], key, n) == 0 && argv[i][n] == '=')
			return argv[i] + n + 1;
	return d;
}

/* Keeps the benchmarks whose name starts with prefix (all for ""). */
static unsigned keep_only(struct ubench *list, unsigned n, const char *prefix)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++)
		if (strncmp(list[i].name, prefix, strlen(prefix)) == 0)
			list[k++] = list[i];
	return k;
}

static int measure(unsigned samples, unsigned warmup, const char *only)
{
	static struct ubench list[48];
	unsigned n = 0;
	static const char *const entry[] = { "int", "sysenter", "syscall" };
	static char names[3][32], descs[3][96];

	for (int e = ENTRY_INT; e <= ENTRY_SYSCALL; e++) {
		if (!(info.entry_mask & (1u << e)))
			continue;
		snprintf(names[e], sizeof names[e], "kentry.null.%s", entry[e]);
		snprintf(descs[e], sizeof descs[e], "a null IPC operation "
			"through %s: kernel entry and exit", entry[e]);
		list[n++] = (struct ubench){ .name = names[e],
			.desc = descs[e], .batch = 64, .sample = null_call,
			.arg = (uint32_t)e };
	}
	list[n++] = (struct ubench){ .name = "ipc.sendrec.same_cpu",
		.desc = "SENDREC round trip of a 64-byte message with a server "
		"on the same CPU (3 kernel entries, 2 address-space switches)",
		.batch = 16, .sample = sendrec, .arg = UB_SERVER };
	list[n++] = (struct ubench){ .name = "ipc.replyrecv.same_cpu",
		.desc = "SENDREC round trip with a server on the same CPU that "
		"answers with REPLYRECV (2 kernel entries, both on the fast "
		"path)", .batch = 16, .sample = sendrec_rr, .arg = UB_SERVER };
	list[n++] = (struct ubench){ .name = "ipc.sendrec.same_cpu.fpu",
		.desc = "SENDREC round trip on one CPU where client and server "
		"both use the x87 between calls (2 FPU state switches)",
		.batch = 16, .sample = sendrec_fpu, .arg = UB_SERVER };
	if (info.cpus > 1)
		list[n++] = (struct ubench){ .name = "ipc.sendrec.cross_cpu",
			.desc = "SENDREC round trip with a server on another "
			"CPU (both CPUs' instructions under icount)",
			.batch = 16, .sample = sendrec, .arg = UB_XSERVER };
	list[n++] = (struct ubench){ .name = "ipc.notify.latency",
		.desc = "NOTIFY to a waiting process on the same CPU: from the "
		"kernel stamping it to the receiver running with it",
		.batch = 1, .sample = notify_latency, .latency = 1 };
	list[n++] = (struct ubench){ .name = "ipc.deliver.unloaded",
		.desc = "SEND to a process waiting on this CPU whose address "
		"space is not loaded (the kernel keeps the message until it "
		"runs)", .batch = 1, .sample = deliver_unloaded };
	list[n++] = (struct ubench){ .name = "vm.pagefault.anon",
		.desc = "touch of a fresh heap page: fault, message to VM, "
		"a frame from the pool of zeroed ones mapped, retry",
		.batch = 1, .sample = anon_fault, .setup = anon_setup };
	/* Grants: before VM's, which grow the region count. */
	n += ubench_grant_list(list + n, sizeof list / sizeof list[0] - n);
	n += ubench_ds_list(list + n, sizeof list / sizeof list[0] - n);
	n += ubench_rs_list(list + n, sizeof list / sizeof list[0] - n);
	/* The VM server's and the process manager's, where they serve
	 * them: last, since they fork and grow the region count. */
	n += ubench_vm_list(list + n, sizeof list / sizeof list[0] - n,
		info.self);

	fresh = sbrk((samples + warmup + 2) * 4096);
	if (fresh == (void *)-1) {
		printf("ubench: no heap for the page-fault benchmark\n");
		return 1;
	}
	fresh = (uint8_t *)(((uintptr_t)fresh + 4095) & ~4095u);
	ipc_set_entry(info.entry_best);
	n = keep_only(list, n, only);
	ubench_run(list, n, samples, warmup);
	return 0;
}

int main(int argc, char **argv)
{
	const char *role = arg(argc, argv, "role", "");

	if (strcmp(role, "execd") == 0)	/* first: proc.exec's clock runs */
		return ubench_execd(arg(argc, argv, "t", ""));
	ipc_init();
	sys_info(&info);
	if (strcmp(role, "server") == 0) {
		sys_setcpu(SELF, 0);
		return serve();
	}
	if (strcmp(role, "ds") == 0) {	/* a private store (ubench_ds.c) */
		sys_setcpu(SELF, 0);
		ds_main();
	}
	if (strcmp(role, "xserver") == 0) {
		sys_setcpu(SELF, info.cpus - 1);
		return serve();
	}
	sys_setcpu(SELF, 0);
	sys_info(&info);
	rs_wait_booted();	/* the services have started: a quiet system */
	int r = measure(number(arg(argc, argv, "samples", "30")),
		number(arg(argc, argv, "warmup", "5")),
		arg(argc, argv, "only", ""));
	sys_shutdown(0, r != 0);
	return r;
}

/*
 * Hostile cases: x87 and SSE registers are each process's own. Several
 * processes per CPU keep distinct values across preemption, IPC and
 * moves between CPUs; fork copies the state, spawn starts fresh; an
 * unmasked x87 or SIMD error kills only the process that made it. The
 * program is built without FPU code generation (lib/lib.mk): only the
 * asm here touches the registers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "tests/user/hostile.h"

#define CPUID_SSE	(1u << 25)
#define FCW_INIT	0x037F		/* what FNINIT leaves */
#define MXCSR_INIT	0x1F80		/* reset value: all masked */
#define FCW_ZM		0x0004		/* x87 divide-by-zero mask */
#define MXCSR_ZM	0x0200		/* SIMD divide-by-zero mask */
#define MXCSR_ZE	0x0004		/* SIMD divide-by-zero flag */
#define WORKERS_PER_CPU	3
#define ROUNDS		400		/* IPC calls per worker */
#define SPIN		4000		/* busy loop per round: preemption */

/* What one process keeps in its registers: a control word, four x87
 * stack entries, MXCSR and xmm0-7. */
struct fpu_vals {
	uint32_t fcw;
	int32_t st[4];		/* st[0] is pushed first: st(3) at the end */
	uint32_t mxcsr;
	uint32_t xmm[32] __attribute__((aligned(16)));
};

static int has_sse(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (d & CPUID_SSE) != 0;
}

/* Distinct values for process k: rounding modes in both control words
 * (masked exceptions), numbers and vectors no other k has. */
static void make_vals(struct fpu_vals *v, uint32_t k)
{
	v->fcw = 0x027F | (k % 4) << 10;
	for (int i = 0; i < 4; i++)
		v->st[i] = (int32_t)(k * 1000003u + (uint32_t)i * 7919u) -
			500000;
	v->mxcsr = MXCSR_INIT | (k % 4) << 13 | ((k & 4) ? 0x8000 : 0);
	for (int i = 0; i < 32; i++)
		v->xmm[i] = k * 0x9E3779B9u ^ (uint32_t)i * 0x01000193u;
}

static void load_vals(const struct fpu_vals *v)
{
	__asm__ volatile("fninit\n\tfldcw %0\n\t"
		"fildl %1\n\tfildl %2\n\tfildl %3\n\tfildl %4"
		: : "m"(v->fcw), "m"(v->st[0]), "m"(v->st[1]), "m"(v->st[2]),
		  "m"(v->st[3]));
	if (!has_sse())
		return;
	__asm__ volatile("ldmxcsr %0" : : "m"(v->mxcsr));
	__asm__ volatile(
		"movaps 0(%0), %%xmm0\n\tmovaps 16(%0), %%xmm1\n\t"
		"movaps 32(%0), %%xmm2\n\tmovaps 48(%0), %%xmm3\n\t"
		"movaps 64(%0), %%xmm4\n\tmovaps 80(%0), %%xmm5\n\t"
		"movaps 96(%0), %%xmm6\n\tmovaps 112(%0), %%xmm7"
		: : "r"(v->xmm) : "memory");
}

/* The registers as they are now, without changing them. */
static void read_vals(struct fpu_vals *v)
{
	uint16_t cw;
	int32_t st[4];

	__asm__ volatile("fnstcw %0" : "=m"(cw));
	__asm__ volatile(
		"fld %%st(0)\n\tfistpl 12(%0)\n\t"
		"fld %%st(1)\n\tfistpl 8(%0)\n\t"
		"fld %%st(2)\n\tfistpl 4(%0)\n\t"
		"fld %%st(3)\n\tfistpl 0(%0)"
		: : "r"(st) : "memory");
	v->fcw = cw;
	memcpy(v->st, st, sizeof st);
	v->mxcsr = 0;
	memset(v->xmm, 0, sizeof v->xmm);
	if (!has_sse())
		return;
	__asm__ volatile("stmxcsr %0" : "=m"(v->mxcsr));
	__asm__ volatile(
		"movaps %%xmm0, 0(%0)\n\tmovaps %%xmm1, 16(%0)\n\t"
		"movaps %%xmm2, 32(%0)\n\tmovaps %%xmm3, 48(%0)\n\t"
		"movaps %%xmm4, 64(%0)\n\tmovaps %%xmm5, 80(%0)\n\t"
		"movaps %%xmm6, 96(%0)\n\tmovaps %%xmm7, 112(%0)"
		: : "r"(v->xmm) : "memory");
}

/* 0 when the registers hold *want, else which part differs (1..4). */
static int check_vals(const char *who, const struct fpu_vals *want)
{
	struct fpu_vals got;

	read_vals(&got);
	if ((got.fcw & 0xFFFF) != want->fcw) {
		printf("hostile: %s: FCW 0x%x, not 0x%x\n", who, got.fcw,
			want->fcw);
		return 1;
	}
	for (int i = 0; i < 4; i++)
		if (got.st[i] != want->st[i]) {
			printf("hostile: %s: x87 entry %d is %d, not %d\n",
				who, i, got.st[i], want->st[i]);
			return 2;
		}
	if (!has_sse())
		return 0;
	if (got.mxcsr != want->mxcsr) {
		printf("hostile: %s: MXCSR 0x%x, not 0x%x\n", who, got.mxcsr,
			want->mxcsr);
		return 3;
	}
	for (int i = 0; i < 32; i++)
		if (got.xmm[i] != want->xmm[i]) {
			printf("hostile: %s: xmm%d word %d is 0x%x, not 0x%x\n",
				who, i / 4, i % 4, got.xmm[i], want->xmm[i]);
			return 4;
		}
	return 0;
}

/* --- many processes, each with its own values -------------------------------- */

static void spin(uint32_t n)
{
	for (volatile uint32_t i = 0; i < n; i++)
		;
}

/* Worker k: its values survive IPC with PM (which switches to PM or
 * lets another worker run), the kernel's own calls, preemption by the
 * other workers on its CPU, and moves to the other CPUs, where its
 * state may still sit in the registers of the CPU it left. */
static int worker(uint32_t k, uint32_t cpus)
{
	struct fpu_vals v;
	struct sys_info si;
	char who[32];

	snprintf(who, sizeof who, "worker %u", k);
	sys_setcpu(SELF, k % cpus);
	make_vals(&v, k + 1);
	load_vals(&v);
	for (uint32_t r = 0; r < ROUNDS; r++) {
		int bad;

		if (getpid() <= 0 || sys_info(&si) != OK)
			return 20;
		spin(SPIN);
		if (r % 50 == 49 && cpus > 1 &&
		    sys_setcpu(SELF, (k + r / 50) % cpus) != OK)
			return 21;
		if ((bad = check_vals(who, &v)) != 0)
			return 10 + bad;
	}
	return HOSTILE_OK;
}

static int many_processes(void)
{
	uint32_t cpus = h_info.cpus ? h_info.cpus : 1;
	uint32_t n = WORKERS_PER_CPU * cpus;
	pid_t pids[HOSTILE_MAX_PROCS - 1];
	struct fpu_vals mine;
	int ok = 1;

	if (n > sizeof pids / sizeof pids[0])
		n = sizeof pids / sizeof pids[0];
	make_vals(&mine, 0);
	load_vals(&mine);
	for (uint32_t k = 0; k < n; k++) {
		pids[k] = fork();
		if (pids[k] == 0)
			exit(worker(k, cpus));
		if (pids[k] < 0)
			return 1;
	}
	for (uint32_t k = 0; k < n; k++) {
		int st = 0x7fffffff;
		pid_t r = waitpid(pids[k], &st, 0);

		ok &= h_expect("a worker's values held", r == pids[k] ? st :
			r, HOSTILE_OK);
	}
	ok &= h_expect("the parent's values held",
		check_vals("parent", &mine), 0);
	return ok ? HOSTILE_OK : 2;
}

/* --- fork copies, spawn starts afresh --------------------------------------- */

static struct fpu_vals forked;

static int fork_child(void)
{
	return check_vals("forked child", &forked);
}

static int fork_inherits(void)
{
	int ok = 1;

	make_vals(&forked, 42);
	load_vals(&forked);
	ok &= h_expect("the child sees the parent's values",
		h_child_status(fork_child), 0);
	ok &= h_expect("the parent keeps them", check_vals("parent",
		&forked), 0);
	return ok ? HOSTILE_OK : 1;
}

/* Run by every freshly spawned attacker of this case: nothing before
 * attack() touched the FPU, so this is the state the kernel gave it. */
static int fresh_state(void)
{
	struct { uint16_t cw, r0, sw, r1, tw, r2; uint32_t rest[4]; } env;
	struct fpu_vals got;

	__asm__ volatile("fnstenv %0" : "=m"(env));
	read_vals(&got);		/* after fnstenv: it masks exceptions */
	if (env.cw != FCW_INIT || env.tw != 0xFFFF || (env.sw & 0x38FF)) {
		printf("hostile: fresh state: FCW 0x%x, FTW 0x%x, FSW 0x%x\n",
			env.cw, env.tw, env.sw);
		return 1;
	}
	if (!has_sse())
		return HOSTILE_OK;
	if (got.mxcsr != MXCSR_INIT) {
		printf("hostile: fresh state: MXCSR 0x%x\n", got.mxcsr);
		return 2;
	}
	for (int i = 0; i < 32; i++)
		if (got.xmm[i] != 0) {
			printf("hostile: fresh state: xmm%d word %d is 0x%x\n",
				i / 4, i % 4, got.xmm[i]);
			return 3;
		}
	return HOSTILE_OK;
}

/* The spawner holds values of its own, which the new program must not
 * see, on whichever CPU it lands. */
static int spawn_fresh(void)
{
	struct fpu_vals v;
	int ok = 1, st = 0x7fffffff;
	pid_t pid, r;

	make_vals(&v, 7);
	load_vals(&v);
	pid = spawn("hostile role=attacker case=fpu.fresh_state");
	if (pid < 0)
		return h_expect("spawn", pid, 0) ? HOSTILE_OK : 1;
	r = waitpid(pid, &st, 0);
	ok &= h_expect("the spawned program's state was fresh",
		r == pid ? st : r, HOSTILE_OK);
	ok &= h_expect("the spawner keeps its values", check_vals("spawner",
		&v), 0);
	return ok ? HOSTILE_OK : 1;
}

/* --- unmasked errors kill the process that made them ------------------------ */

/* Divides by zero with the x87 exception unmasked: the error stays
 * pending through IPC and switches (the kernel's saves must not trip
 * on it), and the next waiting instruction raises #MF. */
static int x87_error(void)
{
	uint16_t cw = FCW_INIT & ~FCW_ZM;
	static const float zero = 0.0f;

	__asm__ volatile("fninit\n\tfldcw %0\n\tfld1\n\tfdivs %1"
		: : "m"(cw), "m"(zero));
	for (int i = 0; i < 20; i++)
		getpid();
	__asm__ volatile("fwait");
	return 1;			/* not reached */
}

/* #XM at the division. QEMU's TCG (7.2) raises none: it only sets the
 * flag, as if the exception were masked; the child says so. */
#define XM_NOT_RAISED	3

static int sse_error(void)
{
	uint32_t csr = MXCSR_INIT & ~MXCSR_ZM;
	static const float one = 1.0f, zero = 0.0f;

	__asm__ volatile("ldmxcsr %0\n\tmovss %1, %%xmm0\n\tdivss %2, %%xmm0"
		: : "m"(csr), "m"(one), "m"(zero) : "memory");
	__asm__ volatile("stmxcsr %0" : "=m"(csr));
	return (csr & MXCSR_ZE) ? XM_NOT_RAISED : 1;
}

/* The same divisions masked set only the flags: the instructions work. */
static int masked_ok(void)
{
	static const float one = 1.0f, zero = 0.0f;
	uint32_t csr = MXCSR_INIT;
	uint16_t sw;

	__asm__ volatile("fninit\n\tfld1\n\tfdivs %1\n\tfnstsw %0\n\t"
		"fstp %%st(0)" : "=m"(sw) : "m"(zero));
	if (!(sw & FCW_ZM))		/* FSW.ZE is bit 2, like FCW.ZM */
		return 1;
	if (!has_sse())
		return HOSTILE_OK;
	__asm__ volatile("ldmxcsr %1\n\tmovss %2, %%xmm0\n\t"
		"divss %3, %%xmm0\n\tstmxcsr %0"
		: "=m"(csr) : "m"(csr), "m"(one), "m"(zero) : "memory");
	return (csr & MXCSR_ZE) ? HOSTILE_OK : 2;
}

static int error_kills(int (*fn)(void), const char *what)
{
	struct fpu_vals v;
	int ok = 1, st;

	make_vals(&v, 99);
	load_vals(&v);
	ok &= h_expect("masked division by zero", h_child_status(masked_ok),
		HOSTILE_OK);
	st = h_child_status(fn);
	if (fn == sse_error && st == XM_NOT_RAISED)
		printf("hostile: %s: this CPU raised no #XM (QEMU TCG)\n",
			what);
	else
		ok &= h_expect(what, st, EFAULT);
	ok &= h_expect("the parent's values held", check_vals("parent", &v),
		0);
	return ok ? HOSTILE_OK : 1;
}

static int x87_error_kills(void)
{
	return error_kills(x87_error, "unmasked x87 division by zero");
}

static int sse_error_kills(void)
{
	if (!has_sse())
		return HOSTILE_OK;
	return error_kills(sse_error, "unmasked SSE division by zero");
}

const struct hostile_case hostile_fpu_cases[] = {
	{ "fpu.fresh_state", fresh_state, HOSTILE_OK },
	{ "fpu.many_processes", many_processes, HOSTILE_OK },
	{ "fpu.fork_inherits", fork_inherits, HOSTILE_OK },
	{ "fpu.spawn_fresh", spawn_fresh, HOSTILE_OK },
	{ "fpu.x87_error_kills", x87_error_kills, HOSTILE_OK },
	{ "fpu.sse_error_kills", sse_error_kills, HOSTILE_OK },
};
const int hostile_fpu_count = sizeof hostile_fpu_cases /
	sizeof hostile_fpu_cases[0];

/*
 * x87 and SSE state per process (fpu.h): each CPU's set-up, the state a
 * new process starts with, the switch on the way to user mode (eager, or
 * a wipe for a process that has not used the FPU) or on #NM (lazy, and
 * a first use), and fetching a state another CPU's registers still hold.
 * Everything here runs with the BKL held, except fpu_serve_flush, which
 * runs while the CPU that asked holds it and waits.
 */
#include "kernel/arch/i386/fpu.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/lapic.h"
#include "kernel/arch/i386/trap.h"
#include "kernel/cmdline.h"
#include "kernel/kernel.h"
#include "kernel/proc.h"
#include "kernel/lib/string.h"

#define CPUID1_EDX_FPU	(1u << 0)
#define CPUID1_EDX_FXSR	(1u << 24)
#define CPUID1_EDX_SSE	(1u << 25)

/* The initial state: what FNINIT leaves (all x87 exceptions masked,
 * 64-bit precision, round to nearest, empty stack) and MXCSR's reset
 * value (all SIMD exceptions masked, round to nearest). */
#define FCW_INIT	0x037F
#define MXCSR_INIT	0x1F80
/* Offsets in the FXSAVE image (FCW, abridged tag byte, MXCSR) and in
 * the FSAVE image (FCW, full tag word). */
#define FX_FCW		0
#define FX_MXCSR	24
#define FS_FCW		0
#define FS_FTW		8

_Static_assert(_Alignof(struct proc) >= 16 &&
	__builtin_offsetof(struct proc, p_fpu) % 16 == 0,
	"FXSAVE needs a 16-byte aligned area");

static int has_fpu, has_fxsr, has_sse;
enum fpu_policy { FPU_USED, FPU_EAGER, FPU_LAZY };
static enum fpu_policy policy;		/* fpu=used|eager|lazy */
static struct fpu_state initial;

/* --- the registers ---------------------------------------------------------- */

/* How many loads an eager process gets before it must show again, by
 * a trap, that it still uses the FPU (fpu=used): a process that used it
 * once, at start-up say, goes back to switching for free; one that keeps
 * using it pays a trap per FPU_EAGER_TAKES loads. */
#define FPU_EAGER_TAKES	64

static void ts_clear(void)
{
	get_cpulocal_var(fpu_ready) = 0;
	get_cpulocal_var(fpu_clean) = 0;
	if (get_cpulocal_var(fpu_ts)) {
		__asm__ volatile("clts" ::: "memory");
		get_cpulocal_var(fpu_ts) = 0;
	}
}

static void ts_set(void)
{
	get_cpulocal_var(fpu_ready) = 0;
	get_cpulocal_var(fpu_clean) = 0;
	if (!get_cpulocal_var(fpu_ts)) {
		write_cr0(read_cr0() | CR0_TS);
		get_cpulocal_var(fpu_ts) = 1;
	}
}

/* Neither waits for pending x87 exceptions: a process's unmasked error
 * stays pending in its saved status word and strikes it, not the
 * kernel, at its next x87 instruction. TS must be clear. */
static void hw_save(struct fpu_state *s)
{
	if (has_fxsr)
		__asm__ volatile("fxsave %0" : "=m"(s->area));
	else
		__asm__ volatile("fnsave %0" : "=m"(s->area));
}

static void hw_restore(const struct fpu_state *s)
{
	if (has_fxsr)
		__asm__ volatile("fxrstor %0" : : "m"(s->area));
	else
		__asm__ volatile("frstor %0" : : "m"(s->area));
}

/* --- who holds which state ----------------------------------------------- */

/* This CPU's owner's state into its area; the CPU holds none after. */
static void release_local(void)
{
	struct proc *o = get_cpulocal_var(fpu_owner);

	if (!o)
		return;
	ts_clear();			/* forgets fpu_ready too */
	hw_save(&o->p_fpu);
	o->p_fpu.live_cpu = 0;
	get_cpulocal_var(fpu_owner) = 0;
}

/* p's state is in another CPU's registers: that CPU saves it (IPI, as
 * for stop requests; it answers even while it waits for the BKL). */
static void flush_remote(struct proc *p)
{
	uint32_t c = p->p_fpu.live_cpu - 1;
	uint32_t acks = __atomic_load_n(get_cpu_var_ptr(c, fpu_flush_acks),
		__ATOMIC_ACQUIRE);

	assert(c != cpu_self() && get_cpu_var(c, fpu_owner) == p);
	__atomic_store_n(get_cpu_var_ptr(c, fpu_flush_target), p,
		__ATOMIC_RELEASE);
	lapic_send_ipi(get_cpu_var(c, apic_id), VEC_IPI_STOP);
	while (__atomic_load_n(get_cpu_var_ptr(c, fpu_flush_acks),
			__ATOMIC_ACQUIRE) == acks)
		cpu_pause();
	assert(p->p_fpu.live_cpu == 0);
}

/* p's area up to date, p's state in no CPU's registers. */
static void sync_to_memory(struct proc *p)
{
	if (p->p_fpu.live_cpu == cpu_self() + 1)
		release_local();
	else if (p->p_fpu.live_cpu)
		flush_remote(p);
}

/* p's state into this CPU's registers (p is not the owner here). */
static void take(struct proc *p)
{
	release_local();
	if (p->p_fpu.live_cpu)
		flush_remote(p);
	ts_clear();
	hw_restore(&p->p_fpu);
	p->p_fpu.live_cpu = cpu_self() + 1;
	get_cpulocal_var(fpu_owner) = p;
	get_cpulocal_var(fpu_dirty) = 1;
}

/* fpu=used, before a process that has not used the FPU: no state of
 * any process left in the registers (the owner's saved first), only
 * the initial one, behind TS. */
static void wipe(void)
{
	release_local();
	if (get_cpulocal_var(fpu_dirty)) {
		ts_clear();
		hw_restore(&initial);
		get_cpulocal_var(fpu_dirty) = 0;
	}
	ts_set();
	get_cpulocal_var(fpu_clean) = 1;
}

void fpu_serve_flush(void)
{
	struct proc *t = get_cpulocal_var(fpu_flush_target);

	if (!t)
		return;
	if (get_cpulocal_var(fpu_owner) == t) {
		release_local();
		if (policy == FPU_LAZY)	/* what runs here next must trap */
			ts_set();
	}
	get_cpulocal_var(fpu_flush_target) = 0;
	__atomic_add_fetch(get_cpulocal_var_ptr(fpu_flush_acks), 1,
		__ATOMIC_RELEASE);
}

void fpu_switch_slow(struct proc *p)
{
	if (!has_fpu)
		;			/* CR0.EM: every use is #NM, fatal */
	else if (get_cpulocal_var(fpu_owner) == p)
		ts_clear();		/* its state is still here */
	else if (p->p_fpu.eager && (policy == FPU_EAGER ||
			++p->p_fpu.takes % FPU_EAGER_TAKES != 0))
		take(p);
	else if (policy == FPU_LAZY)
		ts_set();
	else {
		p->p_fpu.eager = 0;	/* fpu=used: until it traps again */
		wipe();
	}
	get_cpulocal_var(fpu_ready) = p;
}

void fpu_task_switched(void)
{
	__asm__ volatile("clts" ::: "memory");
	get_cpulocal_var(fpu_ts) = 0;
	get_cpulocal_var(fpu_ready) = 0;
	get_cpulocal_var(fpu_clean) = 0;
}

int fpu_nm_trap(struct proc *p)
{
	if (policy == FPU_EAGER || !has_fpu ||
	    get_cpulocal_var(fpu_owner) == p)
		return 0;
	if (policy == FPU_USED)
		p->p_fpu.eager = 1;	/* from now on, and in its forks */
	take(p);
	return 1;
}

/* --- processes -------------------------------------------------------------- */

void fpu_proc_init(struct proc *p)
{
	assert(p->p_fpu.live_cpu == 0);
	memcpy(p->p_fpu.area, initial.area, sizeof(initial.area));
	p->p_fpu.eager = policy == FPU_EAGER;
}

void fpu_proc_drop(struct proc *p)
{
	uint32_t c = p->p_fpu.live_cpu;

	if (c) {	/* no CPU runs p; the one that held it just forgets */
		assert(get_cpu_var(c - 1, fpu_owner) == p);
		get_cpu_var(c - 1, fpu_owner) = 0;
		get_cpu_var(c - 1, fpu_ready) = 0;
		p->p_fpu.live_cpu = 0;
	}
}

void fpu_proc_copy(struct proc *child, struct proc *parent)
{
	sync_to_memory(parent);
	memcpy(child->p_fpu.area, parent->p_fpu.area, sizeof(child->p_fpu.area));
	child->p_fpu.live_cpu = 0;
	child->p_fpu.eager = parent->p_fpu.eager;
}

void fpu_proc_swap(struct proc *a, struct proc *b)
{
	static uint8_t area[FPU_AREA_SIZE] __attribute__((aligned(16)));
	uint32_t eager = a->p_fpu.eager;

	sync_to_memory(a);
	sync_to_memory(b);
	fpu_proc_drop(a);
	fpu_proc_drop(b);
	memcpy(area, a->p_fpu.area, sizeof area);
	memcpy(a->p_fpu.area, b->p_fpu.area, sizeof area);
	memcpy(b->p_fpu.area, area, sizeof area);
	a->p_fpu.eager = b->p_fpu.eager;
	b->p_fpu.eager = eager;
}

/* --- start-up ----------------------------------------------------------------- */

static void build_initial(void)
{
	char mode[8];

	memset(&initial, 0, sizeof(initial));
	if (has_fxsr) {
		*(uint16_t *)&initial.area[FX_FCW] = FCW_INIT;
		*(uint32_t *)&initial.area[FX_MXCSR] = has_sse ? MXCSR_INIT : 0;
	} else {
		*(uint16_t *)&initial.area[FS_FCW] = FCW_INIT;
		*(uint16_t *)&initial.area[FS_FTW] = 0xFFFF;	/* all empty */
	}
	policy = FPU_USED;
	if (has_fpu && cmdline_get("fpu", mode, sizeof mode)) {
		if (strcmp(mode, "lazy") == 0)
			policy = FPU_LAZY;
		else if (strcmp(mode, "eager") == 0)
			policy = FPU_EAGER;
		else if (strcmp(mode, "used") != 0)
			kprintf("fpu: unknown fpu=%s (used, eager or lazy); "
				"using fpu=used\n", mode);
	}
	kprintf("fpu: %s, %s switching\n", !has_fpu ? "none (x87 and SSE "
		"instructions are fatal)" : has_fxsr ? (has_sse ? "FXSAVE, SSE" :
		"FXSAVE") : "FSAVE", policy == FPU_LAZY ? "lazy" :
		policy == FPU_EAGER ? "eager" : "eager once used");
}

void fpu_init_cpu(void)
{
	uint32_t a, b, c, d, cr0, cr4;

	cpuid(1, &a, &b, &c, &d);
	if (cpu_self() == 0) {
		has_fpu = (d & CPUID1_EDX_FPU) != 0;
		has_fxsr = has_fpu && (d & CPUID1_EDX_FXSR);
		has_sse = has_fxsr && (d & CPUID1_EDX_SSE);
		build_initial();
	}
	cr0 = read_cr0() & ~(CR0_TS | CR0_EM | CR0_MP);
	cr0 |= has_fpu ? CR0_MP | CR0_NE : CR0_EM;
	write_cr0(cr0);
	cr4 = read_cr4();
	if (has_fxsr)
		cr4 |= CR4_OSFXSR;
	if (has_sse)
		cr4 |= CR4_OSXMMEXCPT;
	write_cr4(cr4);
	if (has_fpu)
		__asm__ volatile("fninit");
	get_cpulocal_var(fpu_owner) = 0;
	get_cpulocal_var(fpu_ts) = 0;
	get_cpulocal_var(fpu_dirty) = 0;	/* fninit: the initial state */
	get_cpulocal_var(fpu_ready) = 0;
	get_cpulocal_var(fpu_clean) = 0;
}

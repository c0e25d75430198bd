/*
 * Per-CPU run queues, time slices, the idle loop and the return to user
 * mode. Every CPU picks only from its own queues; a process queued on
 * another CPU wakes it with an IPI.
 */
#include "kernel/sched.h"
#include "kernel/bkl.h"
#include "kernel/ipc.h"
#include "kernel/proc.h"
#include "kernel/switch.h"
#include "kernel/arch.h"
#include "smp/smp.h"

struct spinlock big_kernel_lock = SPINLOCK_INIT;

/* p was queued on another CPU: wake that CPU if it should run p now,
 * before what it runs (first: p goes ahead of its own priority too). */
static void kick_cpu(uint32_t cpu, const struct proc *p, int first)
{
	const struct proc *running = get_cpu_var(cpu, proc_ptr);

	if (get_cpu_var(cpu, idle) || !running ||
	    running->p_priority + (first ? 1 : 0) > p->p_priority)
		lapic_send_ipi(get_cpu_var(cpu, apic_id), VEC_IPI_SCHED);
}

void sched_enqueue(struct proc *p)
{
	uint32_t cpu = p->p_cpu, q = p->p_priority;
	struct proc **head = &get_cpu_var(cpu, run_q_head)[q];
	struct proc **tail = &get_cpu_var(cpu, run_q_tail)[q];

	p->p_nextready = 0;
	if (*head)
		(*tail)->p_nextready = p;
	else
		*head = p;
	*tail = p;
	get_cpu_var(cpu, run_q_bits) |= 1u << q;
	if (cpu != cpu_self())
		kick_cpu(cpu, p, 0);
}

void sched_enqueue_first(struct proc *p)
{
	uint32_t cpu = p->p_cpu, q = p->p_priority;
	struct proc **head = &get_cpu_var(cpu, run_q_head)[q];

	/* Woken by the process running here (a server's reply): behind it,
	 * which goes on until it blocks or its slice ends. */
	if (cpu == cpu_self() && *head && *head == get_cpulocal_var(proc_ptr))
		head = &(*head)->p_nextready;
	if (!(p->p_nextready = *head))
		get_cpu_var(cpu, run_q_tail)[q] = p;
	*head = p;
	get_cpu_var(cpu, run_q_bits) |= 1u << q;
	if (cpu != cpu_self())
		kick_cpu(cpu, p, 1);
}

void sched_dequeue(struct proc *p)
{
	uint32_t cpu = p->p_cpu, q = p->p_priority;
	struct proc **head = &get_cpu_var(cpu, run_q_head)[q];
	struct proc *prev = 0;

	if (*head == p) {	/* the usual case: the running process */
		if (!(*head = p->p_nextready))
			get_cpu_var(cpu, run_q_bits) &= ~(1u << q);
		p->p_nextready = 0;
		return;
	}
	for (struct proc *x = *head; x; prev = x, x = x->p_nextready) {
		if (x != p)
			continue;
		if (prev)
			prev->p_nextready = x->p_nextready;
		else
			*head = x->p_nextready;
		if (get_cpu_var(cpu, run_q_tail)[q] == p)
			get_cpu_var(cpu, run_q_tail)[q] = prev;
		if (!*head)
			get_cpu_var(cpu, run_q_bits) &= ~(1u << q);
		p->p_nextready = 0;
		return;
	}
}

static unsigned ready_count(uint32_t cpu)
{
	unsigned n = 0;

	for (int q = 0; q < NR_SCHED_QUEUES; q++)
		for (struct proc *p = get_cpu_var(cpu, run_q_head)[q]; p;
		     p = p->p_nextready)
			n++;
	return n;
}

uint32_t sched_place(void)
{
	uint32_t best = 0;
	unsigned best_n = ~0u;

	for (uint32_t c = 0; c < smp_cpus_online(); c++) {
		unsigned n = ready_count(c);
		if (n < best_n) {
			best = c;
			best_n = n;
		}
	}
	return best;
}

void sched_migrate(struct proc *p, uint32_t cpu)
{
	int runnable = proc_is_runnable(p);

	if (runnable)
		sched_dequeue(p);
	p->p_cpu = cpu;
	if (runnable)
		sched_enqueue(p);
}

void sched_tick(void)
{
	struct proc *p = get_cpulocal_var(proc_ptr);

	if (!p)
		return;
	p->p_user_ticks++;
	if (--p->p_ticks_left > 0)
		return;
	p->p_ticks_left = QUANTUM_TICKS;
	if (proc_is_runnable(p)) {	/* round robin within its priority */
		sched_dequeue(p);
		sched_enqueue(p);
	}
}

void bkl_wait(uint32_t ticket)
{
	while (__atomic_load_n(&big_kernel_lock.owner, __ATOMIC_ACQUIRE) !=
	       ticket) {
		cpu_pause();
		sched_handle_stop();
	}
}

/* --- stopping a process another CPU runs or has loaded ------------------ */

#define TLB_ALL	(~0u)	/* tlb_pages: every non-global translation */

/* Invalidates on this CPU `pages` pages from addr on, or the `pages`
 * addresses at list, or everything (TLB_ALL). */
static void invalidate_local(vir_bytes addr, const vir_bytes *list,
	uint32_t pages)
{
	if (pages == TLB_ALL) {
		tlb_flush_nonglobal();
		return;
	}
	for (uint32_t i = 0; i < pages; i++)
		tlb_invlpg(list ? list[i] : addr + i * PAGE_SIZE);
}

static void handle_tlb(void)
{
	struct proc *t = get_cpulocal_var(tlb_target);

	if (!t)
		return;
	if (get_cpulocal_var(ptproc) == t)
		invalidate_local(get_cpulocal_var(tlb_addr),
			get_cpulocal_var(tlb_list), get_cpulocal_var(tlb_pages));
	get_cpulocal_var(tlb_target) = 0;
	__atomic_add_fetch(get_cpulocal_var_ptr(tlb_acks), 1, __ATOMIC_RELEASE);
}

/* This CPU first, then each other CPU that has p's space loaded, one
 * request each, waiting for its ack (list stays valid until then). */
static void shootdown(struct proc *p, vir_bytes addr, const vir_bytes *list,
	uint32_t pages, uint32_t flush_over)
{
	if (pages > flush_over)
		pages = TLB_ALL;
	if (get_cpulocal_var(ptproc) == p)
		invalidate_local(addr, list, pages);
	for (uint32_t c = 0; c < smp_cpus_online(); c++) {
		if (c == cpu_self() || get_cpu_var(c, ptproc) != p)
			continue;
		uint32_t acks = __atomic_load_n(get_cpu_var_ptr(c, tlb_acks),
			__ATOMIC_ACQUIRE);
		get_cpu_var(c, tlb_addr) = addr;
		get_cpu_var(c, tlb_list) = list;
		get_cpu_var(c, tlb_pages) = pages;
		__atomic_store_n(get_cpu_var_ptr(c, tlb_target), p,
			__ATOMIC_RELEASE);
		lapic_send_ipi(get_cpu_var(c, apic_id), VEC_IPI_TLB);
		while (__atomic_load_n(get_cpu_var_ptr(c, tlb_acks),
				__ATOMIC_ACQUIRE) == acks)
			cpu_pause();
	}
}

void sched_shootdown(struct proc *p, vir_bytes addr, uint32_t pages,
	uint32_t flush_over)
{
	shootdown(p, addr, 0, pages, flush_over);
}

void sched_shootdown_list(struct proc *p, const vir_bytes *list,
	uint32_t count, uint32_t flush_over)
{
	shootdown(p, 0, list, count, flush_over);
}

void sched_serve_requests(void)
{
	struct proc *t = get_cpulocal_var(stop_target);

	fpu_serve_flush();
	handle_tlb();
	if (!t)
		return;
	if (get_cpulocal_var(proc_ptr) == t)
		get_cpulocal_var(proc_ptr) = 0;
	if (get_cpulocal_var(ptproc) == t) {
		write_cr3(kvtophys(kernel_pgdir));
		get_cpulocal_var(ptproc) = 0;
	}
	get_cpulocal_var(stop_target) = 0;
	__atomic_add_fetch(get_cpulocal_var_ptr(stop_acks), 1,
		__ATOMIC_RELEASE);
}

void sched_stop_remote(struct proc *p)
{
	for (uint32_t c = 0; c < smp_cpus_online(); c++) {
		if (c == cpu_self() || (get_cpu_var(c, proc_ptr) != p &&
					get_cpu_var(c, ptproc) != p))
			continue;
		uint32_t acks = __atomic_load_n(get_cpu_var_ptr(c, stop_acks),
			__ATOMIC_ACQUIRE);
		get_cpu_var(c, stop_target) = p;
		lapic_send_ipi(get_cpu_var(c, apic_id), VEC_IPI_STOP);
		while (__atomic_load_n(get_cpu_var_ptr(c, stop_acks),
				__ATOMIC_ACQUIRE) == acks)
			cpu_pause();
	}
	if (get_cpulocal_var(ptproc) == p) {
		write_cr3(kvtophys(kernel_pgdir));
		get_cpulocal_var(ptproc) = 0;
	}
	if (get_cpulocal_var(proc_ptr) == p)
		get_cpulocal_var(proc_ptr) = 0;
}

/* --- interrupts ----------------------------------------------------------- */

static void timer_interrupt(struct trapframe *tf)
{
	get_cpulocal_var(timer_ticks)++;
	lapic_eoi();
	if (tf->cs & 3)		/* from user mode: the BKL is held */
		sched_tick();
}

static void ipi_sched(struct trapframe *tf)
{
	(void)tf;
	get_cpulocal_var(ipis_received)++;
	lapic_eoi();
}

static void ipi_stop(struct trapframe *tf)
{
	(void)tf;
	sched_handle_stop();	/* stop and TLB requests alike */
	lapic_eoi();
}

static void start_timer(void *arg)
{
	(void)arg;
	uint32_t count = clock_rates.lapic_khz * 1000 / SCHED_HZ;

	lapic_timer_periodic(count ? count : 100000, VEC_LAPIC_TIMER);
}

void sched_start_timers(void)
{
	smp_call_all(start_timer, 0);
}

void sched_init_cpu(void)
{
	trap_set_handler(VEC_LAPIC_TIMER, timer_interrupt);
	trap_set_handler(VEC_IPI_SCHED, ipi_sched);
	trap_set_handler(VEC_IPI_STOP, ipi_stop);
	trap_set_handler(VEC_IPI_TLB, ipi_stop);
}

/* --- back to user mode ------------------------------------------------------ */

static int queue_nonempty(void)
{
	return *(volatile uint32_t *)get_cpulocal_var_ptr(run_q_bits) != 0;
}

/* Without the BKL: serve cross-CPU work and halt until something may be
 * ready here. A dead process's directory is never left loaded. */
static void idle(void)
{
	struct proc *pt = get_cpulocal_var(ptproc);

	if (pt && (pt->p_rts_flags & (RTS_SLOT_FREE | RTS_DYING))) {
		write_cr3(kvtophys(kernel_pgdir));
		get_cpulocal_var(ptproc) = 0;
	}
	get_cpulocal_var(proc_ptr) = 0;
	get_cpulocal_var(idle) = 1;
	bkl_unlock();
	for (;;) {
		sched_handle_stop();
		if (get_cpulocal_var(work_fn))
			smp_run_queued_work();
		if (queue_nonempty())
			break;
		cpu_idle_wait();
	}
	get_cpulocal_var(idle) = 0;
	bkl_lock();
}

void sched_return_to_user(void)
{
	for (;;) {
		struct proc *p = sched_pick();

		if (!p) {
			idle();
			continue;
		}
		switch_load(p);
		/* Work left for the moment its address space is loaded. */
		if ((p->p_misc_flags & (MF_RESTART | MF_DELIVERMSG)) &&
		    !ipc_resume(p))
			continue;	/* blocked again, or waits for VM */
		switch_run(p);
	}
}

/*
 * Requests to other CPUs that must be answered before the requester goes
 * on: invalidate pages of an address space they have loaded (TLB
 * shootdown), stop running or having loaded a process, save a process's
 * FPU state. Each goes by IPI; a CPU waiting for the BKL (interrupts off)
 * answers them while it spins, since the requester holds the lock.
 */
#include "kernel/shootdown.h"
#include "kernel/proc.h"
#include "kernel/arch.h"
#include "smp/smp.h"

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
static void shoot(struct proc *p, vir_bytes addr, const vir_bytes *list,
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

int shootdown_loaded(const struct proc *p)
{
	for (uint32_t c = 0; c < smp_cpus_online(); c++)
		if (get_cpu_var(c, ptproc) == p)
			return 1;
	return 0;
}

void shootdown_pages(struct proc *p, vir_bytes addr, uint32_t pages,
	uint32_t flush_over)
{
	shoot(p, addr, 0, pages, flush_over);
}

void shootdown_list(struct proc *p, const vir_bytes *list,
	uint32_t count, uint32_t flush_over)
{
	shoot(p, 0, list, count, flush_over);
}

void shootdown_serve(void)
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

void shootdown_stop(struct proc *p)
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

/*
 * In-guest tests of VM's TLB calls (VMCTL_INVLPG_LIST, CLEAR_PAGEFAULT
 * with pages) and of SYS_FORK's and SYS_EXEC's checks, through the call handlers with a
 * stand-in caller. The address space is the kernel's own directory with
 * a few user pages mapped for the test: only VM may make these calls, so
 * user space cannot reach their bad-input paths.
 */
#include "kernel/ktest.h"
#include "kernel/kernel.h"
#include "kernel/bootmem.h"
#include "kernel/cpulocal.h"
#include "kernel/proc.h"
#include "kernel/system.h"
#include "kernel/arch.h"
#include "kernel/lib/string.h"
#include "bench/kern/tlb_area.h"
#include "smp/smp.h"

#define TEST_VA		0x3fc00000u	/* user part: unused during boot */
#define NO_TABLE_VA	0x40000000u	/* the next 4 MiB: no page table */
#define TEST_PAGES	4		/* page 4 stays unmapped */
#define PATTERN(i)	(0x7e570000u | (i))

static uint32_t test_pt[1024] __attribute__((aligned(PAGE_SIZE)));
/* The process whose address space that is, and the caller (VM). */
static struct proc space;

static vir_bytes page_va(uint32_t i)
{
	return TEST_VA + i * PAGE_SIZE;
}

static volatile uint32_t *page_word(uint32_t i)
{
	return (volatile uint32_t *)page_va(i);
}

static uint32_t frame_pte(uint32_t i)
{
	return (*tlb_area_pte(i) & PTE_FRAME) | PTE_P | PTE_W;
}

static int map_test_pages(void)
{
	if (tlb_area_setup() != 0)
		return -1;
	memset(test_pt, 0, sizeof test_pt);
	for (uint32_t i = 0; i < TEST_PAGES; i++)
		test_pt[i] = frame_pte(i);
	paging_set_page_table(TEST_VA, kvtophys(test_pt), PTE_W);
	for (uint32_t i = 0; i < TEST_PAGES; i++)
		*page_word(i) = PATTERN(i);
	return 0;
}

static void flush_here(void *arg)
{
	(void)arg;
	tlb_flush_nonglobal();
}

static void unmap_test_pages(void)
{
	kernel_pgdir[PDE_INDEX(TEST_VA)] = 0;
	smp_call_all(flush_here, 0);
}

static int vmctl(struct sys_vmctl *v)
{
	message m;

	memset(&m, 0, sizeof m);
	m.m_type = SYS_VMCTL;
	m.u.vmctl = *v;
	int r = do_vmctl(&space, &m);
	*v = m.u.vmctl;
	return r;
}

static int invlpg_list(vir_bytes list, uint32_t count)
{
	struct sys_vmctl v = { .op = VMCTL_INVLPG_LIST, .ep = SELF };

	v.v.invlpg_list.list = list;
	v.v.invlpg_list.count = count;
	return vmctl(&v);
}

static int clear_pagefault(vir_bytes addr, uint32_t pages)
{
	struct sys_vmctl v = { .op = VMCTL_CLEAR_PAGEFAULT, .ep = SELF };

	v.v.clear.addr = addr;
	v.v.clear.pages = pages;
	return vmctl(&v);
}

/* The list VM would pass, in "its" memory: page 3 of the test pages. */
static vir_bytes put_list(const vir_bytes *pages, uint32_t n)
{
	vir_bytes *at = (vir_bytes *)page_va(3);

	for (uint32_t i = 0; i < n; i++)
		at[i] = pages[i];
	return page_va(3);
}

/* Page 0's translation is cached, then its entry moves to page 1's
 * frame without an invalidation; returns what page 0 reads after the
 * call, which must have invalidated it. */
static uint32_t stale_then_read(int (*call)(vir_bytes, uint32_t),
	vir_bytes a, uint32_t b, int *r)
{
	(void)*page_word(0);
	test_pt[0] = frame_pte(1);
	*r = call(a, b);
	uint32_t seen = *page_word(0);
	test_pt[0] = frame_pte(0);
	tlb_invlpg(page_va(0));
	return seen;
}

static void local_invalidation(void)
{
	vir_bytes one[] = { page_va(0) + 0x123 };
	vir_bytes many[VMCTL_INVLPG_MAX + 1];
	int r;

	uint32_t seen = stale_then_read(invlpg_list, put_list(one, 1), 1, &r);
	ktest_result("vmctl.invlpg_list", r == OK && seen == PATTERN(1),
		"page 0 reads 0x%08x after a list naming it (%d)", seen, r);
	for (uint32_t i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = page_va(2);	/* page 0 is not even named */
	seen = stale_then_read(invlpg_list, put_list(many, ARRAY_SIZE(many)),
		ARRAY_SIZE(many), &r);
	ktest_result("vmctl.invlpg_list_flush", r == OK && seen == PATTERN(1),
		"page 0 reads 0x%08x after a %u-page list (%d)", seen,
		(unsigned)ARRAY_SIZE(many), r);
	r = invlpg_list(NO_TABLE_VA, 0);
	ktest_result("vmctl.invlpg_list_empty", r == OK, "returned %d", r);
}

static void bad_lists(void)
{
	vir_bytes mixed[] = { page_va(0), KERNEL_BASE };
	vir_bytes long_bad[40];
	struct sys_vmctl v = { .op = VMCTL_INVLPG_LIST,
		.ep = make_endpoint(5, 200) };
	int r;

	r = invlpg_list(NO_TABLE_VA, 1);
	ktest_result("vmctl.invlpg_list_unmapped", r == EFAULT,
		"list at an unmapped address: %d", r);
	r = invlpg_list(KERNEL_BASE + 0x100000, 1);
	ktest_result("vmctl.invlpg_list_kernel_ptr", r == EFAULT,
		"list in the kernel: %d", r);
	r = invlpg_list(page_va(3) + PAGE_SIZE - 8, 4);
	ktest_result("vmctl.invlpg_list_runs_off", r == EFAULT,
		"list running into an unmapped page: %d", r);
	r = invlpg_list(page_va(3), VMCTL_INVLPG_LIST_LIMIT + 1);
	ktest_result("vmctl.invlpg_list_too_long", r == EINVAL,
		"%u addresses: %d", VMCTL_INVLPG_LIST_LIMIT + 1, r);
	r = invlpg_list(put_list(mixed, 2), 2);
	ktest_result("vmctl.invlpg_list_kernel_page", r == EINVAL,
		"a kernel page in the list: %d", r);
	for (uint32_t i = 0; i < ARRAY_SIZE(long_bad); i++)
		long_bad[i] = i == 35 ? 0xffff0000u : page_va(1);
	r = invlpg_list(put_list(long_bad, 40), 40);
	ktest_result("vmctl.invlpg_list_bad_in_2nd_chunk", r == EINVAL,
		"a kernel page at index 35 of 40: %d", r);
	v.v.invlpg_list.list = page_va(3);
	v.v.invlpg_list.count = 1;
	r = vmctl(&v);
	ktest_result("vmctl.invlpg_list_bad_endpoint", r == EBADEPT,
		"returned %d", r);
}

static void clear_with_pages(void)
{
	int r, r2, r3;

	space.p_rts_flags = RTS_PAGEFAULT | RTS_BOOTINHIBIT;
	uint32_t seen = stale_then_read(clear_pagefault, page_va(0), 1, &r);
	ktest_result("vmctl.clear_pagefault_invl", r == OK &&
		seen == PATTERN(1) && space.p_rts_flags == RTS_BOOTINHIBIT,
		"page 0 reads 0x%08x, flags 0x%x (%d)", seen,
		space.p_rts_flags, r);
	r = clear_pagefault(page_va(0), 1);
	space.p_rts_flags = RTS_PAGEFAULT | RTS_BOOTINHIBIT;
	r2 = clear_pagefault(KERNEL_BASE - PAGE_SIZE, 2);
	r3 = clear_pagefault(KERNEL_BASE, 1);
	ktest_result("vmctl.clear_pagefault_bad", r == EINVAL &&
		r2 == EINVAL && r3 == EINVAL &&
		(space.p_rts_flags & RTS_PAGEFAULT),
		"not faulting %d, range into the kernel %d, kernel page %d; "
		"still waiting: %s", r, r2, r3,
		space.p_rts_flags & RTS_PAGEFAULT ? "yes" : "no");
	space.p_rts_flags = RTS_BOOTINHIBIT;
}

/* --- another CPU with the space loaded ------------------------------------- */

static volatile uint32_t remote_seen;

static void remote_load(void *arg)
{
	(void)arg;
	(void)*page_word(0);
	(void)*page_word(2);
	get_cpulocal_var(ptproc) = &space;
}

static void remote_read(void *arg)
{
	(void)arg;
	remote_seen = *page_word(0);
	get_cpulocal_var(ptproc) = 0;
}

/* Only the CPU that has the space loaded gets a request, one for the
 * whole list; it must then see page 0's new frame. */
static void remote_invalidation(void)
{
	unsigned n = smp_cpus_online();
	vir_bytes three[] = { page_va(2), page_va(0), page_va(1) };
	uint32_t acks[CONFIG_MAX_CPUS];

	if (n < 2)
		return;
	smp_call_on(1, remote_load, 0);
	test_pt[0] = frame_pte(1);
	for (unsigned c = 0; c < n; c++)
		acks[c] = get_cpu_var(c, tlb_acks);
	int r = invlpg_list(put_list(three, 3), 3);
	uint32_t got1 = get_cpu_var(1, tlb_acks) - acks[1];
	unsigned others = 0;
	for (unsigned c = 0; c < n; c++)
		if (c != 1 && get_cpu_var(c, tlb_acks) != acks[c])
			others++;
	smp_call_on(1, remote_read, 0);
	test_pt[0] = frame_pte(0);
	smp_call_all(flush_here, 0);
	ktest_result("vmctl.invlpg_list_remote", r == OK && got1 == 1 &&
		others == 0 && remote_seen == PATTERN(1),
		"cpu 1 took %u request(s) and reads 0x%08x; %u other CPU(s) "
		"asked (%d)", got1, remote_seen, others, r);
}

KTEST(vmctl_invalidation)
{
	if (map_test_pages() != 0) {
		ktest_result("vmctl.setup", 0, "no memory for the test pages");
		return;
	}
	space.p_rts_flags = RTS_BOOTINHIBIT;	/* live, never scheduled */
	space.p_endpoint = NONE;
	struct proc *saved = get_cpulocal_var(ptproc);
	get_cpulocal_var(ptproc) = &space;
	local_invalidation();
	bad_lists();
	clear_with_pages();
	get_cpulocal_var(ptproc) = saved;
	remote_invalidation();
	unmap_test_pages();
}

/* --- SYS_FORK: every refusal (success needs VM; PM's tests cover it) ---- */

static uint32_t good_pd[1024] __attribute__((aligned(PAGE_SIZE)));
static uint32_t zero_pd[1024] __attribute__((aligned(PAGE_SIZE)));

static int fork_call(endpoint_t parent, phys_bytes pgdir)
{
	message m;

	memset(&m, 0, sizeof m);
	m.m_type = SYS_FORK;
	m.u.fork.parent = parent;
	m.u.fork.pgdir = pgdir;
	return do_fork(&space, &m);
}

KTEST(fork_checks)
{
	struct proc *p = proc_addr(NR_PROCS - 1);
	endpoint_t ep = make_endpoint(1, NR_PROCS - 1);
	phys_bytes good = kvtophys(good_pd);
	int r[8];

	if (!(p->p_rts_flags & RTS_SLOT_FREE)) {
		ktest_result("fork.checks", 0, "slot %d is taken", p->p_nr);
		return;
	}
	memcpy(good_pd, kernel_pgdir, sizeof good_pd);
	memset(zero_pd, 0, sizeof zero_pd);
	/* A parent in the last slot, set up by hand: proc_alloc would take
	 * slot 0, which is VM's. */
	p->p_generation = 1;
	p->p_endpoint = ep;
	p->p_cr3 = kvtophys(zero_pd);
	p->p_rts_flags = RTS_BOOTINHIBIT;
	r[0] = fork_call(make_endpoint(2, NR_PROCS - 1), good);
	r[1] = fork_call(ep, good);		/* not receiving */
	p->p_rts_flags = RTS_RECEIVING;
	r[2] = fork_call(ep, good);		/* RECEIVE, not SENDREC */
	p->p_misc_flags = MF_SENDREC;
	r[3] = fork_call(ep, good + 0x10);
	r[4] = fork_call(ep, kinfo.mapped_end);
	r[5] = fork_call(ep, kvtophys(zero_pd));	/* no kernel part */
	p->p_cr3 = good;
	r[6] = fork_call(ep, good);		/* the parent's own */
	p->p_misc_flags = MF_SENDREC | MF_DELIVERMSG;
	p->p_cr3 = kvtophys(zero_pd);
	r[7] = fork_call(ep, good);		/* a reply waits */
	memset(p, 0, sizeof *p);		/* as proc_init left it */
	p->p_nr = NR_PROCS - 1;
	p->p_rts_flags = RTS_SLOT_FREE;
	p->p_endpoint = NONE;
	ktest_result("fork.bad_endpoint", r[0] == EBADEPT, "%d", r[0]);
	ktest_result("fork.parent_not_in_sendrec", r[1] == EINVAL &&
		r[2] == EINVAL && r[7] == EINVAL, "blocked otherwise %d, "
		"plain RECEIVE %d, reply pending %d", r[1], r[2], r[7]);
	ktest_result("fork.bad_pgdir", r[3] == EINVAL && r[4] == EINVAL &&
		r[5] == EINVAL && r[6] == EINVAL, "unaligned %d, unmapped %d, "
		"no kernel part %d, the parent's own %d", r[3], r[4], r[5],
		r[6]);
}

static int exec_call(endpoint_t ep, phys_bytes pgdir, vir_bytes entry)
{
	message m;

	memset(&m, 0, sizeof m);
	m.m_type = SYS_EXEC;
	m.u.exec.ep = ep;
	m.u.exec.pgdir = pgdir;
	m.u.exec.entry = entry;
	m.u.exec.stack = 0xEF000000u - 16;
	return do_exec(&space, &m);
}

/* SYS_EXEC refuses before it changes anything: a caller that is not VM,
 * a target not waiting in its SENDREC alone, a directory that is not
 * one, an entry in the kernel. (Its success is vmtest's and hostile's.) */
KTEST(exec_checks)
{
	struct proc *p = proc_addr(NR_PROCS - 1);
	endpoint_t ep = make_endpoint(1, NR_PROCS - 1);
	phys_bytes good = kvtophys(good_pd);
	uint32_t vm_flag = space.p_misc_flags & MF_PRIV_VM;
	int r[8];

	if (!(p->p_rts_flags & RTS_SLOT_FREE)) {
		ktest_result("exec.checks", 0, "slot %d is taken", p->p_nr);
		return;
	}
	memcpy(good_pd, kernel_pgdir, sizeof good_pd);
	p->p_generation = 1;
	p->p_endpoint = ep;
	p->p_cr3 = kvtophys(zero_pd);
	p->p_rts_flags = RTS_RECEIVING;
	p->p_misc_flags = MF_SENDREC;
	space.p_misc_flags &= ~MF_PRIV_VM;
	r[0] = exec_call(ep, good, 0x08048000u);	/* not VM */
	space.p_misc_flags |= MF_PRIV_VM;
	r[1] = exec_call(make_endpoint(2, NR_PROCS - 1), good, 0x08048000u);
	r[2] = exec_call(ep, good + 0x10, 0x08048000u);
	r[3] = exec_call(ep, kvtophys(zero_pd), 0x08048000u);	/* its own */
	r[4] = exec_call(ep, good, KERNEL_BASE);
	p->p_misc_flags = MF_SENDREC | MF_DELIVERMSG;
	r[5] = exec_call(ep, good, 0x08048000u);	/* a reply waits */
	p->p_rts_flags = RTS_BOOTINHIBIT;
	p->p_misc_flags = 0;
	r[6] = exec_call(ep, good, 0x08048000u);	/* not receiving */
	r[7] = exec_call(SELF, good, 0x08048000u);
	space.p_misc_flags = (space.p_misc_flags & ~MF_PRIV_VM) | vm_flag;
	memset(p, 0, sizeof *p);		/* as proc_init left it */
	p->p_nr = NR_PROCS - 1;
	p->p_rts_flags = RTS_SLOT_FREE;
	p->p_endpoint = NONE;
	ktest_result("exec.vm_only", r[0] == EPERM, "%d", r[0]);
	ktest_result("exec.bad_endpoint", r[1] == EBADEPT && r[7] == EBADEPT,
		"stale %d, SELF %d", r[1], r[7]);
	ktest_result("exec.bad_pgdir", r[2] == EINVAL && r[3] == EINVAL,
		"unaligned %d, in use %d", r[2], r[3]);
	ktest_result("exec.kernel_entry", r[4] == EFAULT, "%d", r[4]);
	ktest_result("exec.not_in_sendrec", r[5] == EINVAL && r[6] == EINVAL,
		"reply pending %d, not receiving %d", r[5], r[6]);
}

/*
 * Tests of VM's address-space code on the host: page tables, anonymous
 * memory, page faults, kernel memory requests, brk, exit and the exit
 * queue for PM, the loading of boot programs and spawns, and the eager
 * fork, with 16 MiB of host memory standing in for RAM (VM's direct map)
 * and the kernel calls replaced by recording stubs.
 */
#include "check.h"

#include <stdint.h>
#include <string.h>
#include "vm/boot.h"
#include "vm/brk.h"
#include "vm/exit.h"
#include "vm/fault.h"
#include "vm/fork.h"
#include "vm/frame.h"
#include "vm/layout.h"
#include "vm/pt.h"
#include "vm/vmproc.h"
#include "cairn/ipclib.h"
#include "cairn/syslib.h"

#define MiB		(1024u * 1024u)
#define RAM_SIZE	(16 * MiB)
#define MAPPED_END	(4 * MiB)
#define MOD_PHYS	(14 * MiB)	/* where the fake modules lie */
#define PG		VM_PAGE_SIZE

static uint8_t *ram;
static struct kinfo ki;

/* --- the kernel, as VM sees it: recording stubs ------------------------ */

static struct {
	int newprocs;
	struct sys_newproc np[8];
	int next_slot;
	int exits;
	endpoint_t exit_ep;
	int exit_status;
	int clears;
	endpoint_t clear_ep;
	int invlpgs;
	vir_bytes invlpg_addr;
	uint32_t invlpg_pages;
	int sends;
	endpoint_t send_ep;
	message sent;
	int notifies;
	endpoint_t notify_ep;
	int forks;
	int fork_error;		/* sys_fork fails with this, if not 0 */
	endpoint_t fork_parent;
	phys_bytes fork_pgdir;
	int nreqs, reqs_given;
	struct vmctl_memreq req[8];
	int replies;
	endpoint_t reply_ep[8];
	int reply_result[8];
	uint32_t physmap_count;
	uint32_t map_replies;
} k;

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	FAILF("VM panicked: %s", msg);
}

int sys_newproc(struct sys_newproc *np)
{
	np->endpoint = make_endpoint(1, k.next_slot);
	k.next_slot++;
	if (k.newprocs < 8)
		k.np[k.newprocs] = *np;
	k.newprocs++;
	return OK;
}

int sys_exit(endpoint_t ep, int status)
{
	k.exits++;
	k.exit_ep = ep;
	k.exit_status = status;
	return OK;
}

int sys_fork(endpoint_t parent, phys_bytes pgdir, endpoint_t *child)
{
	k.forks++;
	k.fork_parent = parent;
	k.fork_pgdir = pgdir;
	if (k.fork_error != 0)
		return k.fork_error;
	*child = make_endpoint(1, k.next_slot);
	k.next_slot++;
	return OK;
}

int vmctl_clear_pagefault(endpoint_t ep)
{
	k.clears++;
	k.clear_ep = ep;
	return OK;
}

int vmctl_invlpg(endpoint_t ep, vir_bytes addr, uint32_t pages)
{
	(void)ep;
	k.invlpgs++;
	k.invlpg_addr = addr;
	k.invlpg_pages = pages;
	return OK;
}

int vmctl_memreq_get(struct vmctl_memreq *req)
{
	if (k.reqs_given == k.nreqs)
		return ESRCH;
	*req = k.req[k.reqs_given++];
	return OK;
}

int vmctl_memreq_reply(endpoint_t requestor, int result)
{
	if (k.replies < 8) {
		k.reply_ep[k.replies] = requestor;
		k.reply_result[k.replies] = result;
	}
	k.replies++;
	return OK;
}

/* The kernel's direct map of [0, 4 MiB) and the device page. */
int vmctl_kern_physmap(uint32_t index, struct vmctl_physmap *range)
{
	if (index >= k.physmap_count)
		return ESRCH;
	if (index == 0)
		*range = (struct vmctl_physmap){ 0, MAPPED_END, 0xF0000000u,
			KPM_WRITABLE };
	else
		*range = (struct vmctl_physmap){ 0xFEC00000u, 0x400000,
			0xFEC00000u, KPM_WRITABLE | KPM_UNCACHED };
	return OK;
}

int vmctl_kern_map_reply(uint32_t index, vir_bytes vaddr)
{
	(void)vaddr;
	CHECK_EQ(index, k.map_replies);
	k.map_replies++;
	return OK;
}

static int trap_stub(int op, endpoint_t ep, message *m)
{
	if (op == IPC_NOTIFY) {
		k.notifies++;
		k.notify_ep = ep;
		return OK;
	}
	CHECK_EQ(op, IPC_SENDNB);
	k.sends++;
	k.send_ep = ep;
	k.sent = *m;
	return OK;
}

ipc_trap_fn ipc_trap_current = trap_stub;

/* --- a fake boot: RAM, kinfo, modules ----------------------------------- */

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* A program of two segments that share a page: text [0x08048000,
 * +0x1100) from file offset 0, then data at 0x08049800 with 0x10 bytes
 * from the file and 0x2000 in memory. Returns its size. */
static uint32_t make_elf(uint8_t *f)
{
	static const uint8_t ident[] = { 0x7f, 'E', 'L', 'F', 1, 1, 1 };
	const uint32_t phoff = 52;

	memset(f, 0, 0x2000);
	memcpy(f, ident, sizeof ident);
	put16(f + 16, 2);		/* ET_EXEC */
	put16(f + 18, 3);		/* EM_386 */
	put32(f + 20, 1);
	put32(f + 24, 0x08048100);	/* entry */
	put32(f + 28, phoff);
	put16(f + 40, 52);
	put16(f + 42, 32);
	put16(f + 44, 2);
	/* text: R+X */
	put32(f + phoff + 0, 1);
	put32(f + phoff + 4, 0);
	put32(f + phoff + 8, 0x08048000);
	put32(f + phoff + 12, 0x08048000);
	put32(f + phoff + 16, 0x1100);
	put32(f + phoff + 20, 0x1100);
	put32(f + phoff + 24, 5);
	put32(f + phoff + 28, 0x1000);
	/* data: R+W */
	put32(f + phoff + 32, 1);
	put32(f + phoff + 36, 0x1800);
	put32(f + phoff + 40, 0x08049800);
	put32(f + phoff + 44, 0x08049800);
	put32(f + phoff + 48, 0x10);
	put32(f + phoff + 52, 0x2000);
	put32(f + phoff + 56, 6);
	put32(f + phoff + 60, 0x1000);
	/* Recognisable bytes: the text's last ones, the data. */
	memset(f + 0x10f0, 0xcc, 0x10);
	memset(f + 0x1800, 0xda, 0x10);
	/* File bytes past the data's filesz must not be loaded. */
	memset(f + 0x1810, 0xee, 0x100);
	return 0x1910;
}

static void add_module(const char *str, uint32_t size_or_0_for_elf)
{
	uint32_t i = ki.mod_count, off = 0;
	phys_bytes at = MOD_PHYS + i * 0x4000;
	uint32_t size = size_or_0_for_elf;

	for (uint32_t j = 0; j < i; j++)
		off += ki.mods[j].str_len + 1;
	if (size == 0)
		size = make_elf(ram + at);
	else
		memset(ram + at, 0x5a, size);
	ki.mods[i].start = at;
	ki.mods[i].end = at + size;
	ki.mods[i].str_off = (uint16_t)off;
	ki.mods[i].str_len = (uint16_t)strlen(str);
	memcpy(ki.modstr + off, str, strlen(str) + 1);
	ki.mod_count++;
}

static struct pmem_stats boot_stats;	/* right after frame_init */

static uint32_t free_now(void)
{
	struct pmem_stats st;

	frame_stats(&st);
	return st.free;
}

/* Fresh RAM, kinfo with [1, 4) MiB and [4, 12) MiB free, VM's view of
 * memory and the kernel's ranges set up; no program loaded. */
static void boot_vm(void)
{
	if (ram == NULL) {
		ram = aligned_alloc(PG, RAM_SIZE);
		CHECK(ram != NULL);
	}
	/* What a failed test left behind must not fail the next one. */
	for (int i = 0; i < k.newprocs && i < 8; i++) {
		struct vmproc *vmp = vmproc_lookup(k.np[i].endpoint);

		if (vmp != NULL)
			exit_process(vmp, 0);
	}
	memset(ram, 0x77, RAM_SIZE);	/* frames must be zeroed by VM */
	phys_base = (uintptr_t)ram;
	memset(&k, 0, sizeof k);
	k.next_slot = 2;	/* 0 is VM, 1 PM: not processes of VM's */
	k.physmap_count = 2;
	memset(&ki, 0, sizeof ki);
	ki.magic = KINFO_MAGIC;
	ki.mem_count = 2;
	ki.mem[0] = (struct kinfo_mem){ 1 * MiB, 3 * MiB };
	ki.mem[1] = (struct kinfo_mem){ 4 * MiB, 8 * MiB };
	ki.mapped_end = MAPPED_END;
	add_module("vm", 0x100);
	frame_init(&ki);
	frame_stats(&boot_stats);
	boot_kernel_maps();
	CHECK_EQ(k.map_replies, 2);
}

/* Boots with one "utest" program and returns it. */
static struct vmproc *boot_one(const char *str)
{
	boot_vm();
	add_module(str, 0);
	CHECK_EQ(boot_start_programs(&ki), 1);
	CHECK_EQ(k.newprocs, 1);
	return vmproc_lookup(k.np[0].endpoint);
}

static uint32_t *pte_of(struct vmproc *vmp, vir_bytes va)
{
	uint32_t pde = ((uint32_t *)phys_ptr(vmp->pgdir))[PDE_INDEX(va)];

	if (!(pde & PTE_P))
		return NULL;
	return &((uint32_t *)phys_ptr(pde & PTE_FRAME))[PTE_INDEX(va)];
}

static uint8_t *user_ptr(struct vmproc *vmp, vir_bytes va)
{
	uint32_t pte;

	if (pt_lookup(vmp->pgdir, va, &pte) != OK)
		return NULL;
	return (uint8_t *)phys_ptr(pte & PTE_FRAME) + (va & VM_PAGE_MASK);
}

/* Ends the process through VM_EXIT. */
static void exit_proc(struct vmproc *vmp)
{
	message m = { 0 };
	endpoint_t ep = vmp->ep;

	m.m_source = ep;
	m.m_type = VM_EXIT;
	m.u.exit.status = 3;
	exit_request(&m);
	CHECK_EQ(k.exit_ep, ep);
	CHECK_EQ(k.exit_status, 3);
	CHECK(vmproc_lookup(ep) == NULL);
}

/* Ends the last process and checks that all is given back. */
static void exit_and_check(struct vmproc *vmp)
{
	exit_proc(vmp);
	CHECK_EQ(free_now(), boot_stats.free);
}

static void pagefault(struct vmproc *vmp, vir_bytes addr, uint32_t err)
{
	message m = { 0 };

	m.m_source = vmp->ep;
	m.m_type = VM_PAGEFAULT;
	m.u.pagefault.addr = addr;
	m.u.pagefault.err = err;
	m.u.pagefault.eip = 0x08048123;
	fault_pagefault(&m);
}

static int brk_to(struct vmproc *vmp, vir_bytes addr)
{
	message m = { 0 };

	m.m_source = vmp->ep;
	m.m_type = VM_BRK;
	m.u.vm_brk.addr = addr;
	k.sends = 0;
	brk_request(&m);
	CHECK_EQ(k.sends, 1);
	CHECK_EQ(k.send_ep, vmp->ep);
	return k.sent.u.reply.status;
}

/* --- the tests ---------------------------------------------------------- */

TEST(vm_space, directories_get_the_kernel_part)
{
	phys_bytes pd;
	uint32_t *e;

	boot_vm();
	CHECK_EQ(pt_new(&pd), OK);
	CHECK_LT(pd, MAPPED_END);
	e = phys_ptr(pd);
	CHECK_EQ_U(e[0x3c0], 0x00000000u | PTE_P | PTE_W | PTE_PS | PTE_G);
	CHECK_EQ(e[0x3c1], 0);
	CHECK_EQ_U(e[0x3fb], 0xFEC00000u | PTE_P | PTE_W | PTE_PS | PTE_G |
		PTE_PCD | PTE_PWT);
	for (int i = 0; i < 0x3c0; i++)
		CHECK_EQ(e[i], 0);
	/* The kernel part refuses user addresses. */
	CHECK_EQ(pt_kern_map(0, MAPPED_END, 0x80000000u, 1, 0), EINVAL);
	CHECK_EQ(pt_kern_map(0x1000, MAPPED_END, 0xF0000000u, 1, 0), EINVAL);
	pt_free(pd);
	CHECK_EQ(free_now(), boot_stats.free);
}

TEST(vm_space, map_lookup_unmap)
{
	phys_bytes pd, f = 0;
	uint32_t pte, *e;

	boot_vm();
	CHECK_EQ(pt_new(&pd), OK);
	CHECK_EQ(pt_lookup(pd, 0x400000, &pte), ESRCH);
	f = frame_alloc(PMEM_USER);
	CHECK(f >= MAPPED_END);		/* user frames from high memory */
	CHECK_EQ(pt_map(pd, 0x400123, f, PTE_U | PTE_W), OK);
	CHECK_EQ(pt_lookup(pd, 0x400fff, &pte), OK);
	CHECK_EQ_U(pte, f | PTE_P | PTE_U | PTE_W);
	/* The page table is below mapped_end and user-accessible. */
	e = phys_ptr(pd);
	CHECK_LT(e[1] & PTE_FRAME, MAPPED_END);
	CHECK_EQ(e[1] & 0xfff, PTE_P | PTE_W | PTE_U);
	CHECK_EQ(pt_map(pd, 0xF0000000u, f, PTE_U), EINVAL);
	CHECK_EQ_U(pt_unmap(pd, 0x400000), f);
	CHECK_EQ_U(pt_unmap(pd, 0x400000), 0);
	frame_free(f);
	CHECK_EQ(pt_free(pd), 0);
	CHECK_EQ(free_now(), boot_stats.free);
}

TEST(vm_space, boot_program_layout)
{
	struct vmproc *vmp = boot_one("utest role=server  extra");
	const struct sys_newproc *np = &k.np[0];
	uint32_t *w, *pte;
	uint8_t *p;

	CHECK(vmp != NULL);
	CHECK_STR(np->name, "utest");
	CHECK_EQ_U(np->entry, 0x08048100);
	CHECK_EQ_U(np->pgdir, vmp->pgdir);
	CHECK_EQ_U(np->cpu, NEWPROC_ANY_CPU);
	/* Only role=main (a boot's driver) may end the boot. */
	CHECK_EQ_U(np->calls, SYS_CALL_BIT(SYS_INFO) |
		SYS_CALL_BIT(SYS_DIAGPRINT) | SYS_CALL_BIT(SYS_SETCPU));
	CHECK_EQ_U(np->ipc_to[0], PRIV_IPC_ALL);
	/* Text: read-only user pages with the file's bytes. */
	pte = pte_of(vmp, 0x08048000);
	CHECK(pte != NULL);
	CHECK_EQ(*pte & 0xfff, PTE_P | PTE_U);
	p = user_ptr(vmp, 0x080490f0);
	CHECK(p != NULL);
	CHECK_EQ(p[0], 0xcc);
	CHECK_EQ(p[0xf], 0xcc);
	/* The shared page: text tail, zeroes, data, writable. */
	CHECK_EQ(p[0x10], 0);
	CHECK_EQ(*pte_of(vmp, 0x08049000) & 0xfff, PTE_P | PTE_U | PTE_W);
	p = user_ptr(vmp, 0x08049800);
	CHECK_EQ(p[0], 0xda);
	CHECK_EQ(p[0xf], 0xda);
	CHECK_EQ(p[0x10], 0);		/* bss, not the file's 0xee */
	p = user_ptr(vmp, 0x0804b7ff);
	CHECK(p != NULL);
	CHECK_EQ(p[0], 0);
	CHECK(user_ptr(vmp, 0x0804c000) == NULL);
	/* Regions: text, data (with the shared page: it is writable), the
	 * empty heap, the stack. */
	CHECK_EQ(region_count(&vmp->regions), 4);
	CHECK_EQ_U(region_lookup(&vmp->regions, 0x08048fff)->length, 0x1000);
	CHECK_EQ(region_lookup(&vmp->regions, 0x08048000)->flags, 0);
	CHECK_EQ_U(region_lookup(&vmp->regions, 0x08049000)->length, 0x3000);
	CHECK_EQ(region_lookup(&vmp->regions, 0x08049000)->flags, REGION_WRITE);
	CHECK_EQ(vmp->heap_start, 0x0804c000);
	CHECK_EQ(vmp->brk, 0x0804c000);
	CHECK(region_at(&vmp->regions, 0x0804c000) != NULL);
	CHECK(region_lookup(&vmp->regions, USER_STACK_TOP - 1) != NULL);
	CHECK(region_lookup(&vmp->regions,
		USER_STACK_TOP - USER_STACK_SIZE) != NULL);
	CHECK(region_lookup(&vmp->regions,
		USER_STACK_TOP - USER_STACK_SIZE - 1) == NULL);
	/* The stack: argc, argv, NULL, NULL, aligned, strings above. */
	CHECK_EQ(np->stack % 16, 0);
	CHECK_GE(np->stack, USER_STACK_TOP - PG);
	w = (uint32_t *)user_ptr(vmp, np->stack);
	CHECK_EQ(w[0], 3);
	CHECK_STR((char *)user_ptr(vmp, w[1]), "utest");
	CHECK_STR((char *)user_ptr(vmp, w[2]), "role=server");
	CHECK_STR((char *)user_ptr(vmp, w[3]), "extra");
	CHECK_EQ(w[4], 0);
	CHECK_EQ(w[5], 0);
	CHECK_GE(w[1], np->stack + 6 * 4);
	/* Only the top stack page exists yet. */
	CHECK(user_ptr(vmp, USER_STACK_TOP - PG - 1) == NULL);
	exit_and_check(vmp);
}

TEST(vm_space, restricted_role_and_bad_modules)
{
	uint32_t before;

	boot_vm();
	add_module("", 0x40);			/* not an ELF */
	add_module("restricted-prog role=restricted", 0);
	add_module("longname_is_cut_here", 0);
	before = free_now();
	CHECK_EQ(boot_start_programs(&ki), 2);
	CHECK_EQ(k.newprocs, 2);
	/* VM, PM and the boot's driver (boot program 2). */
	CHECK_EQ_U(k.np[0].ipc_to[0], (uint32_t)VM_ENDPOINT);
	CHECK_EQ_U(k.np[0].ipc_to[1], (uint32_t)PM_ENDPOINT);
	CHECK_EQ_U(k.np[0].ipc_to[2], (uint32_t)make_endpoint(1, 2));
	CHECK_EQ_U(k.np[0].ipc_to[3], 0);
	CHECK_STR(k.np[0].name, "restricted-");
	CHECK_EQ_U(k.np[1].ipc_to[0], PRIV_IPC_ALL);
	CHECK_STR(k.np[1].name, "longname_is");
	CHECK_LT(free_now(), before);
	exit_proc(vmproc_lookup(k.np[0].endpoint));
	CHECK(free_now() < boot_stats.free);
	exit_and_check(vmproc_lookup(k.np[1].endpoint));
}

TEST(vm_space, stack_fault_maps_a_zero_page)
{
	struct vmproc *vmp = boot_one("utest");
	/* Below the 4 MiB of the top page: it needs a new page table. */
	vir_bytes va = USER_STACK_TOP - 0x500000 + 0x123;
	uint32_t before = free_now();

	pagefault(vmp, va, 0x4);		/* user read, not present */
	CHECK_EQ(k.clears, 1);
	CHECK_EQ(k.clear_ep, vmp->ep);
	CHECK_EQ(k.exits, 0);
	CHECK_EQ(*pte_of(vmp, va) & 0xfff, PTE_P | PTE_U | PTE_W);
	for (uint32_t i = 0; i < PG; i++)
		if (user_ptr(vmp, page_trunc(va))[i] != 0)
			FAILF("byte %u of the new page is not zero", i);
	/* A page table and the page. */
	CHECK_EQ(free_now(), before - 2);
	/* Again (a second CPU, say): nothing new. */
	pagefault(vmp, va, 0x6);
	CHECK_EQ(k.clears, 2);
	CHECK_EQ(free_now(), before - 2);
	exit_and_check(vmp);
}

TEST(vm_space, bad_faults_kill_the_process)
{
	struct vmproc *vmp = boot_one("utest");
	endpoint_t ep = vmp->ep;

	/* A write to the text. */
	pagefault(vmp, 0x08048010, 0x7);
	CHECK_EQ(k.clears, 0);
	CHECK_EQ(k.exits, 1);
	CHECK_EQ(k.exit_ep, ep);
	CHECK_EQ(k.exit_status, EFAULT);
	CHECK(vmproc_lookup(ep) == NULL);
	CHECK_EQ(free_now(), boot_stats.free);

	/* Outside every region (the empty heap included). */
	vmp = boot_one("utest");
	ep = vmp->ep;
	pagefault(vmp, vmp->heap_start, 0x6);
	CHECK_EQ(k.exits, 1);
	CHECK_EQ(k.exit_status, EFAULT);
	CHECK_EQ(free_now(), boot_stats.free);

	/* A fault for a process VM does not know is only reported. */
	message m = { 0 };
	m.m_source = ep;
	m.m_type = VM_PAGEFAULT;
	fault_pagefault(&m);
	CHECK_EQ(k.exits, 1);
	CHECK_EQ(k.clears, 0);
}

TEST(vm_space, out_of_memory_is_an_error)
{
	struct vmproc *vmp = boot_one("utest");
	phys_bytes got[4096];
	uint32_t n = 0;

	while ((got[n] = frame_alloc(PMEM_USER)) != 0)
		n++;
	CHECK_EQ(fault_make_present(vmp, USER_STACK_TOP - 0x20000, 1), ENOMEM);
	while (n)
		frame_free(got[--n]);
	CHECK_EQ(fault_make_present(vmp, USER_STACK_TOP - 0x20000, 1), OK);
	exit_and_check(vmp);
}

TEST(vm_space, memory_requests)
{
	struct vmproc *vmp = boot_one("utest");
	vir_bytes s = USER_STACK_TOP - 0x5000;

	k.nreqs = 6;
	/* Three stack pages, writable. */
	k.req[0] = (struct vmctl_memreq){ vmp->ep, s + 0x800, 0x2000, 1 };
	/* Text for reading: fine; for writing: EFAULT. */
	k.req[1] = (struct vmctl_memreq){ vmp->ep, 0x08048000, 0x10, 0 };
	k.req[2] = (struct vmctl_memreq){ vmp->ep, 0x08048000, 0x10, 1 };
	/* Running off the data into the empty heap. */
	k.req[3] = (struct vmctl_memreq){ vmp->ep, 0x0804b000, 0x1001, 1 };
	/* Nobody, and a range that wraps. */
	k.req[4] = (struct vmctl_memreq){ make_endpoint(7, 9), s, 1, 0 };
	k.req[5] = (struct vmctl_memreq){ vmp->ep, 0xfffff000u, 0x2000, 0 };
	fault_memreqs();
	CHECK_EQ(k.replies, 6);
	CHECK_EQ(k.reply_result[0], OK);
	CHECK_EQ(k.reply_ep[0], vmp->ep);
	CHECK(user_ptr(vmp, s) != NULL);
	CHECK(user_ptr(vmp, s + 0x2000) != NULL);
	CHECK(user_ptr(vmp, s + 0x3000) == NULL);
	CHECK_EQ(k.reply_result[1], OK);
	CHECK_EQ(k.reply_result[2], EFAULT);
	CHECK_EQ(k.reply_result[3], EFAULT);
	CHECK_EQ(k.reply_result[4], EFAULT);
	CHECK_EQ(k.reply_ep[4], make_endpoint(7, 9));
	CHECK_EQ(k.reply_result[5], EFAULT);
	/* No kill for a failed request: the kernel returns the error. */
	CHECK_EQ(k.exits, 0);
	/* Zero length is always fine. */
	CHECK_EQ(fault_make_range_present(vmp, 0, 0, 1), OK);
	exit_and_check(vmp);
}

TEST(vm_space, brk_grows_and_shrinks)
{
	struct vmproc *vmp = boot_one("utest");
	vir_bytes h = vmp->heap_start;

	CHECK_EQ(brk_to(vmp, h + 0x2500), OK);
	CHECK_EQ(k.sent.u.reply.value[0], h + 0x2500);
	CHECK_EQ(vmp->brk, h + 0x2500);
	/* The heap's pages come on first touch, up to the rounded end. */
	CHECK_EQ(fault_make_present(vmp, h, 1), OK);
	CHECK_EQ(fault_make_present(vmp, h + 0x2fff, 1), OK);
	CHECK_EQ(fault_make_present(vmp, h + 0x3000, 0), FAULT_NOREGION);
	/* Shrinking frees the pages past the end and flushes just those. */
	CHECK_EQ(brk_to(vmp, h + 0x1000), OK);
	CHECK_EQ(k.invlpgs, 1);
	CHECK_EQ_U(k.invlpg_addr, h + 0x2000);
	CHECK_EQ(k.invlpg_pages, 1);
	CHECK(user_ptr(vmp, h + 0x2000) == NULL);
	CHECK(user_ptr(vmp, h) != NULL);
	CHECK_EQ(fault_make_present(vmp, h + 0x1000, 0), FAULT_NOREGION);
	/* Below the heap; into the stack; and back to empty. */
	CHECK_EQ(brk_to(vmp, h - 1), EINVAL);
	CHECK_EQ(brk_to(vmp, USER_STACK_TOP - USER_STACK_SIZE + 1), ENOMEM);
	CHECK_EQ(vmp->brk, h + 0x1000);
	CHECK_EQ(brk_to(vmp, USER_STACK_TOP - USER_STACK_SIZE), OK);
	CHECK_EQ(brk_to(vmp, h), OK);
	CHECK_EQ(k.invlpgs, 2);
	CHECK_EQ_U(k.invlpg_addr, h);
	CHECK(user_ptr(vmp, h) == NULL);
	exit_and_check(vmp);
}

TEST(vm_space, requests_from_strangers)
{
	struct vmproc *vmp = boot_one("utest");
	message m = { 0 };

	/* brk from an unknown endpoint gets EINVAL, not a crash. */
	m.m_source = make_endpoint(3, 40);
	m.m_type = VM_BRK;
	m.u.vm_brk.addr = 0x10000000;
	brk_request(&m);
	CHECK_EQ(k.sends, 1);
	CHECK_EQ(k.sent.u.reply.status, EINVAL);
	/* A stale endpoint of a live slot is a stranger too. */
	m.m_source = make_endpoint(2, endpoint_slot(vmp->ep));
	m.m_type = VM_EXIT;
	exit_request(&m);
	CHECK_EQ(k.exits, 0);
	CHECK(vmproc_lookup(vmp->ep) == vmp);
	exit_and_check(vmp);
}

/* --- PM's requests: exits, the exit queue, fork, spawn -------------------- */

/* A request as it reaches VM, and the reply VM sent (to PM, or to a
 * stranger refused). */
static message request(endpoint_t from, int type)
{
	message m = { 0 };

	m.m_source = from;
	m.m_type = type;
	return m;
}

static void served(void (*handler)(const message *), const message *m)
{
	k.sends = 0;
	handler(m);
	CHECK_EQ(k.sends, 1);
	CHECK_EQ(k.send_ep, m->m_source);
	CHECK_EQ(k.sent.m_type, k.sent.u.reply.status);
}

/* Takes every queued exit, so a test starts with an empty queue. */
static void drain_exit_queue(void)
{
	message m = request(PM_ENDPOINT, VM_GETEXIT);

	for (int i = 0; i <= EXIT_QUEUE_LEN; i++) {
		served(exit_getexit_request, &m);
		if (k.sent.u.reply.status == ESRCH)
			return;
	}
	FAILF("the exit queue does not empty");
}

TEST(vm_space, exits_reach_pm_through_the_queue)
{
	struct vmproc *vmp = boot_one("utest");
	endpoint_t a = vmp->ep, b;
	message m;

	drain_exit_queue();
	k.notifies = 0;
	exit_proc(vmp);			/* its own VM_EXIT, status 3 */
	CHECK_EQ(k.notifies, 1);
	CHECK_EQ(k.notify_ep, PM_ENDPOINT);
	add_module("utest", 0);
	CHECK_EQ(boot_start_programs(&ki), 2);	/* both modules again */
	b = k.np[2].endpoint;
	vmp = vmproc_lookup(b);
	pagefault(vmp, 0xdead0000, 0x6);	/* VM kills it */
	CHECK(vmproc_lookup(b) == NULL);
	CHECK_EQ(k.notifies, 2);
	/* Only PM may fetch them, oldest first, then ESRCH. */
	m = request(b, VM_GETEXIT);
	served(exit_getexit_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EPERM);
	m = request(PM_ENDPOINT, VM_GETEXIT);
	served(exit_getexit_request, &m);
	CHECK_EQ(k.sent.u.reply.status, OK);
	CHECK_EQ_U(k.sent.u.reply.value[0], (uint32_t)a);
	CHECK_EQ(k.sent.u.reply.value[1], 3);
	served(exit_getexit_request, &m);
	CHECK_EQ_U(k.sent.u.reply.value[0], (uint32_t)b);
	CHECK_EQ((int32_t)k.sent.u.reply.value[1], EFAULT);
	served(exit_getexit_request, &m);
	CHECK_EQ(k.sent.u.reply.status, ESRCH);
	exit_and_check(vmproc_lookup(k.np[1].endpoint));
	drain_exit_queue();
}

TEST(vm_space, pm_ends_processes_with_a_reply)
{
	struct vmproc *vmp = boot_one("utest");
	endpoint_t ep = vmp->ep;
	message m = request(PM_ENDPOINT, VM_EXIT);

	drain_exit_queue();
	k.notifies = 0;
	m.u.exit.ep = ep;
	m.u.exit.status = 77;
	served(exit_request, &m);
	CHECK_EQ(k.sent.u.reply.status, OK);
	CHECK_EQ(k.exit_ep, ep);
	CHECK_EQ(k.exit_status, 77);
	CHECK(vmproc_lookup(ep) == NULL);
	CHECK_EQ(free_now(), boot_stats.free);
	CHECK_EQ(k.notifies, 0);	/* PM knows already: not queued */
	served(exit_request, &m);	/* again: gone */
	CHECK_EQ(k.sent.u.reply.status, ESRCH);
	m.u.exit.ep = PM_ENDPOINT;
	served(exit_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EINVAL);
	m.u.exit.ep = VM_ENDPOINT;
	served(exit_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EINVAL);
	CHECK_EQ(k.exits, 1);
}

static struct vmproc *fork_of(struct vmproc *parent)
{
	message m = request(PM_ENDPOINT, VM_FORK);

	m.u.vm_fork.parent = parent->ep;
	served(fork_request, &m);
	if (k.sent.u.reply.status != OK)
		return NULL;
	return vmproc_lookup((endpoint_t)k.sent.u.reply.value[0]);
}

TEST(vm_space, fork_copies_every_present_page)
{
	struct vmproc *p = boot_one("utest role=x"), *c;
	vir_bytes h = p->heap_start, s = USER_STACK_TOP - 0x3000;
	uint32_t before;

	CHECK_EQ(brk_to(p, h + 0x3000), OK);
	CHECK_EQ(fault_make_present(p, h + 0x1000, 1), OK);
	CHECK_EQ(fault_make_present(p, s, 1), OK);
	user_ptr(p, h + 0x1000)[5] = 0x11;
	user_ptr(p, s)[7] = 0x22;
	user_ptr(p, 0x08049800)[0] = 0x33;	/* data: a file page */
	before = free_now();
	c = fork_of(p);
	CHECK(c != NULL);
	CHECK_EQ(k.forks, 1);
	CHECK_EQ(k.fork_parent, p->ep);
	CHECK_EQ_U(k.fork_pgdir, c->pgdir);
	CHECK(c->pgdir != p->pgdir);
	CHECK_STR(c->name, "utest");
	CHECK_EQ(c->heap_start, h);
	CHECK_EQ(c->brk, h + 0x3000);
	CHECK_EQ(region_count(&c->regions), region_count(&p->regions));
	CHECK_EQ_U(region_at(&c->regions, h)->length, 0x3000);
	CHECK_EQ(region_at(&c->regions, h)->flags, REGION_WRITE | REGION_HEAP);
	/* The same contents and rights, in frames of its own. */
	static const vir_bytes pages[] = { 0x08048000, 0x08049000, 0x0804a000,
		0x0804b000, 0x0804d000, USER_STACK_TOP - 0x3000,
		USER_STACK_TOP - 0x1000 };
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		vir_bytes va = pages[i];

		CHECK(user_ptr(c, va) != NULL);
		CHECK(user_ptr(c, va) != user_ptr(p, va));
		CHECK_EQ(*pte_of(c, va) & 0xfff, *pte_of(p, va) & 0xfff);
		if (memcmp(user_ptr(c, va), user_ptr(p, va), PG) != 0)
			FAILF("page 0x%x differs in the child", va);
	}
	/* Nothing present in the parent is made present in the child. */
	CHECK(user_ptr(c, h) == NULL);
	CHECK(user_ptr(c, h + 0x2000) == NULL);
	CHECK(user_ptr(c, USER_STACK_TOP - 0x2000) == NULL);
	CHECK_EQ(user_ptr(c, h + 0x1000)[5], 0x11);
	CHECK_EQ(user_ptr(c, s)[7], 0x22);
	CHECK_EQ(user_ptr(c, 0x08049800)[0], 0x33);
	/* Each side's writes are its own. */
	user_ptr(c, h + 0x1000)[5] = 0x44;
	CHECK_EQ(user_ptr(p, h + 0x1000)[5], 0x11);
	/* 7 pages, a directory and 2 tables (the program, the stack). */
	CHECK_EQ(free_now(), before - 7 - 1 - 2);
	exit_proc(c);
	CHECK_EQ(free_now(), before);
	exit_and_check(p);
	drain_exit_queue();
}

TEST(vm_space, fork_refusals_leave_nothing_behind)
{
	struct vmproc *p = boot_one("utest");
	message m = request(p->ep, VM_FORK);
	phys_bytes got[4096];
	uint32_t n = 0, before = free_now();

	m.u.vm_fork.parent = p->ep;
	served(fork_request, &m);		/* not from PM */
	CHECK_EQ(k.sent.u.reply.status, EPERM);
	m = request(PM_ENDPOINT, VM_FORK);
	m.u.vm_fork.parent = make_endpoint(5, 77);
	served(fork_request, &m);
	CHECK_EQ(k.sent.u.reply.status, ESRCH);
	CHECK_EQ(k.forks, 0);
	k.fork_error = EINVAL;			/* the kernel says no */
	CHECK(fork_of(p) == NULL);
	CHECK_EQ(k.sent.u.reply.status, EINVAL);
	CHECK_EQ(k.forks, 1);
	CHECK_EQ(free_now(), before);
	k.fork_error = OK;
	/* Out of memory half way through the copy. */
	while (free_now() > 3 && (got[n] = frame_alloc(PMEM_USER)) != 0)
		n++;
	CHECK(fork_of(p) == NULL);
	CHECK_EQ(k.sent.u.reply.status, ENOMEM);
	CHECK_EQ(k.forks, 1);
	while (n)
		frame_free(got[--n]);
	CHECK_EQ(free_now(), before);
	exit_and_check(p);
	drain_exit_queue();
}

static void spawn_cmd(message *m, const char *cmd)
{
	*m = request(PM_ENDPOINT, VM_SPAWN);
	memcpy(m->u.vm_spawn.cmd, cmd, strlen(cmd));
}

TEST(vm_space, spawn_starts_a_boot_program_again)
{
	struct vmproc *vmp;
	message m;
	uint32_t *w;

	boot_vm();
	add_module("pm", 0);
	add_module("utest role=main", 0);
	CHECK_EQ(boot_start_programs(&ki), 2);
	spawn_cmd(&m, "utest role=restricted status=4");
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, OK);
	CHECK_EQ(k.newprocs, 3);
	CHECK_EQ_U(k.sent.u.reply.value[0], (uint32_t)k.np[2].endpoint);
	vmp = vmproc_lookup(k.np[2].endpoint);
	CHECK(vmp != NULL);
	CHECK_STR(k.np[2].name, "utest");
	/* Privileges by role, as at boot; argv from the command. */
	CHECK_EQ_U(k.np[2].ipc_to[0], (uint32_t)VM_ENDPOINT);
	w = (uint32_t *)user_ptr(vmp, k.np[2].stack);
	CHECK_EQ(w[0], 3);
	CHECK_STR((char *)user_ptr(vmp, w[1]), "utest");
	CHECK_STR((char *)user_ptr(vmp, w[2]), "role=restricted");
	CHECK_STR((char *)user_ptr(vmp, w[3]), "status=4");
	CHECK_EQ(user_ptr(vmp, 0x080490f0)[0], 0xcc);	/* the image */
	/* Refused: from anyone but PM, unknown, PM again, no end. */
	m.m_source = k.np[1].endpoint;
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EPERM);
	spawn_cmd(&m, "nosuch role=main");
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, ENOENT);
	spawn_cmd(&m, "  pm ");
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EPERM);
	spawn_cmd(&m, "   ");
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EINVAL);
	m = request(PM_ENDPOINT, VM_SPAWN);
	memset(m.u.vm_spawn.cmd, 'u', VM_SPAWN_LEN);
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EINVAL);
	CHECK_EQ(k.newprocs, 3);
	for (int i = 2; i >= 0; i--)
		exit_proc(vmproc_lookup(k.np[i].endpoint));
	CHECK_EQ(free_now(), boot_stats.free);
	drain_exit_queue();
}

int main(int argc, char **argv)
{
	int r = check_main(argc, argv);

	free(ram);
	return r;
}

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
#include "vm/sanity.h"
#include "vm/vmproc.h"
#include "vm/cache.h"
#include "vm/fork.h"
#include "vm/grant.h"
#include "vm/mmap.h"
#include "vm/physblock.h"
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "tests/host/vm_self_host.h"

#define MiB		(1024u * 1024u)
#define RAM_SIZE	(16 * MiB)
#define MAPPED_END	(4 * MiB)
#define MOD_PHYS	(14 * MiB)	/* where the fake modules lie */
#define PG		VM_PAGE_SIZE

static uint8_t *ram;
static struct kinfo ki;
static struct tlb_batch tb;	/* for direct fault_make_present calls */

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
	int invlpg_lists;		/* INVLPG_LIST calls */
	endpoint_t invlpg_list_ep;
	uint32_t invlpg_list_count;
	vir_bytes invlpg_list[VMCTL_INVLPG_MAX + 1];
	vir_bytes clear_invl_addr;	/* CLEAR_PAGEFAULT's invalidation */
	uint32_t clear_invl_pages;
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

#include "vm_panic.h"

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

/* Grants are the kernel's: the host has none. */
int sys_grantinfo(endpoint_t granter, int32_t grant, endpoint_t grantee,
	uint32_t offset, uint32_t bytes, uint32_t access, endpoint_t *owner,
	vir_bytes *addr)
{
	(void)granter, (void)grant, (void)grantee, (void)offset;
	(void)bytes, (void)access, (void)owner, (void)addr;
	return EINVAL;
}

int vmctl_clear_pagefault(endpoint_t ep)
{
	k.clears++;
	k.clear_ep = ep;
	return OK;
}

int vmctl_clear_pagefault_invl(endpoint_t ep, vir_bytes addr,
	uint32_t pages)
{
	k.clear_invl_addr = addr;
	k.clear_invl_pages = pages;
	return vmctl_clear_pagefault(ep);
}

int vmctl_invlpg_list(endpoint_t ep, const vir_bytes *list, uint32_t count)
{
	CHECK(count > 0);
	CHECK(count <= VMCTL_INVLPG_MAX + 1);
	k.invlpg_lists++;
	k.invlpg_list_ep = ep;
	k.invlpg_list_count = count;
	memcpy(k.invlpg_list, list, count * sizeof(list[0]));
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
	/* All RAM: the first MiB too; the image lies outside it here, so
	 * that MAP_PHYS refusing it is the image rule's doing. */
	ki.ram_count = 1;
	ki.ram[0] = (struct kinfo_mem){ 0, 12 * MiB };
	ki.kern_phys_start = 0x40000000u;
	ki.kern_phys_end = 0x40080000u;
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
	pt_destroy(pd);
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
	pt_destroy(pd);
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
		SYS_CALL_BIT(SYS_DIAGPRINT) | SYS_CALL_BIT(SYS_SETCPU) |
		SYS_CALL_BIT(SYS_SETGRANT) | SYS_CALL_BIT(SYS_SAFECOPYFROM) |
		SYS_CALL_BIT(SYS_SAFECOPYTO) | SYS_CALL_BIT(SYS_VSAFECOPY));
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
	CHECK_EQ(region_check(&vmp->regions), 0);
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

/* A module string reads the same from QEMU (file path first), iPXE (URI
 * first) and GRUB (no image name): argv[0] is the program's name, either
 * the word after the image or the image's file name; the image word is
 * never an argument (kernel/lib/cmdwords.h). */
TEST(vm_space, module_strings_from_each_loader)
{
	static const struct { const char *str, *name; } cases[] = {
		{ "build/user/utest.elf utest role=server x=1", "utest" },
		{ "http://10.0.2.2/cairn/utest.elf utest role=server x=1",
		  "utest" },
		{ "utest role=server x=1", "utest" },		/* GRUB */
		{ "build/user/utest.elf role=server x=1", "utest" },
		{ "role=server x=1", "mod1" },		/* nothing names it */
	};

	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct vmproc *vmp = boot_one(cases[i].str);
		const struct sys_newproc *np = &k.np[0];
		uint32_t *w;

		CHECK(vmp != NULL);
		CHECK_STR(np->name, cases[i].name);
		w = (uint32_t *)user_ptr(vmp, np->stack);
		CHECK_EQ(w[0], 3);
		CHECK_STR((char *)user_ptr(vmp, w[1]), cases[i].name);
		CHECK_STR((char *)user_ptr(vmp, w[2]), "role=server");
		CHECK_STR((char *)user_ptr(vmp, w[3]), "x=1");
		CHECK_EQ(w[4], 0);
		exit_and_check(vmp);
	}
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
	CHECK_EQ(fault_make_present(vmp, USER_STACK_TOP - 0x20000, 1, &tb),
		ENOMEM);
	while (n)
		frame_free(got[--n]);
	CHECK_EQ(fault_make_present(vmp, USER_STACK_TOP - 0x20000, 1, &tb), OK);
	exit_and_check(vmp);
}

TEST(vm_space, memory_requests)
{
	struct vmproc *vmp = boot_one("utest");
	vir_bytes s = USER_STACK_TOP - 0x5000;

	k.nreqs = 7;
	/* Three stack pages, writable. */
	k.req[0] = (struct vmctl_memreq){ vmp->ep, s + 0x800, 0x2000, 1,
		vmp->ep };
	/* Text for reading: fine; for writing: EFAULT. */
	k.req[1] = (struct vmctl_memreq){ vmp->ep, 0x08048000, 0x10, 0,
		vmp->ep };
	k.req[2] = (struct vmctl_memreq){ vmp->ep, 0x08048000, 0x10, 1,
		vmp->ep };
	/* Running off the data into the empty heap. */
	k.req[3] = (struct vmctl_memreq){ vmp->ep, 0x0804b000, 0x1001, 1,
		vmp->ep };
	/* Nobody, and a range that wraps. */
	k.req[4] = (struct vmctl_memreq){ make_endpoint(7, 9), s, 1, 0,
		make_endpoint(7, 9) };
	k.req[5] = (struct vmctl_memreq){ vmp->ep, 0xfffff000u, 0x2000, 0,
		vmp->ep };
	/* A copy through a grant: the memory is vmp's (the granter), the
	 * answer goes to whoever copies. */
	k.req[6] = (struct vmctl_memreq){ make_endpoint(7, 9),
		s + 0x4000, 0x10, 1, vmp->ep };
	fault_memreqs();
	CHECK_EQ(k.replies, 7);
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
	CHECK_EQ(k.reply_result[6], OK);
	CHECK_EQ(k.reply_ep[6], make_endpoint(7, 9));
	CHECK(user_ptr(vmp, s + 0x4000) != NULL);
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
	CHECK_EQ(fault_make_present(vmp, h, 1, &tb), OK);
	CHECK_EQ(fault_make_present(vmp, h + 0x2fff, 1, &tb), OK);
	CHECK_EQ(fault_make_present(vmp, h + 0x3000, 0, &tb), FAULT_NOREGION);
	/* Shrinking frees the pages past the end and flushes just those. */
	CHECK_EQ(brk_to(vmp, h + 0x1000), OK);
	CHECK_EQ(k.invlpg_lists, 1);
	CHECK_EQ_U(k.invlpg_list[0], h + 0x2000);
	CHECK_EQ(k.invlpg_list_count, 1);
	CHECK(user_ptr(vmp, h + 0x2000) == NULL);
	CHECK(user_ptr(vmp, h) != NULL);
	CHECK_EQ(fault_make_present(vmp, h + 0x1000, 0, &tb), FAULT_NOREGION);
	/* Below the heap; into the stack; and back to empty. */
	CHECK_EQ(brk_to(vmp, h - 1), EINVAL);
	CHECK_EQ(brk_to(vmp, USER_STACK_TOP - USER_STACK_SIZE + 1), ENOMEM);
	CHECK_EQ(vmp->brk, h + 0x1000);
	CHECK_EQ(brk_to(vmp, USER_STACK_TOP - USER_STACK_SIZE), OK);
	CHECK_EQ(brk_to(vmp, h), OK);
	CHECK_EQ(k.invlpg_lists, 2);
	CHECK_EQ_U(k.invlpg_list[0], h);
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

/* --- the sanity build's overlap check ----------------------------------- */

static void drain_exit_queue(void);

/* sanity_check_all must panic saying want (its own frame, so that no
 * local of the case lives across the longjmp). */
static void check_all_panics(const char *want)
{
	PANICS(sanity_check_all(), want);
}

static uint32_t count_pages(struct vmproc *vmp, uint32_t *tables)
{
	uint32_t n = 0;

	*tables = 0;
	for (vir_bytes va = 0; va < USER_LIMIT; va += BIGPAGE_SIZE) {
		if (!pt_has_table(vmp->pgdir, va))
			continue;
		(*tables)++;
		for (vir_bytes p = va; p < va + BIGPAGE_SIZE; p += PG)
			n += user_ptr(vmp, p) != NULL;
	}
	return n;
}

TEST(vm_space, sanity_check_finds_overlaps)
{
	struct vmproc *a, *b;
	uint32_t ta, tb, fa, fb, *pde_a, *pde_b, saved, *pte;
	struct phys_block *pb;
	phys_bytes frame;

	boot_vm();
	add_module("utest", 0);
	add_module("utest role=server", 0);
	CHECK_EQ(boot_start_programs(&ki), 2);
	a = vmproc_lookup(k.np[0].endpoint);
	b = vmproc_lookup(k.np[1].endpoint);
	fa = count_pages(a, &ta);
	fb = count_pages(b, &tb);
	/* Directories, tables, and each present page's block once. */
	CHECK_EQ(sanity_check_all(), 2 + ta + tb + fa + fb);

	/* Two directories sharing a page table. */
	pde_a = &((uint32_t *)phys_ptr(a->pgdir))[PDE_INDEX(0x08048000)];
	pde_b = &((uint32_t *)phys_ptr(b->pgdir))[PDE_INDEX(0x40000000)];
	*pde_b = *pde_a;
	check_all_panics("used twice: as page table of utest");
	*pde_b = 0;

	/* A frame of a mapped in b, outside b's regions. */
	CHECK(pt_lookup(a->pgdir, 0x08049000, &saved) == OK);
	CHECK_EQ(pt_map(b->pgdir, 0x40000000, saved & PTE_FRAME, PTE_U), OK);
	check_all_panics("maps 0x40000000 outside its regions");
	CHECK_EQ_U(pt_unmap(b->pgdir, 0x40000000), saved & PTE_FRAME);
	CHECK_EQ(sanity_check_all(), 3 + ta + tb + fa + fb);	/* b's table */

	/* A block counting a reference nobody holds, and a writable
	 * mapping of a block that is shared copy-on-write. */
	pb = *region_slot(region_lookup(&a->regions, 0x08049000), 0x08049000);
	CHECK_EQ(pb_ref(pb), OK);
	check_all_panics("shared copy-on-write (2 references)");
	*pte_of(a, 0x08049000) &= ~(uint32_t)PTE_W;
	check_all_panics("has 2 references, 1 found");
	pb_unref(pb);
	*pte_of(a, 0x08049000) |= PTE_W;

	/* A present entry naming a free frame (then taken back: the
	 * allocator hands out the lowest free frame first). */
	pte = pte_of(a, USER_STACK_TOP - PG);
	CHECK(pte != NULL && (*pte & PTE_P));
	frame = *pte & PTE_FRAME;
	frame_free(frame);
	check_all_panics("which is free in pmem");
	CHECK_EQ_U(frame_alloc_dirty(PMEM_USER), frame);

	/* A page table that is free. */
	frame = *pde_a & PTE_FRAME;
	frame_free(frame);
	check_all_panics("free in pmem but used as page table of "
		"utest");
	CHECK_EQ_U(frame_alloc_dirty(PMEM_PT), frame);
	CHECK_EQ(sanity_check_all(), 3 + ta + tb + fa + fb);
	/* Outside a check, marks are not kept. */
	sanity_mark(frame, 1, "late");
	CHECK_EQ(sanity_check_all(), 3 + ta + tb + fa + fb);
	exit_proc(a);
	exit_and_check(b);
	drain_exit_queue();
}

/* The sanity build's start-up self-test, on host memory: it must pass
 * and give back every slab page. */
TEST(vm_space, sanity_selftest_passes)
{
	unsigned before = host_self_pages;	/* the check's map stays */

	sanity_selftest(0);
	CHECK_EQ(host_self_pages, before);
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
	CHECK_EQ(fault_make_present(p, h + 0x1000, 1, &tb), OK);
	CHECK_EQ(fault_make_present(p, s, 1, &tb), OK);
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
	/* The same pages, shared copy-on-write: read-only on both sides. */
	static const vir_bytes pages[] = { 0x08048000, 0x08049000, 0x0804a000,
		0x0804b000, 0x0804d000, USER_STACK_TOP - 0x3000,
		USER_STACK_TOP - 0x1000 };
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		vir_bytes va = pages[i];

		CHECK(user_ptr(c, va) != NULL);
		CHECK(user_ptr(c, va) == user_ptr(p, va));
		CHECK_EQ(*pte_of(c, va) & 0xfff, PTE_P | PTE_U);
		CHECK_EQ(*pte_of(p, va) & 0xfff, PTE_P | PTE_U);
	}
	/* Nothing present in the parent is made present in the child. */
	CHECK(user_ptr(c, h) == NULL);
	CHECK(user_ptr(c, h + 0x2000) == NULL);
	CHECK(user_ptr(c, USER_STACK_TOP - 0x2000) == NULL);
	CHECK_EQ(user_ptr(c, h + 0x1000)[5], 0x11);
	CHECK_EQ(user_ptr(c, s)[7], 0x22);
	CHECK_EQ(user_ptr(c, 0x08049800)[0], 0x33);
	/* A directory and 2 tables (the program, the stack); no page. */
	CHECK_EQ(free_now(), before - 1 - 2);
	/* Each side's writes are its own: the child's first write copies. */
	pagefault(c, h + 0x1000, 0x7);
	CHECK(user_ptr(c, h + 0x1000) != user_ptr(p, h + 0x1000));
	user_ptr(c, h + 0x1000)[5] = 0x44;
	CHECK_EQ(user_ptr(p, h + 0x1000)[5], 0x11);
	CHECK_EQ(free_now(), before - 1 - 2 - 1);
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
	/* Out of memory half way through the copy: the child's directory
	 * and first page table fit, its second does not. */
	while ((got[n] = frame_alloc(PMEM_USER)) != 0)
		n++;
	while (free_now() > 2 && (got[n] = frame_alloc(PMEM_PT)) != 0)
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

/* A spawn asked for by the boot's driver (boot program 1 here). */
static void spawn_cmd(message *m, const char *cmd)
{
	*m = request(PM_ENDPOINT, VM_SPAWN);
	memcpy(m->u.vm_spawn.cmd, cmd, strlen(cmd));
	m->u.vm_spawn.parent = k.np[1].endpoint;
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
	/* No parent, or one VM does not know: refused. */
	spawn_cmd(&m, "utest role=main");
	m.u.vm_spawn.parent = NONE;
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EPERM);
	spawn_cmd(&m, "utest role=main");
	m.u.vm_spawn.parent = make_endpoint(3, 40);
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EPERM);
	CHECK_EQ(k.newprocs, 3);
	for (int i = 2; i >= 0; i--)
		exit_proc(vmproc_lookup(k.np[i].endpoint));
	CHECK_EQ(free_now(), boot_stats.free);
	drain_exit_queue();
}

/* Rights never grow: a spawn names its parent to the kernel (which
 * bounds calls and IPC targets by the parent's), never gets the record
 * right, and has VM rights only where its parent has them too. */
TEST(vm_space, spawn_rights_bounded_by_parent)
{
	struct vmproc *drv, *child, *grandchild;
	message m;

	boot_vm();
	add_module("pm", 0);
	add_module("utest role=main", 0);
	CHECK_EQ(boot_start_programs(&ki), 2);
	/* Boot programs: no parent; the driver has the record right. */
	CHECK_EQ(k.np[1].parent, NONE);
	CHECK((k.np[1].calls & PRIV_RECORD) != 0);
	drv = vmproc_lookup(k.np[1].endpoint);
	CHECK(drv != NULL && (drv->flags & VMP_MAYPHYS));
	/* The driver spawns a driver: its rights but the record right. */
	spawn_cmd(&m, "utest role=main");
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, OK);
	CHECK_EQ(k.newprocs, 3);
	CHECK_EQ(k.np[2].parent, k.np[1].endpoint);
	CHECK_EQ_U(k.np[2].calls & PRIV_RECORD, 0);
	CHECK((k.np[2].calls & SYS_CALL_BIT(SYS_SHUTDOWN)) != 0);
	child = vmproc_lookup(k.np[2].endpoint);
	CHECK(child != NULL && (child->flags & VMP_MAYPHYS));
	/* An ordinary process asks for role=main: VM gives no VM right
	 * (the kernel cuts the calls to the parent's). */
	spawn_cmd(&m, "utest role=x");
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, OK);
	child = vmproc_lookup(k.np[3].endpoint);
	CHECK(child != NULL && !(child->flags & VMP_MAYPHYS));
	spawn_cmd(&m, "utest role=main");
	m.u.vm_spawn.parent = k.np[3].endpoint;
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, OK);
	CHECK_EQ(k.np[4].parent, k.np[3].endpoint);
	grandchild = vmproc_lookup(k.np[4].endpoint);
	CHECK(grandchild != NULL && !(grandchild->flags & VMP_MAYPHYS));
	for (int i = 4; i >= 0; i--)
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

/* --- memory types, mmap, fork, grants, the block cache ------------------ */

/* A request as process vmp (or PM) sends it; the reply VM sent. */
static const struct mess_reply *vm_request(endpoint_t from, message *m,
	void (*serve)(const message *))
{
	m->m_source = from;
	k.sends = 0;
	serve(m);
	CHECK_EQ(k.sends, 1);
	CHECK_EQ(k.send_ep, from);
	return &k.sent.u.reply;
}

static int do_mmap(struct vmproc *vmp, vir_bytes addr, uint32_t len,
	uint32_t prot, uint32_t flags, vir_bytes *at)
{
	message m = { 0 };
	const struct mess_reply *r;

	m.m_type = VM_MMAP;
	m.u.vm_mmap = (struct vm_mmap){ .addr = addr, .len = len,
		.prot = prot, .flags = flags };
	r = vm_request(vmp->ep, &m, mmap_request);
	if (at != NULL)
		*at = r->value[0];
	return r->status;
}

static int do_munmap(struct vmproc *vmp, vir_bytes addr, uint32_t len)
{
	message m = { 0 };

	m.m_type = VM_MUNMAP;
	m.u.vm_munmap = (struct vm_munmap){ addr, len };
	return vm_request(vmp->ep, &m, munmap_request)->status;
}

static struct vmproc *do_fork(struct vmproc *parent)
{
	message m = { 0 };
	const struct mess_reply *r;

	m.m_type = VM_FORK;
	m.u.vm_fork.parent = parent->ep;
	r = vm_request(PM_ENDPOINT, &m, fork_request);
	CHECK_EQ(r->status, OK);
	return vmproc_lookup((endpoint_t)r->value[0]);
}

static uint32_t frame_of(struct vmproc *vmp, vir_bytes va)
{
	uint32_t *pte = pte_of(vmp, va);

	return pte != NULL && (*pte & PTE_P) ? *pte & PTE_FRAME : 0;
}

static uint32_t pte_bits(struct vmproc *vmp, vir_bytes va)
{
	uint32_t *pte = pte_of(vmp, va);

	return pte != NULL ? *pte & 0xfff : 0;
}

TEST(vm_mem, fork_shares_pages_copy_on_write)
{
	struct vmproc *parent = boot_one("utest"), *child;
	vir_bytes data = 0x08049800;
	uint32_t frame, before;

	pagefault(parent, data, 0x6);	/* already present: writable */
	user_ptr(parent, data)[0] = 0x11;
	child = do_fork(parent);
	CHECK(child != NULL);
	CHECK(child != parent);
	frame = frame_of(parent, data);
	CHECK_EQ_U(frame_of(child, data), frame);
	/* Both read-only now; the parent's downgrade was one call. */
	CHECK_EQ(pte_bits(parent, data), PTE_P | PTE_U);
	CHECK_EQ(pte_bits(child, data), PTE_P | PTE_U);
	CHECK_EQ(k.invlpg_lists, 1);
	CHECK_EQ(k.invlpg_list_ep, parent->ep);
	/* The text stays as it was, shared, with no downgrade. */
	CHECK_EQ_U(frame_of(child, 0x08048000), frame_of(parent, 0x08048000));
	/* The parent writes: a private copy, its old mapping invalidated
	 * in the same call that lets it go on. */
	before = free_now();
	pagefault(parent, data, 0x7);
	CHECK_EQ(k.clear_invl_pages, 1);
	CHECK_EQ_U(k.clear_invl_addr, page_trunc(data));
	CHECK(frame_of(parent, data) != frame);
	CHECK_EQ(pte_bits(parent, data), PTE_P | PTE_U | PTE_W);
	CHECK_EQ(user_ptr(parent, data)[0], 0x11);
	CHECK_EQ(free_now(), before - 1);
	user_ptr(parent, data)[0] = 0x22;
	CHECK_EQ(user_ptr(child, data)[0], 0x11);
	/* The child is now the only holder: writable without a copy. */
	before = free_now();
	k.clear_invl_pages = 0;
	pagefault(child, data, 0x7);
	CHECK_EQ(free_now(), before);
	CHECK_EQ(k.clear_invl_pages, 0);
	CHECK_EQ_U(frame_of(child, data), frame);
	CHECK_EQ(pte_bits(child, data), PTE_P | PTE_U | PTE_W);
	exit_proc(child);
	exit_and_check(parent);
}

TEST(vm_mem, block_references_cannot_overflow)
{
	struct phys_block *pb;

	boot_vm();
	pb = pb_new(frame_alloc(PMEM_USER), 0);
	CHECK(pb != NULL);
	pb->refs = PB_REFS_MAX - 1;
	CHECK_EQ(pb_ref(pb), OK);
	CHECK_EQ(pb_ref(pb), EOVERFLOW);
	CHECK_EQ(pb->refs, PB_REFS_MAX);
	pb->refs = 1;
	pb_unref(pb);
	CHECK_EQ(free_now(), boot_stats.free);
}

TEST(vm_mem, mmap_merge_and_partial_munmap)
{
	struct vmproc *vmp = boot_one("utest");
	vir_bytes a, b;
	uint32_t regions = region_count(&vmp->regions), before = free_now();

	CHECK_EQ(do_mmap(vmp, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_ANON,
		&a), OK);
	CHECK_EQ(a % PG, 0);
	/* The next one continues the same region. */
	CHECK_EQ(do_mmap(vmp, 0, PG, PROT_READ | PROT_WRITE, MAP_ANON, &b),
		OK);
	CHECK_EQ_U(b, a + 2 * PG);
	CHECK_EQ(region_count(&vmp->regions), regions + 1);
	for (int i = 0; i < 3; i++) {
		pagefault(vmp, a + i * PG, 0x6);
		user_ptr(vmp, a + i * PG)[5] = (uint8_t)(0x40 + i);
	}
	/* The middle page goes: two regions, the outer pages keep their
	 * bytes, one invalidation. */
	k.invlpg_lists = 0;
	CHECK_EQ(do_munmap(vmp, a + PG, PG), OK);
	CHECK_EQ(region_count(&vmp->regions), regions + 2);
	CHECK_EQ(k.invlpg_lists, 1);
	CHECK(user_ptr(vmp, a + PG) == NULL);
	CHECK_EQ(user_ptr(vmp, a)[5], 0x40);
	CHECK_EQ(user_ptr(vmp, a + 2 * PG)[5], 0x42);
	CHECK_EQ(fault_make_present(vmp, a + PG, 0, &tb), FAULT_NOREGION);
	/* Unmapping nothing is fine; bad ranges are not. */
	CHECK_EQ(do_munmap(vmp, a + PG, PG), OK);
	CHECK_EQ(do_munmap(vmp, a + 1, PG), EINVAL);
	CHECK_EQ(do_munmap(vmp, a, 0), EINVAL);
	CHECK_EQ(do_munmap(vmp, 0xfffff000u, 2 * PG), EINVAL);
	CHECK_EQ(do_munmap(vmp, a, 3 * PG), OK);
	CHECK_EQ(region_count(&vmp->regions), regions);
	CHECK_EQ(free_now(), before - 1);	/* the page table stays */
	/* MAP_FIXED over a present page replaces it with zero fill. */
	CHECK_EQ(do_mmap(vmp, a, PG, PROT_READ | PROT_WRITE, MAP_ANON, &b),
		OK);
	pagefault(vmp, a, 0x6);
	user_ptr(vmp, a)[0] = 9;
	CHECK_EQ(do_mmap(vmp, a, PG, PROT_READ, MAP_ANON | MAP_FIXED, &b), OK);
	CHECK_EQ_U(b, a);
	CHECK(user_ptr(vmp, a) == NULL);
	pagefault(vmp, a, 0x4);
	CHECK_EQ(user_ptr(vmp, a)[0], 0);
	CHECK_EQ(do_mmap(vmp, 0, 0, PROT_READ, MAP_ANON, &b), EINVAL);
	CHECK_EQ(do_mmap(vmp, a + 1, PG, PROT_READ, MAP_ANON | MAP_FIXED, &b),
		EINVAL);
	CHECK_EQ(do_mmap(vmp, 0, PG, PROT_READ, 0x8000, &b), EINVAL);
	exit_and_check(vmp);
}

TEST(vm_mem, contiguous_and_physical)
{
	struct vmproc *vmp = boot_one("utest");
	message m = { 0 };
	const struct mess_reply *r;
	vir_bytes a;

	m.m_type = VM_MMAP;
	m.u.vm_mmap = (struct vm_mmap){ .len = 4 * PG, .prot = PROT_WRITE,
		.flags = MAP_CONTIG | MAP_LOWER16M, .align = 0x10000 };
	r = vm_request(vmp->ep, &m, mmap_request);
	CHECK_EQ(r->status, OK);
	a = r->value[0];
	CHECK_EQ(frame_of(vmp, a) % 0x10000, 0);
	for (int i = 1; i < 4; i++)
		CHECK_EQ_U(frame_of(vmp, a + i * PG), frame_of(vmp, a) + i * PG);
	CHECK_LT(frame_of(vmp, a + 3 * PG), 0x1000000);
	/* Contiguous memory cannot grow; a bad alignment is refused. */
	m.u.vm_mmap.align = 0x3000;
	CHECK_EQ(vm_request(vmp->ep, &m, mmap_request)->status, EINVAL);
	/* Direct physical: a driver's right only, never VM's RAM. */
	m.u.vm_mmap = (struct vm_mmap){ .len = PG, .prot = PROT_WRITE,
		.flags = MAP_PHYS, .phys = 0xFEB00000u };
	CHECK_EQ(vm_request(vmp->ep, &m, mmap_request)->status, EPERM);
	vmp->flags |= VMP_MAYPHYS;
	r = vm_request(vmp->ep, &m, mmap_request);
	CHECK_EQ(r->status, OK);
	CHECK_EQ_U(frame_of(vmp, r->value[0]), 0xFEB00000u);
	m.u.vm_mmap.phys = 5 * MiB;
	CHECK_EQ(vm_request(vmp->ep, &m, mmap_request)->status, EPERM);
	/* Nor RAM VM does not manage (the first MiB), nor the kernel. */
	m.u.vm_mmap.phys = 0x9e000;
	CHECK_EQ(vm_request(vmp->ep, &m, mmap_request)->status, EPERM);
	m.u.vm_mmap.phys = 0x4007f000u;
	CHECK_EQ(vm_request(vmp->ep, &m, mmap_request)->status, EPERM);
	m.u.vm_mmap.phys = 0x40080000u;		/* just past it: a device */
	r = vm_request(vmp->ep, &m, mmap_request);
	CHECK_EQ(r->status, OK);
	CHECK_EQ_U(frame_of(vmp, r->value[0]), 0x40080000u);
	/* A fork copies contiguous memory into a run of its own. */
	struct vmproc *child = do_fork(vmp);
	CHECK(frame_of(child, a) != frame_of(vmp, a));
	CHECK_EQ_U(frame_of(child, a + PG), frame_of(child, a) + PG);
	exit_proc(child);
	exit_and_check(vmp);
}

TEST(vm_mem, grants_share_pages)
{
	struct vmproc *owner, *other;
	message m = { 0 };
	const struct mess_reply *r;
	vir_bytes a, b;
	uint32_t id;

	boot_vm();
	add_module("utest", 0);
	add_module("utest", 0);
	CHECK_EQ(boot_start_programs(&ki), 2);
	owner = vmproc_lookup(k.np[0].endpoint);
	other = vmproc_lookup(k.np[1].endpoint);
	CHECK_EQ(do_mmap(owner, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_ANON,
		&a), OK);
	m.m_type = VM_GRANT;
	m.u.vm_grant = (struct vm_grant){ a, 2 * PG, other->ep,
		PROT_READ | PROT_WRITE, 0 };
	r = vm_request(owner->ep, &m, grant_request);
	CHECK_EQ(r->status, OK);
	id = r->value[0];
	m.m_type = VM_MMAP;
	m.u.vm_mmap = (struct vm_mmap){ .len = 2 * PG,
		.prot = PROT_READ | PROT_WRITE, .flags = MAP_SHARED,
		.owner = owner->ep, .grant = id };
	r = vm_request(other->ep, &m, mmap_request);
	CHECK_EQ(r->status, OK);
	b = r->value[0];
	/* The owner's page did not exist: the grantee's touch makes it. */
	pagefault(other, b + PG, 0x6);
	CHECK(frame_of(other, b + PG) != 0);
	CHECK_EQ_U(frame_of(other, b + PG), frame_of(owner, a + PG));
	CHECK_EQ(pte_bits(other, b + PG), PTE_P | PTE_U | PTE_W);
	CHECK_EQ(pte_bits(owner, a + PG), PTE_P | PTE_U | PTE_W);
	/* Someone else may not use the grant; revoked, nobody may. */
	r = vm_request(owner->ep, &m, mmap_request);
	CHECK_EQ(r->status, EPERM);
	m.m_type = VM_REVOKE;
	m.u.vm_grant.id = id;
	CHECK_EQ(vm_request(owner->ep, &m, revoke_request)->status, OK);
	m.m_type = VM_MMAP;
	CHECK_EQ(vm_request(other->ep, &m, mmap_request)->status, EPERM);
	/* A fork of the owner keeps the shared page shared and writable. */
	struct vmproc *child = do_fork(owner);
	CHECK_EQ_U(frame_of(child, a + PG), frame_of(owner, a + PG));
	CHECK_EQ(pte_bits(owner, a + PG), PTE_P | PTE_U | PTE_W);
	exit_proc(child);
	/* The owner goes; the grantee's page lives on until it goes too. */
	exit_proc(owner);
	CHECK(frame_of(other, b + PG) != 0);
	exit_and_check(other);
}

/* A cache request naming owner's id space (0: the caller's own). */
static int cache_call_as(struct vmproc *vmp, int type, endpoint_t owner,
	vir_bytes addr, uint32_t len, uint32_t id, uint32_t get_id,
	vir_bytes *at)
{
	message m = { 0 };
	const struct mess_reply *r;

	m.m_type = type;
	m.u.vm_cache = (struct vm_cache){ addr, len, id, get_id, 0, owner };
	r = vm_request(vmp->ep, &m, type == VM_CACHE_YIELD ? cache_yield_request
						       : cache_get_request);
	if (at != NULL)
		*at = r->value[0];
	return r->status;
}

static int cache_call(struct vmproc *vmp, int type, vir_bytes addr,
	uint32_t len, uint32_t id, uint32_t get_id, vir_bytes *at)
{
	return cache_call_as(vmp, type, 0, addr, len, id, get_id, at);
}

TEST(vm_mem, block_cache_yield_get_forget)
{
	struct vmproc *vmp = boot_one("utest");
	vir_bytes a, got;
	uint32_t frame, before = free_now();

	CHECK_EQ(do_mmap(vmp, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_ANON,
		&a), OK);
	pagefault(vmp, a, 0x6);
	user_ptr(vmp, a)[7] = 0x77;
	frame = frame_of(vmp, a);
	/* Yielded: gone from the process, which reads zero there now. */
	CHECK_EQ(cache_call(vmp, VM_CACHE_YIELD, a, PG, 42, 0, NULL), OK);
	CHECK(user_ptr(vmp, a) == NULL);
	pagefault(vmp, a, 0x4);
	CHECK_EQ(user_ptr(vmp, a)[7], 0);
	/* Back, with its bytes, in a region of its own. */
	CHECK_EQ(cache_call(vmp, VM_CACHE_GET, 0, PG, 42, 0, &got), OK);
	CHECK_EQ_U(frame_of(vmp, got), frame);
	CHECK_EQ(user_ptr(vmp, got)[7], 0x77);
	CHECK_EQ(region_lookup(&vmp->regions, got)->type, MT_CACHE);
	CHECK_EQ(cache_call(vmp, VM_CACHE_GET, 0, PG, 42, 0, NULL), ENOENT);
	CHECK_EQ(cache_call(vmp, VM_CACHE_GET, 0, PG, 43, 0, NULL), ENOENT);
	/* An id in use keeps its first block. */
	CHECK_EQ(cache_call(vmp, VM_CACHE_YIELD, got, PG, 7, 0, NULL), OK);
	CHECK_EQ(cache_call(vmp, VM_CACHE_YIELD, a, PG, 7, 0, NULL), EEXIST);
	CHECK_EQ(cache_call(vmp, VM_CACHE_GET, 0, PG, 7, 0, &got), OK);
	CHECK_EQ(user_ptr(vmp, got)[7], 0x77);
	/* Yield and get in one call. */
	CHECK_EQ(cache_call(vmp, VM_CACHE_YIELD, got, PG, 7, 0, NULL), OK);
	CHECK_EQ(cache_call(vmp, VM_CACHE_YIELD, a, PG, 8, 7, &got), OK);
	CHECK_EQ(user_ptr(vmp, got)[7], 0x77);
	/* Memory short: the cache goes first, and says so. */
	CHECK_EQ(cache_blocks(), 1);
	CHECK_EQ(cache_reclaim(1), 1);
	CHECK_EQ(cache_forgotten(), 1);
	CHECK_EQ(cache_call(vmp, VM_CACHE_GET, 0, PG, 8, 0, NULL), ENOENT);
	CHECK_EQ(cache_call(vmp, VM_CACHE_YIELD, a + 1, PG, 9, 0, NULL),
		EINVAL);
	CHECK_EQ(cache_call(vmp, VM_CACHE_YIELD, 0x1000, PG, 9, 0, NULL),
		EFAULT);
	(void)before;
	exit_and_check(vmp);
}

/* Ids are the yielder's own; nobody else reaches its blocks; an exit
 * takes them all; untouched pages cost nothing. */
TEST(vm_mem, block_cache_owned)
{
	struct vmproc *a = boot_one("utest");
	struct vmproc *b = fork_of(a);
	uint32_t before = free_now(), blocks = cache_blocks();
	vir_bytes pa, pb, got;

	CHECK_EQ(do_mmap(a, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_ANON,
		&pa), OK);
	CHECK_EQ(do_mmap(b, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_ANON,
		&pb), OK);
	pagefault(a, pa, 0x6);
	user_ptr(a, pa)[3] = 0xa1;
	pagefault(b, pb, 0x6);
	user_ptr(b, pb)[3] = 0xb2;
	CHECK_EQ(cache_call(a, VM_CACHE_YIELD, pa, PG, 5, 0, NULL), OK);
	/* b: a's id is not in b's space; naming a's space is refused. */
	CHECK_EQ(cache_call(b, VM_CACHE_GET, 0, PG, 5, 0, NULL), ENOENT);
	CHECK_EQ(cache_call_as(b, VM_CACHE_GET, a->ep, 0, PG, 5, 0, NULL),
		EPERM);
	CHECK_EQ(cache_call_as(b, VM_CACHE_YIELD, a->ep, pb, PG, 6, 0, NULL),
		EPERM);
	CHECK_EQ(cache_call_as(b, VM_CACHE_YIELD, 0, pb, PG, 9, 5, NULL),
		ENOENT);	/* yields 9; a 5 of its own there is not */
	/* b's own id 5: no squatting on a's. */
	CHECK_EQ(cache_call(b, VM_CACHE_GET, 0, PG, 9, 0, &got), OK);
	CHECK_EQ(user_ptr(b, got)[3], 0xb2);
	CHECK_EQ(cache_call(b, VM_CACHE_YIELD, got, PG, 5, 0, NULL), OK);
	CHECK_EQ(cache_blocks(), blocks + 2);
	/* a gets its own 5 back, naming itself or nobody. */
	CHECK_EQ(cache_call_as(a, VM_CACHE_GET, SELF, 0, PG, 5, 0, &got), OK);
	CHECK_EQ(user_ptr(a, got)[3], 0xa1);
	/* Never-touched pages: nothing kept, nothing allocated. */
	{
		uint32_t f = free_now();

		for (uint32_t id = 100; id < 200; id++)
			CHECK_EQ(cache_call(a, VM_CACHE_YIELD, pa + PG, PG, id,
				0, NULL), OK);
		CHECK_EQ(free_now(), f);
		CHECK_EQ(cache_blocks(), blocks + 1);
		CHECK_EQ(cache_call(a, VM_CACHE_GET, 0, PG, 100, 0, NULL),
			ENOENT);
	}
	/* Ranges in the kernel's part, wrapping, or at page 0. */
	CHECK_EQ(cache_call(a, VM_CACHE_YIELD, 0xEFFFF000u, 2 * PG, 7, 0,
		NULL), EINVAL);
	CHECK_EQ(cache_call(a, VM_CACHE_YIELD, 0xFFFFF000u, 2 * PG, 7, 0,
		NULL), EINVAL);
	CHECK_EQ(cache_call(a, VM_CACHE_YIELD, pa, 0xFFFFF000u, 7, 0, NULL),
		EINVAL);
	pagefault(a, pa, 0x6);
	CHECK_EQ(cache_call(a, VM_CACHE_YIELD, pa, PG, 7, 0, NULL), OK);
	CHECK_EQ(cache_call(a, VM_CACHE_GET, 0xF0000000u, PG, 7, 0, NULL),
		EINVAL);
	CHECK_EQ(cache_call(a, VM_CACHE_GET, 0xFFFFF000u, PG, 7, 0, NULL),
		EINVAL);
	CHECK_EQ(cache_call(a, VM_CACHE_GET, 0xEFFFF000u, PG, 7, 0, NULL),
		OK);	/* the last user page: fine */
	CHECK_EQ(cache_call(a, VM_CACHE_YIELD, 0xEFFFF000u, PG, 7, 0, NULL),
		OK);
	CHECK_EQ(cache_call(a, VM_CACHE_GET, 0, PG, 7, 0, NULL), OK);
	/* b's exit drops b's block, a's exit a's. */
	pagefault(a, pa, 0x6);
	CHECK_EQ(cache_call(a, VM_CACHE_YIELD, pa, PG, 8, 0, NULL), OK);
	CHECK_EQ(cache_blocks(), blocks + 2);
	exit_proc(b);
	CHECK_EQ(cache_blocks(), blocks + 1);
	(void)before;
	exit_and_check(a);
	CHECK_EQ(cache_blocks(), blocks);
}

TEST(vm_mem, out_of_memory_leaves_nothing_behind)
{
	struct vmproc *vmp = boot_one("utest");
	uint32_t before = free_now();
	vir_bytes a;

	/* More than there is, present at once: refused whole. */
	CHECK_EQ(do_mmap(vmp, 0, 32 * MiB, PROT_READ | PROT_WRITE,
		MAP_ANON | MAP_PREALLOC, &a), ENOMEM);
	/* Only page tables stay (until exit): one per 4 MiB touched. */
	CHECK_GE(free_now(), before - 8);
	CHECK_EQ(do_mmap(vmp, 0, 64 * PG, PROT_READ | PROT_WRITE,
		MAP_ANON | MAP_PREALLOC, &a), OK);
	CHECK(frame_of(vmp, a + 63 * PG) != 0);
	/* A fault with no memory left kills the process, ENOMEM. */
	phys_bytes got[4096];
	uint32_t n = 0;
	while ((got[n] = frame_alloc(PMEM_USER)) != 0)
		n++;
	pagefault(vmp, USER_STACK_TOP - 0x3000, 0x6);
	CHECK_EQ(k.exits, 1);
	CHECK_EQ(k.exit_status, ENOMEM);
	while (n)
		frame_free(got[--n]);
	CHECK_EQ(free_now(), boot_stats.free);
}

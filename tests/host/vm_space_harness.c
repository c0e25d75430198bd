/*
 * What every VM space test runs on (tests/host/vm_space.h): the kernel as
 * VM sees it, replaced by recording stubs; a fake boot with 16 MiB of host
 * memory standing in for RAM; and the helpers that act as a process, as
 * PM or as the kernel would.
 */
#include "check.h"
#include "tests/host/vm_space.h"
#include "vm/sanity.h"
#include "cairn/serverloop.h"

uint8_t *ram;
struct kinfo ki;
struct tlb_batch tb;

/* --- the kernel, as VM sees it: recording stubs ------------------------ */

struct kernel_seen k;

#include "vm_panic.h"	/* panic(), PANICS: this file's alone */

int sys_newproc(struct sys_newproc *np)
{
	np->endpoint = make_endpoint(1, k.next_slot);
	k.next_slot++;
	if (k.newprocs < 8)
		k.np[k.newprocs] = *np;
	k.newprocs++;
	return OK;
}

int sys_clear(endpoint_t ep, int status)
{
	k.exits++;
	k.exit_ep = ep;
	k.exit_status = status;
	return OK;
}

/* The kernel stops the process and tells its manager, which later has VM
 * end it (VM_EXIT): nothing of VM's changes here. */
int sys_kill(endpoint_t ep, int status)
{
	k.kills++;
	k.kill_ep = ep;
	k.kill_status = status;
	return OK;
}

/* The live update's swap: the host has no kernel to swap in. */
int sys_update(endpoint_t old_ep, endpoint_t new_ep)
{
	(void)old_ep, (void)new_ep;
	return EAGAIN;
}

/* VM_BOOTFILE's copy out: the host has no other address spaces. */
int sys_vircopy(endpoint_t src_ep, vir_bytes src_addr, endpoint_t dst_ep,
	vir_bytes dst_addr, uint32_t len)
{
	(void)src_ep, (void)src_addr, (void)dst_ep, (void)dst_addr, (void)len;
	return EFAULT;
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
int sys_exec(endpoint_t ep, phys_bytes pgdir, vir_bytes entry,
	vir_bytes stack, const char *name)
{
	k.execs++;
	if (k.exec_error != 0)
		return k.exec_error;
	k.exec_ep = ep;
	k.exec_pgdir = pgdir;
	k.exec_entry = entry;
	k.exec_stack = stack;
	memset(k.exec_name, 0, sizeof k.exec_name);
	for (size_t i = 0; i + 1 < sizeof k.exec_name && name[i]; i++)
		k.exec_name[i] = name[i];
	return OK;
}

int sys_grantinfo(endpoint_t granter, int32_t grant, endpoint_t grantee,
	uint32_t offset, uint32_t bytes, uint32_t access, endpoint_t *owner,
	vir_bytes *addr, uint32_t *quiet)
{
	(void)granter, (void)grant, (void)grantee, (void)offset;
	(void)bytes, (void)access, (void)owner, (void)addr, (void)quiet;
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

int vmctl_clear_pagefault_flags(endpoint_t ep, vir_bytes addr,
	uint32_t pages, uint32_t flags)
{
	k.clear_flags = flags;
	return vmctl_clear_pagefault_invl(ep, addr, pages);
}

int vmctl_idle_notify(void)
{
	k.idle_asks++;
	return OK;
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

/* VM's loop (lib/serverloop.c) sends each reply with its next receive;
 * the tests call the handlers themselves and see every reply at once. */
void server_reply(endpoint_t to, const message *reply)
{
	message m = *reply;

	ipc_sendnb(to, &m);
}

/* A page fault's CLEAR_PAGEFAULT, which VM's loop makes with its next
 * receive: made at once, through the stub below. */
void server_kcall(int call, const void *payload, uint32_t len,
	server_kcall_failed failed)
{
	message m = { 0 };
	const struct sys_vmctl *v = &m.u.vmctl;
	int r;

	CHECK_EQ(call, SYS_VMCTL);
	CHECK(len <= sizeof m.u);
	m.m_type = call;
	memcpy(&m.u, payload, len);
	CHECK_EQ(v->op, VMCTL_CLEAR_PAGEFAULT);
	r = vmctl_clear_pagefault_flags(v->ep, v->v.clear.addr,
		v->v.clear.pages, v->v.clear.flags);
	if (r != OK && failed != NULL)
		failed(&m, r);
}

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

void add_module(const char *str, uint32_t size_or_0_for_elf)
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

struct pmem_stats boot_stats;

uint32_t free_now(void)
{
	struct pmem_stats st;

	frame_stats(&st);
	return st.free;
}

/* Fresh RAM, kinfo with [1, 4) MiB and [4, 12) MiB free, VM's view of
 * memory and the kernel's ranges set up; no program loaded. */
void boot_vm(void)
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
	k.next_slot = 3;	/* 0 is VM, 1 PM, 2 RS: not VM's to make */
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
struct vmproc *boot_one(const char *str)
{
	boot_vm();
	add_module(str, 0);
	CHECK_EQ(boot_start_programs(&ki), 1);
	CHECK_EQ(k.newprocs, 1);
	return vmproc_lookup(k.np[0].endpoint);
}

uint32_t *pte_of(struct vmproc *vmp, vir_bytes va)
{
	uint32_t pde = ((uint32_t *)phys_ptr(vmp->pgdir))[PDE_INDEX(va)];

	if (!(pde & PTE_P))
		return NULL;
	return &((uint32_t *)phys_ptr(pde & PTE_FRAME))[PTE_INDEX(va)];
}

uint8_t *user_ptr(struct vmproc *vmp, vir_bytes va)
{
	uint32_t pte;

	if (pt_lookup(vmp->pgdir, va, &pte) != OK)
		return NULL;
	return (uint8_t *)phys_ptr(pte & PTE_FRAME) + (va & VM_PAGE_MASK);
}

/* Ends the process through VM_EXIT. */
void exit_proc(struct vmproc *vmp)
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

void end_by(endpoint_t manager, endpoint_t ep)
{
	message m = { 0 };

	m.m_source = manager;
	m.m_type = VM_EXIT;
	m.u.exit.ep = ep;
	m.u.exit.status = EFAULT;
	exit_request(&m);
}

/* Ends the last process and checks that all is given back. */
void exit_and_check(struct vmproc *vmp)
{
	exit_proc(vmp);
	CHECK_EQ(free_now(), boot_stats.free);
}

void pagefault(struct vmproc *vmp, vir_bytes addr, uint32_t err)
{
	message m = { 0 };

	m.m_source = vmp->ep;
	m.m_type = VM_PAGEFAULT;
	m.u.pagefault.addr = addr;
	m.u.pagefault.err = err;
	m.u.pagefault.eip = 0x08048123;
	fault_pagefault(&m);
}

int brk_to(struct vmproc *vmp, vir_bytes addr)
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


/* sanity_check_all must panic saying want (its own frame, so that no
 * local of the case lives across the longjmp). */
void check_all_panics(const char *want)
{
	PANICS(sanity_check_all(), want);
}


/* --- PM's requests -------------------------------------------------------- */

/* A request as it reaches VM, and the reply VM sent (to PM, or to a
 * stranger refused). */
message request(endpoint_t from, int type)
{
	message m = { 0 };

	m.m_source = from;
	m.m_type = type;
	return m;
}

void served(void (*handler)(const message *), const message *m)
{
	k.sends = 0;
	handler(m);
	CHECK_EQ(k.sends, 1);
	CHECK_EQ(k.send_ep, m->m_source);
	CHECK_EQ(k.sent.m_type, k.sent.u.reply.status);
}

/* Takes every queued exit, so a test starts with an empty queue. */
void drain_exit_queue(void)
{
	message m = request(PM_ENDPOINT, VM_GETEXIT);

	for (int i = 0; i <= EXIT_QUEUE_LEN; i++) {
		served(exit_getexit_request, &m);
		if (k.sent.u.reply.status == ESRCH)
			return;
	}
	FAILF("the exit queue does not empty");
}

/* VM_FORK as PM sends it: the child, or NULL if VM refused. */
struct vmproc *fork_of(struct vmproc *parent)
{
	message m = request(PM_ENDPOINT, VM_FORK);

	m.u.vm_fork.parent = parent->ep;
	served(fork_request, &m);
	if (k.sent.u.reply.status != OK)
		return NULL;
	return vmproc_lookup((endpoint_t)k.sent.u.reply.value[0]);
}

/* --- a process's requests ------------------------------------------------ */

/* A request as process vmp (or PM) sends it; the reply VM sent. */
const struct mess_reply *vm_request(endpoint_t from, message *m,
	void (*serve)(const message *))
{
	m->m_source = from;
	k.sends = 0;
	serve(m);
	CHECK_EQ(k.sends, 1);
	CHECK_EQ(k.send_ep, from);
	return &k.sent.u.reply;
}

int do_mmap(struct vmproc *vmp, vir_bytes addr, uint32_t len,
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

int do_munmap(struct vmproc *vmp, vir_bytes addr, uint32_t len)
{
	message m = { 0 };

	m.m_type = VM_MUNMAP;
	m.u.vm_munmap = (struct vm_munmap){ addr, len };
	return vm_request(vmp->ep, &m, munmap_request)->status;
}

struct vmproc *do_fork(struct vmproc *parent)
{
	message m = { 0 };
	const struct mess_reply *r;

	m.m_type = VM_FORK;
	m.u.vm_fork.parent = parent->ep;
	r = vm_request(PM_ENDPOINT, &m, fork_request);
	CHECK_EQ(r->status, OK);
	return vmproc_lookup((endpoint_t)r->value[0]);
}

uint32_t frame_of(struct vmproc *vmp, vir_bytes va)
{
	uint32_t *pte = pte_of(vmp, va);

	return pte != NULL && (*pte & PTE_P) ? *pte & PTE_FRAME : 0;
}

uint32_t pte_bits(struct vmproc *vmp, vir_bytes va)
{
	uint32_t *pte = pte_of(vmp, va);

	return pte != NULL ? *pte & 0xfff : 0;
}

/*
 * Kernel-call wrappers (see cairn/syslib.h): each fills the named payload
 * of a zeroed message, makes the call, and copies results out.
 */
#include "cairn/syslib.h"

#include "cairn/ipclib.h"

int sys_info(struct sys_info *info)
{
	message m = { 0 };
	int r = kernel_call(SYS_INFO, &m);

	if (r == OK)
		*info = m.u.info;
	return r;
}

int sys_diagprint(const char *buf, uint32_t len, uint32_t flags)
{
	message m = { 0 };

	m.u.diagprint.buf = (vir_bytes)buf;
	m.u.diagprint.len = len;
	m.u.diagprint.flags = flags;
	return kernel_call(SYS_DIAGPRINT, &m);
}

int sys_vmctl(struct sys_vmctl *v)
{
	message m = { 0 };
	int r;

	m.u.vmctl = *v;
	r = kernel_call(SYS_VMCTL, &m);
	*v = m.u.vmctl;
	return r;
}

/* A subcall whose payload is only op and ep. */
static int vmctl_simple(int op, endpoint_t ep)
{
	struct sys_vmctl v = { .op = op, .ep = ep };

	return sys_vmctl(&v);
}

int vmctl_clear_pagefault(endpoint_t ep)
{
	return vmctl_simple(VMCTL_CLEAR_PAGEFAULT, ep);
}

int vmctl_clear_pagefault_invl(endpoint_t ep, vir_bytes addr, uint32_t pages)
{
	struct sys_vmctl v = { .op = VMCTL_CLEAR_PAGEFAULT, .ep = ep };

	v.v.clear.addr = addr;
	v.v.clear.pages = pages;
	return sys_vmctl(&v);
}

/* Every page fault's answer: the message made in place, nothing copied
 * back (the call returns nothing but its status). */
int vmctl_clear_pagefault_flags(endpoint_t ep, vir_bytes addr,
	uint32_t pages, uint32_t flags)
{
	message m = { 0 };

	m.u.vmctl.op = VMCTL_CLEAR_PAGEFAULT;
	m.u.vmctl.ep = ep;
	m.u.vmctl.v.clear.addr = addr;
	m.u.vmctl.v.clear.pages = pages;
	m.u.vmctl.v.clear.flags = flags;
	return kernel_call(SYS_VMCTL, &m);
}

int vmctl_idle_notify(void)
{
	return vmctl_simple(VMCTL_IDLE_NOTIFY, SELF);
}

int vmctl_enable_paging(void)
{
	return vmctl_simple(VMCTL_ENABLE_PAGING, SELF);
}

int vmctl_memreq_get(struct vmctl_memreq *req)
{
	struct sys_vmctl v = { .op = VMCTL_MEMREQ_GET, .ep = SELF };
	int r = sys_vmctl(&v);

	if (r == OK) {
		req->requestor = v.v.memreq.requestor;
		req->addr = v.v.memreq.addr;
		req->len = v.v.memreq.len;
		req->write = (int)v.v.memreq.write;
		req->space = v.v.memreq.space;
	}
	return r;
}

int vmctl_memreq_reply(endpoint_t requestor, int result)
{
	struct sys_vmctl v = { .op = VMCTL_MEMREQ_REPLY, .ep = requestor };

	v.v.memreq_reply.result = result;
	return sys_vmctl(&v);
}

int vmctl_set_addrspace(endpoint_t ep, phys_bytes pgdir)
{
	struct sys_vmctl v = { .op = VMCTL_SET_ADDRSPACE, .ep = ep };

	v.v.addrspace.pgdir = pgdir;
	return sys_vmctl(&v);
}

int vmctl_kern_physmap(uint32_t index, struct vmctl_physmap *range)
{
	struct sys_vmctl v = { .op = VMCTL_KERN_PHYSMAP, .ep = SELF };
	int r;

	v.v.physmap.index = index;
	r = sys_vmctl(&v);
	if (r == OK) {
		range->phys = v.v.physmap.phys;
		range->len = v.v.physmap.len;
		range->vaddr = v.v.physmap.vaddr;
		range->flags = v.v.physmap.flags;
	}
	return r;
}

int vmctl_kern_map_reply(uint32_t index, vir_bytes vaddr)
{
	struct sys_vmctl v = { .op = VMCTL_KERN_MAP_REPLY, .ep = SELF };

	v.v.physmap.index = index;
	v.v.physmap.vaddr = vaddr;
	return sys_vmctl(&v);
}

int vmctl_invlpg(endpoint_t ep, vir_bytes addr, uint32_t pages)
{
	struct sys_vmctl v = { .op = VMCTL_INVLPG, .ep = ep };

	v.v.invlpg.addr = addr;
	v.v.invlpg.pages = pages;
	return sys_vmctl(&v);
}

int vmctl_invlpg_list(endpoint_t ep, const vir_bytes *list, uint32_t count)
{
	struct sys_vmctl v = { .op = VMCTL_INVLPG_LIST, .ep = ep };

	v.v.invlpg_list.list = (vir_bytes)list;
	v.v.invlpg_list.count = count;
	return sys_vmctl(&v);
}

int vmctl_get_pgdir(endpoint_t ep, phys_bytes *pgdir)
{
	struct sys_vmctl v = { .op = VMCTL_GET_PGDIR, .ep = ep };
	int r = sys_vmctl(&v);

	if (r == OK)
		*pgdir = v.v.addrspace.pgdir;
	return r;
}

int vmctl_get_kinfo(void *buf, uint32_t size)
{
	struct sys_vmctl v = { .op = VMCTL_GET_KINFO, .ep = SELF };

	v.v.kinfo.buf = (vir_bytes)buf;
	v.v.kinfo.size = size;
	return sys_vmctl(&v);
}

int sys_newproc(struct sys_newproc *np)
{
	message m = { 0 };
	int r;

	m.u.newproc = *np;
	r = kernel_call(SYS_NEWPROC, &m);
	if (r == OK)
		np->endpoint = m.u.newproc.endpoint;
	return r;
}

int sys_clear(endpoint_t ep, int status)
{
	message m = { 0 };

	m.u.exit.ep = ep;
	m.u.exit.status = status;
	return kernel_call(SYS_CLEAR, &m);
}

int sys_exit(int status)
{
	message m = { 0 };

	m.u.exit.ep = SELF;
	m.u.exit.status = status;
	return kernel_call(SYS_EXIT, &m);
}

int sys_kill(endpoint_t ep, int status)
{
	message m = { 0 };

	m.u.exit.ep = ep;
	m.u.exit.status = status;
	return kernel_call(SYS_KILL, &m);
}

int sys_getksig(endpoint_t *ep, int *status, uint32_t *how)
{
	message m = { 0 };
	int r = kernel_call(SYS_GETKSIG, &m);

	if (r == OK) {
		*ep = m.u.getksig.ep;
		*status = m.u.getksig.status;
		if (how)
			*how = m.u.getksig.how;
	}
	return r;
}

int sys_sleep(uint32_t ms)
{
	message m;
	int r = sys_setalarm(ms, 0);

	while (r == OK && (r = ipc_receive(KERNEL, &m)) == OK &&
	       !(m.u.notify.pending & NOTIFY_KERNEL_ALARM))
		;
	return r;
}

int sys_update(endpoint_t old_ep, endpoint_t new_ep)
{
	message m = { 0 };

	m.u.update.old_ep = old_ep;
	m.u.update.new_ep = new_ep;
	return kernel_call(SYS_UPDATE, &m);
}

int sys_setalarm(uint32_t ms, uint32_t *left)
{
	message m = { 0 };
	int r;

	m.u.setalarm.ms = ms;
	r = kernel_call(SYS_SETALARM, &m);
	if (r == OK && left)
		*left = m.u.setalarm.left;
	return r;
}

int sys_umap(endpoint_t ep, vir_bytes vaddr, phys_bytes *phys)
{
	message m = { 0 };
	int r;

	m.u.umap.ep = ep;
	m.u.umap.vaddr = vaddr;
	r = kernel_call(SYS_UMAP, &m);
	if (r == OK)
		*phys = m.u.umap.phys;
	return r;
}

int sys_setcpu(endpoint_t ep, uint32_t cpu)
{
	message m = { 0 };

	m.u.setcpu.ep = ep;
	m.u.setcpu.cpu = cpu;
	return kernel_call(SYS_SETCPU, &m);
}

int sys_shutdown(uint32_t tests, uint32_t failed)
{
	message m = { 0 };

	m.u.shutdown.tests = tests;
	m.u.shutdown.failed = failed;
	return kernel_call(SYS_SHUTDOWN, &m);
}

int sys_vircopy(endpoint_t src_ep, vir_bytes src_addr, endpoint_t dst_ep,
	vir_bytes dst_addr, uint32_t len)
{
	message m = { 0 };

	m.u.vircopy.src_ep = src_ep;
	m.u.vircopy.src_addr = src_addr;
	m.u.vircopy.dst_ep = dst_ep;
	m.u.vircopy.dst_addr = dst_addr;
	m.u.vircopy.len = len;
	return kernel_call(SYS_VIRCOPY, &m);
}

int sys_grantinfo(endpoint_t granter, int32_t grant, endpoint_t grantee,
	uint32_t offset, uint32_t bytes, uint32_t access, endpoint_t *owner,
	vir_bytes *addr, uint32_t *quiet)
{
	message m = { 0 };
	int r;

	m.u.grantinfo.granter = granter;
	m.u.grantinfo.grant = grant;
	m.u.grantinfo.grantee = grantee;
	m.u.grantinfo.offset = offset;
	m.u.grantinfo.bytes = bytes;
	m.u.grantinfo.access = access;
	r = kernel_call(SYS_GRANTINFO, &m);
	if (r == OK) {
		*owner = m.u.grantinfo.owner;
		*addr = m.u.grantinfo.addr;
		if (quiet != 0)
			*quiet = m.u.grantinfo.quiet;
	}
	return r;
}

int sys_fork(endpoint_t parent, phys_bytes pgdir, endpoint_t *child)
{
	message m = { 0 };
	int r;

	m.u.fork.parent = parent;
	m.u.fork.pgdir = pgdir;
	r = kernel_call(SYS_FORK, &m);
	if (r == OK)
		*child = m.u.fork.child;
	return r;
}

int sys_exec(endpoint_t ep, phys_bytes pgdir, vir_bytes entry,
	vir_bytes stack, const char *name)
{
	message m = { 0 };
	uint32_t i;

	m.u.exec.ep = ep;
	m.u.exec.pgdir = pgdir;
	m.u.exec.entry = entry;
	m.u.exec.stack = stack;
	for (i = 0; i + 1 < sizeof m.u.exec.name && name[i] != '\0'; i++)
		m.u.exec.name[i] = name[i];
	return kernel_call(SYS_EXEC, &m);
}

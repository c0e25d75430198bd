/*
 * Kernel-call wrappers: one function per SYS_* call (payloads in
 * cairn/calls.h), and one per SYS_VMCTL subcall VM uses. Each returns OK
 * or a negative code from cairn/errno.h; results come back through the
 * pointer arguments only on OK.
 */
#ifndef CAIRN_SYSLIB_H
#define CAIRN_SYSLIB_H

#include "cairn/ipc.h"

int sys_info(struct sys_info *info);
/* Prints len bytes of buf (flags 0), or sends them as one result record
 * line (DIAG_RECORD: the whole line, checksum and '\n' included). */
int sys_diagprint(const char *buf, uint32_t len, uint32_t flags);

/* Any SYS_VMCTL subcall, with the kernel's answer written back to *v. */
int sys_vmctl(struct sys_vmctl *v);

/* A kernel memory request waiting for VM (VMCTL_MEMREQ_GET). */
struct vmctl_memreq {
	endpoint_t requestor;	/* who waits for the answer */
	vir_bytes addr;
	uint32_t len;
	int write;
	endpoint_t space;	/* whose memory: the requestor's, or a
				 * granter's for a copy through a grant */
};

/* A physical range the kernel needs mapped (VMCTL_KERN_PHYSMAP). */
struct vmctl_physmap {
	phys_bytes phys;
	uint32_t len;
	vir_bytes vaddr;	/* where every address space has it */
	uint32_t flags;		/* KPM_* */
};

int vmctl_clear_pagefault(endpoint_t ep);
/* Also invalidates [addr, +pages) of ep's space before it runs again
 * (pages VM unmapped or remapped while serving the fault). */
int vmctl_clear_pagefault_invl(endpoint_t ep, vir_bytes addr,
	uint32_t pages);
/* Both, and VMCTL_CLEAR_* flags (VMCTL_CLEAR_IDLE: as vmctl_idle_notify
 * too). */
int vmctl_clear_pagefault_flags(endpoint_t ep, vir_bytes addr,
	uint32_t pages, uint32_t flags);
/* One NOTIFY_KERNEL_IDLE the next time the caller's CPU has nothing
 * else to run. */
int vmctl_idle_notify(void);
int vmctl_memreq_get(struct vmctl_memreq *req);
int vmctl_memreq_reply(endpoint_t requestor, int result);
int vmctl_set_addrspace(endpoint_t ep, phys_bytes pgdir);
int vmctl_enable_paging(void);
int vmctl_kern_physmap(uint32_t index, struct vmctl_physmap *range);
int vmctl_kern_map_reply(uint32_t index, vir_bytes vaddr);
int vmctl_invlpg(endpoint_t ep, vir_bytes addr, uint32_t pages);
/* Invalidates the count pages listed (addresses in ep's space) in one
 * shootdown; more than VMCTL_INVLPG_MAX flush the whole TLB, more than
 * VMCTL_INVLPG_LIST_LIMIT are EINVAL. */
int vmctl_invlpg_list(endpoint_t ep, const vir_bytes *list, uint32_t count);
int vmctl_get_kinfo(void *buf, uint32_t size);
/* The physical address of ep's page directory (SELF: the caller's). */
int vmctl_get_pgdir(endpoint_t ep, phys_bytes *pgdir);

/* Fills np->endpoint on success. */
int sys_newproc(struct sys_newproc *np);
/* VM: ep's memory is freed; the kernel forgets it. */
int sys_clear(endpoint_t ep, int status);
/* A system process ends itself; returns only on error. Its signal
 * manager (RS) is told. */
int sys_exit(int status);
/* Stops ep for good with status (VM, or ep's signal manager only). */
int sys_kill(endpoint_t ep, int status);
/* A signal manager: the next process of its the kernel stopped (ESRCH:
 * none); how is KSIG_* (may be NULL). */
int sys_getksig(endpoint_t *ep, int *status, uint32_t *how);
/* Blocks about ms milliseconds (its alarm, then the notification; no
 * spinning, which would starve others under icount). Other kernel
 * events arriving meanwhile are taken and dropped: not for servers. */
int sys_sleep(uint32_t ms);
/* VM: old_ep and new_ep swap what they run (live update). */
int sys_update(endpoint_t old_ep, endpoint_t new_ep);
/* A NOTIFY_KERNEL_ALARM ms milliseconds from now (0: cancel); *left
 * (may be NULL): what the previous alarm still had. */
int sys_setalarm(uint32_t ms, uint32_t *left);
/* A copy of parent (blocked in the RECEIVE half of a SENDREC) on the
 * directory pgdir; *child set on OK. VM only. */
int sys_fork(endpoint_t parent, phys_bytes pgdir, endpoint_t *child);
/* VM: ep starts over in the space on pgdir (struct sys_exec). */
int sys_exec(endpoint_t ep, phys_bytes pgdir, vir_bytes entry,
	vir_bytes stack, const char *name);
int sys_umap(endpoint_t ep, vir_bytes vaddr, phys_bytes *phys);
int sys_setcpu(endpoint_t ep, uint32_t cpu);
int sys_shutdown(uint32_t tests, uint32_t failed);
/* Copies between the caller and another process; one of src_ep and
 * dst_ep is SELF (or the caller's endpoint). */
int sys_vircopy(endpoint_t src_ep, vir_bytes src_addr, endpoint_t dst_ep,
	vir_bytes dst_addr, uint32_t len);

/* VM: where grant of granter leads for grantee's use of [offset, +bytes)
 * with access (GF_*); *owner and *addr set on OK, and *quiet (may be
 * NULL) says whether grantee's space needs no invalidation until VM
 * answers it (calls.h, struct sys_grantinfo). */
int sys_grantinfo(endpoint_t granter, int32_t grant, endpoint_t grantee,
	uint32_t offset, uint32_t bytes, uint32_t access, endpoint_t *owner,
	vir_bytes *addr, uint32_t *quiet);

#endif /* CAIRN_SYSLIB_H */

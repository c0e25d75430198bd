/*
 * Kernel calls: the dispatcher checks the caller's privilege for the call
 * and runs its handler (kernel/system/do_*.c, one file per call).
 */
#ifndef CAIRN_SYSTEM_H
#define CAIRN_SYSTEM_H

#include "cairn/ipc.h"

struct proc;

/* Runs the kernel call in caller->p_sendmsg; the message goes back to the
 * caller's buffer. Returns the status, or EDONTREPLY. */
int kernel_call(struct proc *caller);

int do_info(struct proc *caller, message *m);
int do_diagprint(struct proc *caller, message *m);
int do_vmctl(struct proc *caller, message *m);
/* 1 if the SYS_VMCTL operation in m answers with data in its message
 * (inline: checked after every SYS_VMCTL, a page fault's included). */
static inline int vmctl_writes_back(const message *m)
{
	int op = m->u.vmctl.op;

	return op == VMCTL_MEMREQ_GET || op == VMCTL_KERN_PHYSMAP ||
		op == VMCTL_GET_PGDIR;
}
int do_newproc(struct proc *caller, message *m);
int do_clear(struct proc *caller, message *m);
int do_exit(struct proc *caller, message *m);
int do_getksig(struct proc *caller, message *m);
int do_kill(struct proc *caller, message *m);
int do_setalarm(struct proc *caller, message *m);
int do_update(struct proc *caller, message *m);
int do_umap(struct proc *caller, message *m);
int do_setcpu(struct proc *caller, message *m);
int do_shutdown(struct proc *caller, message *m);
int do_vircopy(struct proc *caller, message *m);
int do_fork(struct proc *caller, message *m);
int do_exec(struct proc *caller, message *m);
int do_setgrant(struct proc *caller, message *m);
int do_safecopy(struct proc *caller, message *m);	/* FROM and TO */
int do_vsafecopy(struct proc *caller, message *m);
int do_grantinfo(struct proc *caller, message *m);

/* A user range [addr, +len) named in a kernel call: OK when it is all
 * user memory; EINVAL when it wraps past 0xffffffff; EFAULT when it
 * reaches the kernel's part (KERNEL_BASE and up), even when empty. Checked
 * before any copy, so every call answers such ranges alike. */
int user_range_check(vir_bytes addr, uint32_t len);

/* Boot: VM has enabled paging, so boot processes may run. */
extern int vm_paging_enabled;

#endif /* CAIRN_SYSTEM_H */

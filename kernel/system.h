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
int do_newproc(struct proc *caller, message *m);
int do_exit(struct proc *caller, message *m);
int do_umap(struct proc *caller, message *m);
int do_setcpu(struct proc *caller, message *m);
int do_shutdown(struct proc *caller, message *m);
int do_vircopy(struct proc *caller, message *m);
int do_fork(struct proc *caller, message *m);
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

/* The ranges VM must map into every address space (VMCTL_KERN_PHYSMAP). */
int kern_physmap(uint32_t index, phys_bytes *phys, uint32_t *len,
	vir_bytes *vaddr, uint32_t *flags);

/* Is pgdir a page directory VM may hand the kernel: page-aligned, below
 * mapped_end, its kernel part the kernel's own (SYS_NEWPROC, SYS_FORK)? */
int pgdir_ok(phys_bytes pgdir);

/* Gives p a fresh user context: entry, stack, flat user segments. */
void proc_setup_user(struct proc *p, phys_bytes pgdir, vir_bytes entry,
	vir_bytes stack);

/* Tears p down: out of every queue, off every CPU, slot freed. */
void proc_teardown(struct proc *p);

/* Kills p from the kernel (a fault it cannot survive): reported on the
 * console, and VM is told as if p had exited. */
void proc_kill(struct proc *p, const char *why);
/* The same with the exit status its parent sees (proc_kill: EFAULT). */
void proc_kill_status(struct proc *p, const char *why, int status);

#endif /* CAIRN_SYSTEM_H */

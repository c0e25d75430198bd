/*
 * VM_EXEC (PM only): a process's program replaced by a boot-image
 * program, its new address space built on the side and switched to only
 * when complete (SYS_EXEC).
 */
#ifndef CAIRN_VM_EXEC_H
#define CAIRN_VM_EXEC_H

#include "cairn/ipc.h"
#include "vm/vmproc.h"

/* Gives vmp (waiting in its SENDREC to PM) the program its block names
 * ([block, +len) of its own memory, cairn/calls.h's PM_EXEC layout):
 * OK once the kernel runs it on the new space and the old one is freed;
 * otherwise nothing changed: E2BIG, EINVAL, EFAULT, EPERM, ENOENT,
 * ENOEXEC, ENOMEM, or what SYS_EXEC said. */
int exec_process(struct vmproc *vmp, vir_bytes block, uint32_t len);

/* VM_EXEC: exec_process of u.vm_exec.ep; the answer goes to PM. */
void exec_request(const message *m);

#endif /* CAIRN_VM_EXEC_H */

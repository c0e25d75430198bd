/*
 * Ending processes: on their own request (VM_EXIT) or because VM kills
 * them (a bad page fault).
 */
#ifndef CAIRN_VM_EXIT_H
#define CAIRN_VM_EXIT_H

#include "cairn/ipc.h"
#include "vm/vmproc.h"

/* Has the kernel end the process, then frees all its memory (frames,
 * page tables, directory, regions) and its table entry. */
void exit_process(struct vmproc *vmp, int32_t status);

/* VM_EXIT from a process: u.exit.status is its status. No reply. */
void exit_request(const message *m);

#endif /* CAIRN_VM_EXIT_H */

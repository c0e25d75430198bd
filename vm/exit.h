/*
 * Ending processes: on a signal manager's request (VM_EXIT from PM, or
 * from RS for its services; answered), on the process's own (VM_EXIT
 * from it, or sent by the kernel on behalf of one it stopped while its
 * manager was gone). When VM kills (a bad page fault) it asks the kernel
 * to stop the process (SYS_KILL), so the manager hears of it like any
 * other stop. A manager hears of exits it did not ask for through a
 * queue it drains (VM_GETEXIT) when VM notifies it: VM never blocks
 * sending to a manager.
 */
#ifndef CAIRN_VM_EXIT_H
#define CAIRN_VM_EXIT_H

#include "cairn/ipc.h"
#include "vm/vmproc.h"

/* Exits PM has not heard of yet, at most; past that an exit is only
 * printed (PM drains the queue at every notification, and only as many
 * processes as the kernel has slots can die before it does). */
#define EXIT_QUEUE_LEN	256

/* Has the kernel end the process, frees all its memory (frames, page
 * tables, directory, regions) and its table entry, and queues the exit
 * for its manager. */
void exit_process(struct vmproc *vmp, int32_t status);

/* VM kills vmp (status: why): the kernel stops it and its manager has it
 * ended; if the kernel no longer runs it, exit_process at once. */
void exit_kill(struct vmproc *vmp, int32_t status);

/* VM_EXIT. From PM or RS, for a process it manages (else EPERM):
 * u.exit.ep ends with u.exit.status, and the
 * manager gets a reply (OK, ESRCH for a process VM does not know, EINVAL
 * for a server, or sys_clear's error). From anyone else: the sender ends
 * with u.exit.status, no reply. */
void exit_request(const message *m);

/* VM_GETEXIT (PM or RS): the oldest queued exit for the caller,
 * value[0] the endpoint, value[1] the status; ESRCH when there is none. */
void exit_getexit_request(const message *m);

#endif /* CAIRN_VM_EXIT_H */

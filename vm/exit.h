/*
 * Ending processes: on PM's request (VM_EXIT from PM, answered), on the
 * process's own (VM_EXIT from it, or sent by the kernel on behalf of one
 * it killed) or because VM kills it (a bad page fault). PM hears of the
 * exits it did not ask for through a queue it drains (VM_GETEXIT) when
 * VM notifies it: VM never blocks sending to PM.
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
 * for PM. */
void exit_process(struct vmproc *vmp, int32_t status);

/* VM_EXIT. From PM: u.exit.ep ends with u.exit.status, and PM gets a
 * reply (OK, ESRCH for a process VM does not know, EINVAL for PM or VM
 * itself, or sys_exit's error). From anyone else: the sender ends with
 * u.exit.status, no reply. */
void exit_request(const message *m);

/* VM_GETEXIT (PM only): the oldest queued exit, value[0] the endpoint,
 * value[1] the status; ESRCH when there is none. */
void exit_getexit_request(const message *m);

#endif /* CAIRN_VM_EXIT_H */

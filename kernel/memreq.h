/*
 * The queue of memory requests for VM (memreq.c).
 */
#ifndef CAIRN_MEMREQ_H
#define CAIRN_MEMREQ_H

#include <stdint.h>
#include "cairn/types.h"

struct proc;

/* Queues a request for `len` bytes at `addr` of p's memory (p's own:
 * the caller may name another space in p->p_memreq.space after this);
 * p waits (RTS_VMREQUEST) until VM answers. VM is not told: memreq_post
 * (ipc.h) queues and tells. */
void memreq_queue(struct proc *p, vir_bytes addr, uint32_t len, int write);
/* The next request for VM, or NULL. */
struct proc *memreq_next(void);
/* p leaves the queue (it exits). */
void memreq_forget(struct proc *p);

#endif /* CAIRN_MEMREQ_H */

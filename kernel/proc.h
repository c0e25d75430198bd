/*
 * Processes: the process table, endpoints, run states and privileges.
 *
 * A process is runnable when none of its RTS_* flags is set. MF_* flags
 * are other per-process facts the kernel acts on. Each process's saved
 * user context (p_reg) comes first in struct proc: on an interrupt or
 * exception from user mode the CPU and the entry stub store it there
 * directly (the TSS's ring-0 stack points at its end), so nothing is
 * copied on a context switch.
 */
#ifndef CAIRN_PROC_H
#define CAIRN_PROC_H

#include <stdint.h>
#include "cairn/ipc.h"
#include "kernel/kernel.h"
#include "kernel/arch.h"

#define NR_PROCS	256		/* process slots */
#define NR_SCHED_QUEUES	8		/* priorities: 0 is the highest */
#define USER_Q		4		/* default priority */
#define SYSTEM_Q	(USER_Q - 1)	/* VM, RS and the services */
#define QUANTUM_TICKS	4		/* timer ticks before round robin */

/* Run-time states: runnable when none is set. */
#define RTS_SLOT_FREE	0x001	/* no process in this slot */
#define RTS_SENDING	0x002	/* blocked sending to p_sendto_e */
#define RTS_RECEIVING	0x004	/* blocked receiving from p_getfrom_e */
#define RTS_PAGEFAULT	0x008	/* waiting for VM to fix a page fault */
#define RTS_VMREQUEST	0x010	/* a kernel copy waits for VM */
#define RTS_BOOTINHIBIT	0x020	/* created, held until VM enables paging */
#define RTS_DYING	0x040	/* stopped for good; VM frees it, then
				 * SYS_CLEAR */

/* Misc flags. */
#define MF_DELIVERMSG	0x001	/* p_delivermsg waits to be copied in */
#define MF_RESTART	0x002	/* re-execute the IPC instruction on return */
#define MF_KSEND	0x004	/* p_sendmsg is from the kernel, on behalf */
#define MF_PRIV_VM	0x008	/* the VM server */
#define MF_SENDREC	0x010	/* blocked in the RECEIVE half of SENDREC */
#define MF_KSIG		0x020	/* stopped; its manager has not taken it */

struct priv {
	uint32_t calls;			/* SYS_CALL_BIT mask */
	int ipc_all;			/* may send to anyone */
	endpoint_t ipc_to[PRIV_MAX_TARGETS];
	endpoint_t sig_mgr;		/* told when it stops; NONE: VM is */
};

/* A memory request: a kernel copy into or out of this process faulted on
 * a page VM must first make present (or writable). */
struct memreq {
	vir_bytes addr;
	uint32_t len;
	uint32_t write;
	int32_t result;
	struct proc *next;		/* in the queue VM has not fetched */
	endpoint_t space;		/* whose memory (grants: a granter's) */
};

struct proc {
	struct trapframe p_reg;		/* first: see above */
	uint32_t p_rts_flags;
	uint32_t p_misc_flags;
	endpoint_t p_endpoint;
	int p_nr;			/* slot */
	uint32_t p_generation;
	char p_name[16];
	struct priv p_priv;
	phys_bytes p_cr3;		/* page directory */
	uint32_t p_entry;		/* ENTRY_*: how it last entered */

	/* Scheduling. */
	uint32_t p_cpu;			/* CPU whose run queues hold it */
	uint32_t p_priority;
	uint32_t p_ticks_left;
	struct proc *p_nextready;
	uint64_t p_user_ticks;

	/* IPC. */
	endpoint_t p_sendto_e;
	endpoint_t p_getfrom_e;
	vir_bytes p_recvbuf;		/* where a received message goes */
	struct proc *p_caller_q;	/* senders blocked on this process */
	struct proc *p_q_link;		/* next sender in that queue */
	uint32_t p_kernel_pending;	/* NOTIFY_KERNEL_* not yet received */
	uint32_t p_notify_pending[NR_PROCS / 32];	/* by source slot */
	uint32_t p_notify_summary;	/* bit w: p_notify_pending[w] != 0 */
	message p_sendmsg;		/* the message being sent */
	message p_delivermsg;		/* received, not yet copied in */

	struct memreq p_memreq;

	/* Grants (kernel/grant.c): the table in this process's memory. */
	vir_bytes p_grant_table;
	uint32_t p_grant_slots;

	/* Stopping (lifecycle.c) and the alarm (alarm.c). */
	int32_t p_ksig_status;		/* MF_KSIG: how it ends */
	uint32_t p_ksig_how;		/* KSIG_* */
	uint32_t p_alarm;		/* alarm_now() tick it rings at; 0 none */

	struct fpu_state p_fpu;		/* x87/SSE registers (fpu.h) */
};

extern struct proc proc_table[NR_PROCS];

static inline struct proc *proc_addr(int slot)
{
	return &proc_table[slot];
}

static inline int proc_is_runnable(const struct proc *p)
{
	return p->p_rts_flags == 0;
}

/* The live process an endpoint names, or NULL (bad number, stale
 * generation, free slot). */
static inline struct proc *proc_from_endpoint(endpoint_t e)
{
	uint32_t slot = (uint32_t)e & (ENDPOINT_MAX_SLOTS - 1);

	if (e < 0 || slot >= NR_PROCS)
		return 0;
	struct proc *p = &proc_table[slot];
	if ((p->p_rts_flags & RTS_SLOT_FREE) || p->p_endpoint != e)
		return 0;
	return p;
}

/* Takes a free slot with a fresh generation; NULL when the table is full. */
struct proc *proc_alloc(void);
/* Gives the slot back (p is on no run queue: RTS_DYING is set): the next
 * owner gets another endpoint. */
void proc_free(struct proc *p);

void proc_init(void);

#endif /* CAIRN_PROC_H */

/*
 * IPC: fixed 64-byte messages and the primitives that move them.
 *
 * Entering the kernel (any of the three mechanisms; lib/ipc picks the
 * fastest one the kernel reports in SYS_INFO):
 *   %eax  operation: IPC_SEND .. IPC_KERNCALL
 *   %ebx  peer endpoint (destination, or source for RECEIVE; ANY allowed)
 *   %esi  message buffer (user address)
 *   returns the status in %eax; %ebx %esi %edi %ebp are preserved.
 *
 *   int $IPC_VECTOR      nothing else clobbered
 *   sysenter             %ecx = user %esp, %edx = return address
 *                        (both clobbered)
 *   syscall (AMD)        %edx = user %esp; %ecx is clobbered by the CPU
 *                        with the return address
 */
#ifndef CAIRN_IPC_H
#define CAIRN_IPC_H

#include "cairn/errno.h"

#define IPC_VECTOR	0x80

/* Operations (%eax). */
#define IPC_SEND	1	/* block until the receiver takes it */
#define IPC_RECEIVE	2	/* block until a message or notification */
#define IPC_SENDREC	3	/* SEND, then RECEIVE from the same peer */
#define IPC_NOTIFY	4	/* never blocks: sets a pending bit at worst */
#define IPC_SENDNB	5	/* SEND, or ENOTREADY if it would block */
#define IPC_KERNCALL	6	/* kernel call: message m_type is SYS_* */
#define IPC_NULL	7	/* does nothing: the cost of entry and exit */
#define IPC_REPLYRECV	8	/* SENDNB to ep, then RECEIVE from ANY */
/* 9 and 10 stay unused (the fuzzers try them as bad operations). */
#define IPC_KERNCALL_RECV 11	/* kernel call (its answer dropped), then,
				 * if it returned OK, RECEIVE from ANY */

/* Endpoints: a process slot plus a generation that changes every time the
 * slot is reused, so a stale endpoint is refused instead of reaching the
 * slot's next owner. */
#define ENDPOINT_SLOT_BITS	10
#define ENDPOINT_MAX_SLOTS	(1 << ENDPOINT_SLOT_BITS)
#define ENDPOINT_MAX_GEN	0x1fffff
#define make_endpoint(gen, slot) \
	((endpoint_t)(((gen) << ENDPOINT_SLOT_BITS) | (slot)))
#define endpoint_slot(e)	((int)((uint32_t)(e) & (ENDPOINT_MAX_SLOTS - 1)))
#define endpoint_gen(e)		((uint32_t)(e) >> ENDPOINT_SLOT_BITS)

/* Endpoints that name no process slot. */
#define ANY		((endpoint_t)-1)	/* RECEIVE from anyone */
#define NONE		((endpoint_t)-2)
#define SELF		((endpoint_t)-3)
#define KERNEL		((endpoint_t)-4)	/* source of kernel notifications */

/* The VM server is always the first process: slot 0, first generation
 * (generations start at 1, so endpoint 0 is never valid). */
#define VM_PROC_NR	0
#define VM_ENDPOINT	make_endpoint(1, VM_PROC_NR)
/* The process manager is the first boot program after VM. */
#define PM_PROC_NR	1
#define PM_ENDPOINT	make_endpoint(1, PM_PROC_NR)
/* The reincarnation server comes next: VM starts it from the system
 * image, boot module 2 (servers/rs). Boot programs follow from slot 3. */
#define RS_PROC_NR	2
#define RS_ENDPOINT	make_endpoint(1, RS_PROC_NR)

/* m_type of a notification; u.notify says from whom and what is pending. */
#define NOTIFY_MESSAGE	0x1000

/* How a process entered the kernel, and how it is returned to. */
#define ENTRY_INT	0
#define ENTRY_SYSENTER	1
#define ENTRY_SYSCALL	2

#ifndef __ASSEMBLER__
#include <stdint.h>
#include "cairn/types.h"
#include "cairn/calls.h"

struct mess_notify {
	uint32_t pending;	/* kernel events (NOTIFY_KERNEL_*) */
	uint32_t timestamp;	/* low bits of the sender's TSC, for latency */
};

#define NOTIFY_KERNEL_MEMREQ	0x1	/* a memory request waits for VM */
#define NOTIFY_KERNEL_IDLE	0x2	/* the CPU has nothing else to run
					 * (asked for: VMCTL_IDLE_NOTIFY) */
#define NOTIFY_KERNEL_KSIG	0x4	/* a process of yours stopped */
#define NOTIFY_KERNEL_ALARM	0x8	/* your alarm (SYS_SETALARM) rang */

struct mess_pagefault {		/* kernel -> VM, on behalf of the faulter */
	vir_bytes addr;		/* CR2 */
	uint32_t err;		/* x86 page-fault error code */
	vir_bytes eip;
};

struct mess_reply {
	int32_t status;
	uint32_t value[6];
};

typedef struct message {
	endpoint_t m_source;	/* set by the kernel on delivery */
	int32_t m_type;
	union {
		uint32_t w[14];
		uint8_t b[56];
		struct mess_notify notify;
		struct mess_pagefault pagefault;
		struct mess_reply reply;
		/* Kernel calls (IPC_KERNCALL): m_type = SYS_*; the kernel
		 * writes results back into the same member. */
		struct sys_info info;
		struct sys_diagprint diagprint;
		struct sys_vmctl vmctl;
		struct sys_newproc newproc;
		struct sys_exit exit;
		struct sys_getksig getksig;
		struct sys_setalarm setalarm;
		struct sys_umap umap;
		struct sys_setcpu setcpu;
		struct sys_shutdown shutdown;
		struct sys_vircopy vircopy;
		struct sys_fork fork;
		struct sys_exec exec;
		struct sys_setgrant setgrant;
		struct sys_safecopy safecopy;
		struct sys_vsafecopy vsafecopy;
		struct sys_grantinfo grantinfo;
		struct vm_cowcopy vm_cowcopy;
		struct vm_brk vm_brk;
		struct vm_mmap vm_mmap;
		struct vm_munmap vm_munmap;
		struct vm_grant vm_grant;
		struct vm_cache vm_cache;
		struct vm_zeropool vm_zeropool;
		struct vm_fork vm_fork;
		struct vm_spawn vm_spawn;
		struct vm_exec vm_exec;
		struct pm_exec pm_exec;
		struct vm_rs_start vm_rs_start;
		struct rs_req rs;
		struct rs_update rs_update;
		struct sys_update update;
		struct vm_bootfile vm_bootfile;
		struct vm_lookupbench vm_lookupbench;
		struct pm_req pm;
		struct ds_req ds;
	} u;
} message;

_Static_assert(sizeof(message) == 64, "the IPC message is 64 bytes");
_Static_assert(sizeof(struct sys_newproc) <= 56, "fits a message");

#endif /* __ASSEMBLER__ */

#endif /* CAIRN_IPC_H */

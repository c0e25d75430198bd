/*
 * Kernel calls (IPC_KERNCALL) and the payload of each, and the messages of
 * the VM server's protocol. Every call names its fields; nothing is reached
 * through generic slots. Included by ipc.h for the message union.
 */
#ifndef CAIRN_CALLS_H
#define CAIRN_CALLS_H

#include <stdint.h>
#include "cairn/types.h"

/* Kernel call numbers (m_type). Privileges are a bit per call. */
#define SYS_INFO	0	/* what the kernel tells any process */
#define SYS_DIAGPRINT	1	/* print to the console, or send a record */
#define SYS_VMCTL	2	/* VM's interface to the kernel */
#define SYS_NEWPROC	3	/* VM: make a process */
#define SYS_EXIT	4	/* VM: tear a process down */
#define SYS_UMAP	5	/* virtual to physical */
#define SYS_SETCPU	6	/* move a process to a CPU */
#define SYS_SHUTDOWN	7	/* end the boot: done record, leave QEMU */
#define SYS_VIRCOPY	8	/* copy between the caller and another process */
#define SYS_CALLS	9

#define SYS_CALL_BIT(c)	(1u << (c))

struct sys_info {		/* reply of SYS_INFO */
	endpoint_t self;
	uint32_t cpu;		/* the CPU the caller runs on */
	uint32_t cpus;		/* CPUs online */
	uint32_t entry_best;	/* ENTRY_*: the fastest this CPU has */
	uint32_t entry_mask;	/* 1 << ENTRY_* for each one available */
	uint32_t tsc_khz;
};

#define DIAG_RECORD	0x1	/* the text is a result record line */
struct sys_diagprint {
	vir_bytes buf;
	uint32_t len;
	uint32_t flags;
};

/* SYS_VMCTL subcalls. */
#define VMCTL_CLEAR_PAGEFAULT	1	/* ep may retry its faulting access */
#define VMCTL_MEMREQ_GET	2	/* next kernel memory request */
#define VMCTL_MEMREQ_REPLY	3	/* that request is served (or failed) */
#define VMCTL_SET_ADDRSPACE	4	/* ep's page directory is pgdir */
#define VMCTL_ENABLE_PAGING	5	/* VM is ready: boot processes may run */
#define VMCTL_KERN_PHYSMAP	6	/* i-th range the kernel needs mapped */
#define VMCTL_KERN_MAP_REPLY	7	/* VM mapped range i at vaddr */
#define VMCTL_INVLPG		8	/* invalidate pages of ep's space */
#define VMCTL_GET_KINFO		9	/* copy struct kinfo to buf */

struct sys_vmctl {
	int32_t op;		/* VMCTL_* */
	endpoint_t ep;
	union {
		struct { phys_bytes pgdir; } addrspace;
		struct { int32_t result; } memreq_reply;
		struct {	/* MEMREQ_GET reply */
			endpoint_t requestor;
			vir_bytes addr;
			uint32_t len;
			uint32_t write;
		} memreq;
		struct {	/* KERN_PHYSMAP: in index, out the range */
			uint32_t index;
			phys_bytes phys;
			uint32_t len;
			vir_bytes vaddr;	/* where every space has it */
			uint32_t flags;		/* KPM_* */
		} physmap;
		struct { vir_bytes addr; uint32_t pages; } invlpg;
		struct { vir_bytes buf; uint32_t size; } kinfo;
	} v;
};

#define KPM_UNCACHED	0x1	/* device registers */
#define KPM_WRITABLE	0x2

/* SYS_NEWPROC: VM gives a prepared address space; the kernel returns the
 * new endpoint. */
#define PRIV_IPC_ALL	0xffffffffu	/* in ipc_to[0]: any target */
#define PRIV_MAX_TARGETS 4
struct sys_newproc {
	phys_bytes pgdir;
	vir_bytes entry;
	vir_bytes stack;
	uint32_t calls;		/* SYS_CALL_BIT mask of allowed calls */
	uint32_t ipc_to[PRIV_MAX_TARGETS];	/* allowed targets, or ALL */
	uint32_t cpu;		/* initial CPU, or NEWPROC_ANY_CPU */
	char name[12];
	endpoint_t endpoint;	/* out */
};
#define NEWPROC_ANY_CPU	0xffffffffu

struct sys_exit { endpoint_t ep; int32_t status; };
struct sys_umap { endpoint_t ep; vir_bytes vaddr; phys_bytes phys; };
struct sys_setcpu { endpoint_t ep; uint32_t cpu; };
struct sys_shutdown { uint32_t tests; uint32_t failed; };
/* One side is the caller (SELF or its own endpoint); the other side's
 * memory is reached through a window. */
struct sys_vircopy {
	endpoint_t src_ep;
	vir_bytes src_addr;
	endpoint_t dst_ep;
	vir_bytes dst_addr;
	uint32_t len;
};

/* Messages to and from VM (m_type). */
#define VM_PAGEFAULT	0x2001	/* kernel -> VM, u.pagefault */
#define VM_BRK		0x2002	/* u.vm_brk; reply u.reply */
#define VM_EXIT		0x2003	/* a process ends; no reply */

struct vm_brk { vir_bytes addr; };

#endif /* CAIRN_CALLS_H */

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
#define SYS_CLEAR	4	/* VM: forget a process whose memory is freed */
#define SYS_UMAP	5	/* virtual to physical */
#define SYS_SETCPU	6	/* move a process to a CPU */
#define SYS_SHUTDOWN	7	/* end the boot: done record, leave QEMU */
#define SYS_VIRCOPY	8	/* copy between the caller and another process */
#define SYS_FORK	9	/* VM: a copy of a process, on a new directory */
#define SYS_SETGRANT	10	/* where the caller's grant table is */
#define SYS_SAFECOPYFROM 11	/* copy from a granter's memory, by grant */
#define SYS_SAFECOPYTO	12	/* copy into a granter's memory, by grant */
#define SYS_VSAFECOPY	13	/* a vector of grant copies */
#define SYS_GRANTINFO	14	/* VM: where a grant leads (safemap) */
#define SYS_GETKSIG	15	/* a signal manager: next stopped process */
#define SYS_EXIT	16	/* a system process ends itself */
#define SYS_UPDATE	17	/* VM: live update, two processes swap */
#define SYS_EXEC	18	/* VM: a process's new image, switched to */
#define SYS_SETALARM	19	/* a notification after some milliseconds */
#define SYS_KILL	20	/* stop a process for its signal manager */
#define SYS_CALLS	21

#define SYS_CALL_BIT(c)	(1u << (c))
/* Not a call but a right kept in the same mask: sending result records
 * (SYS_DIAGPRINT with DIAG_RECORD). Only a boot program's privilege row
 * gives it (the driver of a test or benchmark boot); a spawn never does,
 * a fork copies it with the rest. */
#define PRIV_RECORD	(1u << 31)

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
#define VMCTL_INVLPG_LIST	10	/* invalidate a list of pages of ep */
#define VMCTL_GET_PGDIR		11	/* ep's page directory (SELF: VM's) */
#define VMCTL_IDLE_NOTIFY	12	/* one NOTIFY_KERNEL_IDLE to the caller
					 * when its CPU next has nothing to
					 * run */

/* More pages than this in one invalidation: a full flush is cheaper. */
#define VMCTL_INVLPG_MAX	32
/* INVLPG_LIST: at most this many addresses per call (a page of them);
 * more is EINVAL. */
#define VMCTL_INVLPG_LIST_LIMIT	1024

struct sys_vmctl {
	int32_t op;		/* VMCTL_* */
	endpoint_t ep;
	union {
		struct { phys_bytes pgdir; } addrspace;	/* also GET_PGDIR */
		/* CLEAR_PAGEFAULT: the pages [addr, +pages) of ep lose an old
		 * mapping in the same call (pages 0: none); with
		 * VMCTL_CLEAR_IDLE in flags the caller also asks what
		 * VMCTL_IDLE_NOTIFY asks, without a call of its own. */
		struct { vir_bytes addr; uint32_t pages; uint32_t flags; } clear;
		struct { int32_t result; } memreq_reply;
		struct {	/* MEMREQ_GET reply */
			endpoint_t requestor;
			vir_bytes addr;
			uint32_t len;
			uint32_t write;
			endpoint_t space;	/* whose memory: a copy
						 * through a grant reaches
						 * the granter's */
		} memreq;
		struct {	/* KERN_PHYSMAP: in index, out the range */
			uint32_t index;
			phys_bytes phys;
			uint32_t len;
			vir_bytes vaddr;	/* where every space has it */
			uint32_t flags;		/* KPM_* */
		} physmap;
		struct { vir_bytes addr; uint32_t pages; } invlpg;
		/* INVLPG_LIST: count page addresses (vir_bytes) at list in
		 * the caller's space; more than VMCTL_INVLPG_MAX flushes all. */
		struct { vir_bytes list; uint32_t count; } invlpg_list;
		struct { vir_bytes buf; uint32_t size; } kinfo;
	} v;
};

#define VMCTL_CLEAR_IDLE	0x1	/* clear.flags */

#define KPM_UNCACHED	0x1	/* device registers */
#define KPM_WRITABLE	0x2

/* SYS_NEWPROC: VM gives a prepared address space; the kernel returns the
 * new endpoint. Rights never grow: when parent is a process (not NONE,
 * which only boot programs have), the kernel gives the new one calls and
 * ipc_to intersected with the parent's. */
#define PRIV_IPC_ALL	0xffffffffu	/* in ipc_to[0]: any target */
#define PRIV_MAX_TARGETS 4
struct sys_newproc {
	phys_bytes pgdir;
	vir_bytes entry;
	vir_bytes stack;
	uint32_t calls;		/* SYS_CALL_BIT mask of allowed calls */
	uint32_t ipc_to[PRIV_MAX_TARGETS];	/* allowed targets, or ALL */
	uint16_t cpu;		/* initial CPU, or NEWPROC_ANY_CPU */
	uint16_t flags;		/* NEWPROC_* */
	char name[12];
	endpoint_t endpoint;	/* out */
	endpoint_t parent;	/* whose rights bound these; NONE: boot */
};
#define NEWPROC_ANY_CPU	0xffffu
/* The parent, not PM, is the new process's signal manager: it is told
 * when the process dies (SYS_GETKSIG). RS sets it for the services it
 * starts. Without it a process's manager is PM (VM has none). */
#define NEWPROC_MGR_PARENT	0x1
/* A system process (RS and its services): scheduled before user
 * processes, so that no user process can starve it. Only a boot program
 * or a system process may ask for one. */
#define NEWPROC_SYSTEM		0x2

/* SYS_CLEAR (VM: ep's memory is freed, forget it), SYS_EXIT (the caller
 * ends itself with status: no reply; its signal manager is told) and
 * SYS_KILL (stop ep with status for its manager; the caller must be VM
 * or ep's manager). */
struct sys_exit { endpoint_t ep; int32_t status; };

/* SYS_GETKSIG: a signal manager takes the next process of its that the
 * kernel stopped (a fault, SYS_EXIT, SYS_KILL): it stays stopped
 * (its slot and memory kept) until the manager has VM end it
 * (VM_EXIT). ESRCH: none left. Each stop is reported once; the
 * manager learns of new ones by a kernel notification
 * (NOTIFY_KERNEL_KSIG). */
struct sys_getksig {
	endpoint_t ep;		/* out */
	int32_t status;		/* out: the status it ends with */
	uint32_t how;		/* out: KSIG_* */
};
#define KSIG_FAULT	1	/* the kernel or VM killed it (a fault) */
#define KSIG_EXIT	2	/* it ended itself (SYS_EXIT) */
#define KSIG_KILL	3	/* its manager stopped it (SYS_KILL) */

/* SYS_UPDATE (VM only, for RS): old_ep and new_ep swap what they run:
 * registers, address space, entry style, FPU state, name, grant table,
 * alarm and the receive they are blocked in. Endpoint, privileges,
 * signal manager, senders queued and notifications pending stay with
 * each slot, so old_ep's clients reach the new program without knowing.
 * Both must be blocked receiving with nothing in flight (EAGAIN when
 * either is not, yet); neither may be a server (EINVAL). */
struct sys_update { endpoint_t old_ep; endpoint_t new_ep; };

/* SYS_SETALARM: a kernel notification (NOTIFY_KERNEL_ALARM) to the
 * caller ms milliseconds from now, rounded up to the clock's tick; 0
 * cancels. One alarm a process: a new one replaces the old. Reply
 * left: the milliseconds the old one still had (0: none). */
struct sys_setalarm { uint32_t ms; uint32_t left; };
/* SYS_FORK: parent must be blocked receiving (the RECEIVE half of a
 * SENDREC to PM); the child gets its registers, entry style and that
 * same receive, privileges and name, on directory pgdir. */
struct sys_fork {
	endpoint_t parent;
	phys_bytes pgdir;
	endpoint_t child;	/* out */
};
/* SYS_EXEC: VM has built ep's new address space on directory pgdir;
 * ep (blocked in the RECEIVE half of a SENDREC, to PM, as for SYS_FORK)
 * starts over at entry on stack with the initial FPU state, no grant
 * table and no receive pending: its SENDREC never returns. Endpoint,
 * privileges and queued senders stay. VM frees the old directory after. */
struct sys_exec {
	endpoint_t ep;
	phys_bytes pgdir;
	vir_bytes entry;
	vir_bytes stack;
	char name[12];
};
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

/* SYS_SETGRANT: the caller's grant table (cairn/grant.h) is slots
 * entries at addr in its own memory; 0 slots: it has none. More than
 * GRANT_SLOTS_MAX is E2BIG; a range that wraps EINVAL, one reaching the
 * kernel EFAULT. A new process (fork included) starts with none. */
struct sys_setgrant { vir_bytes addr; uint32_t slots; };

/* SYS_SAFECOPYFROM/TO: bytes between [addr, +bytes) of the caller and
 * [offset, +bytes) of the memory granter's grant names. EINVAL: no such
 * live grant (bad slot, old generation, revoked, a chain of more than
 * GRANT_MAX_HOPS); EPERM: not granted to the caller, or not for that
 * direction; EFAULT: past the grant's end, memory that reaches the
 * kernel or is not there; EDEADSRCDST: the granter is gone. The
 * caller's own range is checked as in every call (wrapping EINVAL,
 * reaching the kernel EFAULT). A page absent on either side is brought
 * in by VM (a memory request) and the copy runs again. */
struct sys_safecopy {
	endpoint_t granter;
	int32_t grant;		/* cp_grant_id_t */
	uint32_t offset;
	vir_bytes addr;
	uint32_t bytes;
};

/* SYS_VSAFECOPY: count struct vscp_vec at vec in the caller's memory,
 * done in order; the first failure stops it, and done says how many
 * were complete before it. */
struct sys_vsafecopy { vir_bytes vec; uint32_t count; uint32_t done; };

/* SYS_GRANTINFO: VM asks, for grantee, whether grant of granter allows
 * [offset, +bytes) with access (GF_* bits), checked as a copy would be
 * (same errors); on OK, owner and addr name the memory it reaches after
 * every indirect hop. quiet is 1 when the grantee waits for a message
 * from VM (so cannot run before VM answers it) and no CPU has its
 * address space loaded: until VM answers, no TLB anywhere can hold an
 * entry of that space, and VM may change its page tables without
 * invalidating anything. */
struct sys_grantinfo {
	endpoint_t granter;
	int32_t grant;
	endpoint_t grantee;
	uint32_t offset;
	uint32_t bytes;
	uint32_t access;
	endpoint_t owner;	/* out */
	vir_bytes addr;		/* out */
	uint32_t quiet;		/* out */
};

/* Messages to and from VM (m_type). */
#define VM_PAGEFAULT	0x2001	/* kernel -> VM, u.pagefault */
#define VM_BRK		0x2002	/* u.vm_brk; reply u.reply */
#define VM_EXIT		0x2003	/* u.exit; from PM: reply; else none */
#define VM_MMAP		0x2004	/* u.vm_mmap; reply value[0] address */
#define VM_MUNMAP	0x2005	/* u.vm_munmap */
#define VM_GRANT	0x2006	/* u.vm_grant; reply value[0] grant id */
#define VM_REVOKE	0x2007	/* u.vm_grant.id */
#define VM_CACHE_YIELD	0x2008	/* u.vm_cache; reply value[0] address */
#define VM_CACHE_GET	0x2009	/* u.vm_cache; reply value[0] address */
#define VM_STATS	0x200a	/* reply value[VMS_*] */
#define VM_FORK		0x200b	/* PM only: u.vm_fork; value[0] child */
#define VM_SPAWN	0x200c	/* PM only: u.vm_spawn; value[0] endpoint */
#define VM_GETEXIT	0x200d	/* PM only: value[0] ep, [1] status */
#define VM_LOOKUPBENCH	0x200e	/* u.vm_lookupbench; see there */
#define VM_SAFEREVMAP	0x200f	/* u.vm_grant.id; reply value[0] count */
#define VM_COWCOPY	0x2010	/* u.vm_cowcopy */
#define VM_EXEC		0x2011	/* PM only: u.vm_exec; no answer to ep */
#define VM_ZEROPOOL	0x2012	/* u.vm_zeropool; see there */
#define VM_RS_START	0x2013	/* RS only: u.vm_rs_start; value[0] ep */
#define VM_BOOTFILE	0x2014	/* u.vm_bootfile; value[0] the file's size */
#define VM_RS_UPDATE	0x2015	/* RS only: u.update; swaps two services */
#define VM_RIGHTS	0x2016	/* u.exit.ep; value[0] its RSV_* rights */

/* Every request to VM but VM_EXIT gets a reply: u.reply, status OK or a
 * negative errno.h code (also in m_type). */

struct vm_brk { vir_bytes addr; };

/* VM_MMAP flags: the memory type, then options. */
#define MAP_ANON	0x0000	/* private, zero-filled, copy-on-write */
#define MAP_CONTIG	0x0001	/* physically contiguous, present at once */
#define MAP_PHYS	0x0002	/* the physical range at phys (drivers) */
#define MAP_SHARED	0x0003	/* owner's memory through grant */
#define MAP_TYPE_MASK	0x000f
#define MAP_FIXED	0x0010	/* exactly at addr, replacing what is there */
#define MAP_LOWER16M	0x0020	/* CONTIG: all of it below 16 MiB */
#define MAP_PREALLOC	0x0040	/* ANON: every page present at once */
#define MAP_UNCACHED	0x0080	/* PHYS: device registers */
#define MAP_GRANT	0x0100	/* SHARED: owner's kernel grant (safemap) */

#define PROT_READ	0x1
#define PROT_WRITE	0x2

struct vm_mmap {
	vir_bytes addr;		/* MAP_FIXED: exactly; else a hint, 0 none */
	uint32_t len;		/* rounded up to pages */
	uint32_t prot;		/* PROT_*; READ is implied */
	uint32_t flags;		/* MAP_* */
	phys_bytes phys;	/* MAP_PHYS: start of the range */
	uint32_t align;		/* MAP_CONTIG: bytes, a power of two */
	endpoint_t owner;	/* MAP_SHARED: who granted */
	uint32_t grant;		/* MAP_SHARED: the owner's grant id */
	uint32_t offset;	/* MAP_GRANT: where in the grant to start */
};

/* Safemap: mmap MAP_SHARED | MAP_GRANT maps [offset, +len) of the kernel
 * grant (cairn/grant.h) owner made: the grant needs GF_MAP and GF_READ
 * (GF_WRITE for PROT_WRITE) at every hop, and must lead to page-aligned
 * memory (EINVAL otherwise). The pages are shared: each side sees the
 * other's writes. VM_SAFEREVMAP: the granter takes back every mapping
 * made through its grant id: they go away from the grantees' spaces (a
 * later touch is a fault the grantee dies of, like any unmapped page),
 * which VM answers with how many it removed. The granter revokes the id
 * in its table itself (cpf_revoke) so that no new mapping is made. A
 * mapping made through a forward of the grant is the forwarder's to take
 * back, with its own id. */

/* VM_COWCOPY: a copy-on-write safecopy. dir VSCP_FROM (cairn/grant.h):
 * [offset, +len) of granter's grant (GF_READ) replaces [addr, +len) of
 * the caller's anonymous, writable memory; VSCP_TO: the caller's
 * [addr, +len) replaces [offset, +len) of the grant (GF_WRITE), which
 * must lead to the granter's anonymous, writable memory. Both sides
 * page-aligned, len a page multiple. Private anonymous pages of the
 * source are shared copy-on-write (the first write on either side
 * copies); pages shared with others through safemap, on either side,
 * are copied byte for byte, since a write there must stay visible to
 * them; other memory of the source is copied. */
struct vm_cowcopy {
	endpoint_t granter;
	int32_t grant;
	uint32_t offset;
	vir_bytes addr;
	uint32_t len;
	uint32_t dir;		/* VSCP_FROM or VSCP_TO */
};

struct vm_munmap { vir_bytes addr; uint32_t len; };

/* VM_GRANT: lets grantee map [addr, +len) of the caller's memory (one
 * region); VM_REVOKE: no new mappings through id (mapped pages stay).
 * A process holds at most VM_GRANTS_PER_PROC live grants (ENOMEM past
 * that): VM's grant table is shared by all. */
#define VM_GRANTS_PER_PROC	32
struct vm_grant {
	vir_bytes addr;
	uint32_t len;
	endpoint_t grantee;	/* ANY: anyone */
	uint32_t prot;		/* PROT_WRITE: the grantee may write */
	uint32_t id;		/* VM_REVOKE */
};

/* VM_CACHE_YIELD: the pages [addr, +len) (anonymous, private) go into
 * the block cache under id and the range reads as new zero memory;
 * with get_id != 0 the block get_id comes back in the same call, as by
 * VM_CACHE_GET. VM_CACHE_GET: the block id, mapped in a new region at
 * addr (0: anywhere), len its exact size; ENOENT when VM never had it
 * or forgot it (a block none of whose pages was ever touched is not
 * kept). Ids are per process: a block belongs to the process that
 * yielded it and goes when that process exits; owner names whose ids
 * are meant, 0 (or SELF) the caller's own, and any other process's is
 * EPERM. */
struct vm_cache {
	vir_bytes addr;
	uint32_t len;
	uint32_t id;
	uint32_t get_id;	/* YIELD: also get this block back; 0 none */
	vir_bytes get_addr;	/* where to map it (0: anywhere) */
	endpoint_t owner;	/* whose id space: 0 or SELF the caller's */
};

/* VM_STATS reply values. */
#define VMS_FREE	0	/* free pages */
#define VMS_TOTAL	1	/* pages VM manages */
#define VMS_REGIONS	2	/* the caller's regions */
#define VMS_FAULTS	3	/* page faults served, all processes */
#define VMS_CACHED	4	/* blocks in the block cache */
#define VMS_FORGOTTEN	5	/* blocks VM forgot under memory pressure */

struct vm_fork { endpoint_t parent; };

/* VM_SPAWN: "NAME args..." of a boot-image program; a new process of it.
 * PM names the process that asked (parent): the new one gets at most its
 * rights, whatever role= the command names. PM_SPAWN uses cmd only. */
#define VM_SPAWN_LEN	48
struct vm_spawn { char cmd[VM_SPAWN_LEN]; endpoint_t parent; };

/* PM_EXEC / VM_EXEC: a process replaces its program by a boot-image
 * program. Name, arguments and environment are a packed block in the
 * caller's own memory, [block, +len): struct exec_block_head, then
 * 1 + argc + envc strings, each with its NUL: the program's name (as a
 * spawn command's first word), argv[0..argc-1], envp[0..envc-1]. VM
 * reads it from the caller's space itself. More than EXEC_BLOCK_MAX
 * bytes, or strings and pointers that do not fit the new stack's top
 * page, is E2BIG; a block that does not hold exactly what its head says
 * EINVAL; a range that wraps EINVAL, one outside the caller's memory
 * (0, the kernel's part) EFAULT. No such program ENOENT, not an ELF
 * program it may load ENOEXEC, "pm" EPERM, no memory ENOMEM: in every
 * failure the caller goes on with its old image. On success it gets no
 * answer: it starts over at the new entry, same pid and parent. */
#define EXEC_BLOCK_MAX	4096
struct exec_block_head { uint32_t argc; uint32_t envc; };
struct pm_exec { vir_bytes block; uint32_t len; };
struct vm_exec { endpoint_t ep; vir_bytes block; uint32_t len; };

/* VM_RS_START: RS starts a service, a program of the boot image, with
 * the rights its policy gives (servers/rs/README.md), bounded by RS's
 * own (the kernel's SYS_NEWPROC) and managed by RS (NEWPROC_MGR_PARENT
 * in flags, else PM). cmd is "PROGRAM args..." as for VM_SPAWN. */
#define VM_RS_CMD_LEN	24
struct vm_rs_start {
	char cmd[VM_RS_CMD_LEN];
	uint32_t calls;
	uint32_t ipc_to[PRIV_MAX_TARGETS];
	uint32_t vm_flags;	/* RSV_*, bounded by RS's own */
	uint32_t flags;		/* NEWPROC_* */
};
#define RSV_PHYS	0x1	/* may map physical ranges (a driver) */
#define RSV_ADMIN	0x2	/* VM_RIGHTS: may ask RS for updates */

/* VM_BOOTFILE: copies the system image's file name (NUL-terminated in
 * the field) into [buf, +len) of the caller, at most len bytes; the
 * reply's value[0] is the file's whole size (more than len: cut).
 * ENOENT: no such file. Ranges are checked as in any copy. */
#define VM_BOOTFILE_NAME_LEN	40
struct vm_bootfile {
	char name[VM_BOOTFILE_NAME_LEN];
	vir_bytes buf;
	uint32_t len;
};

/* VM_LOOKUPBENCH: count region lookups of pseudo-random addresses (from
 * seed) between the caller's lowest and highest region, timed inside VM.
 * Reply value[0..1]: TSC (low, high) of the loop with the lookups,
 * value[2..3]: of the same loop without them, value[4]: hits. */
/* Only for benchmark programs (VM's VMP_BENCH right, vm/priv.c): anyone
 * else gets EPERM; count 0 is EINVAL, count above VM_LOOKUPBENCH_MAX
 * E2BIG (a request must not hold VM for long). */
#define VM_LOOKUPBENCH_MAX	16384
struct vm_lookupbench { uint32_t count; uint32_t seed; };

/* VM_ZEROPOOL: VM's pool of pre-zeroed frames (vm/README.md), which it
 * refills when its CPU has nothing else to run. ZP_STATS (anyone):
 * value[ZPS_*]. ZP_DRAIN and ZP_FILL are for benchmark programs only
 * (VMP_BENCH; anyone else EPERM): DRAIN gives every frame of the pool
 * back to free memory (value[0]: how many), FILL zeroes up to count
 * frames into it as an idle moment would (value[0]: how many; count 0
 * EINVAL, above ZP_FILL_MAX E2BIG). Another op is EINVAL. The pool's
 * frames count as free memory everywhere (VMS_FREE). */
#define ZP_STATS	0
#define ZP_DRAIN	1
#define ZP_FILL		2
#define ZP_FILL_MAX	64
struct vm_zeropool { uint32_t op; uint32_t count; };
#define ZPS_POOLED	0	/* frames in the pool now */
#define ZPS_TARGET	1	/* how many it is refilled to */
#define ZPS_TAKEN	2	/* zeroed allocations served from it */
#define ZPS_EMPTY	3	/* ... that found it empty and zeroed */
#define ZPS_ZEROED	4	/* frames zeroed into it */
#define ZPS_GIVEN	5	/* frames it gave back under memory pressure */

/* The process manager (servers/pm), at endpoint PM_ENDPOINT. pid is the
 * endpoint. Replies are u.reply: status, value[0] result. */
#define PM_FORK		0x3001	/* value[0]: child pid, or 0 in the child */
#define PM_EXIT		0x3002	/* u.pm.a status; no reply */
#define PM_WAIT		0x3003	/* u.pm.a pid (-1 any), b WNOHANG; value[0]
				 * pid, value[1] status */
#define PM_GETPID	0x3004	/* value[0] pid, value[1] parent (0: none) */
#define PM_KILL		0x3005	/* u.pm.a pid, b status it dies with */
#define PM_SPAWN	0x3006	/* u.vm_spawn.cmd; value[0] pid */
#define PM_EXEC		0x3007	/* u.pm_exec; answered only on failure */

#define WNOHANG		0x1

struct pm_req { int32_t a; int32_t b; };

/* The data store (servers/ds): names mapped to 32-bit values, labels
 * (endpoints), memory ranges (copied in and out through grants) and
 * mapped ranges (safemap). Requests use u.ds and are answered with
 * m_type = the status (OK or a negative code) and u.ds filled in. */
#define DS_PUBLISH	0x4001	/* key, type, flags, value, len */
#define DS_RETRIEVE	0x4002	/* key, type; MEM: value = a GF_WRITE grant
				 * of len bytes; reply value, len, owner */
#define DS_DELETE	0x4003	/* key */
#define DS_SUBSCRIBE	0x4004	/* key = a pattern ('*' any run, '?' one) */
#define DS_CHECK	0x4005	/* reply: key and type = DS_EV_* of the
				 * oldest event not yet taken; ENOENT none */

#define DS_NAME_LEN	16	/* a key's bytes, its NUL included */
#define DS_TYPE_U32	1	/* value */
#define DS_TYPE_LABEL	2	/* value: an endpoint */
#define DS_TYPE_MEM	3	/* value: a GF_READ grant to DS, len bytes */
#define DS_TYPE_MAP	4	/* value: a GF_MAP grant to DS, len bytes;
				 * retrieve: value is DS's grant to map */
#define DSF_OVERWRITE	0x1	/* PUBLISH may replace the caller's entry */

#define DS_EV_UPDATE	1	/* published (new or replaced) */
#define DS_EV_DELETE	2	/* deleted */

/* Only the publisher replaces or deletes an entry (EPERM); a new key over
 * an existing one without DSF_OVERWRITE is EEXIST; a key without its NUL
 * in DS_NAME_LEN bytes is E2BIG, an unknown type EINVAL, a missing key
 * ENOENT, a retrieve with another type than the entry's EINVAL, a MEM
 * retrieve with too little room E2BIG (len says how much is needed). */
struct ds_req {
	char key[DS_NAME_LEN];
	uint32_t type;
	uint32_t flags;		/* DSF_*; CHECK reply: events lost */
	uint32_t value;
	uint32_t len;
	endpoint_t owner;	/* RETRIEVE reply: who published it */
};

/* The reincarnation server (servers/rs). Services are named by label
 * (at most RS_LABEL_LEN - 1 bytes). Requests use u.rs; replies are
 * u.reply (status also in m_type). */
#define RS_LOOKUP	0x5001	/* label; value[0] its endpoint now; ENOENT:
				 * no such service, EAGAIN: it is being
				 * restarted, EDEADSRCDST: given up */
#define RS_READY	0x5002	/* a service: initialised, serving now */
#define RS_STATUS	0x5003	/* label; value[0] endpoint, [1] restarts,
				 * [2] RSS_* state */
#define RS_UPDATE	0x5005	/* u.rs_update: label to program; needs
				 * RSV_ADMIN (EPERM); answered when done */
#define RS_PREPARE	0x5006	/* RS -> service: save your state, then
				 * RS_QUIESCENT */
#define RS_QUIESCENT	0x5007	/* service -> RS (SENDREC): ready to be
				 * replaced; the answer means "go on" */
#define RS_BOOTED	0x5004	/* OK once every service of the policy is
				 * ready (or given up), else EAGAIN */
#define RS_LABEL_LEN	16

#define RSS_RUNNING	1
#define RSS_STARTING	2	/* started, not ready yet */
#define RSS_WAITING	3	/* dead, restart after its back-off */
#define RSS_FAILED	4	/* restart limit reached: given up */
#define RSS_STOPPED	5	/* exited with status 0, restart=crash */

struct rs_req { char label[RS_LABEL_LEN]; };
#define RS_PROGRAM_LEN	16
struct rs_update {
	char label[RS_LABEL_LEN];
	char program[RS_PROGRAM_LEN];
};

/* The demo service (servers/demo): a counter and a small table that
 * survive its restarts (kept in DS). Replies: u.reply. */
#define DEMO_PUT	0x5101	/* w[0] slot, w[1] value */
#define DEMO_GET	0x5102	/* w[0] slot; value[0] the value */
#define DEMO_SERVED	0x5103	/* value[0] requests served in all */
#define DEMO_CRASH	0x5104	/* w[0] DEMO_CRASH_*: no reply */
#define DEMO_VERSION	0x5105	/* value[0] the program's version */
#define DEMO_SLOTS	8

#define DEMO_CRASH_FAULT	1	/* a null pointer write */
#define DEMO_CRASH_PANIC	2	/* panic() */
#define DEMO_CRASH_HANG		3	/* stops answering heartbeats */
#define DEMO_CRASH_UD		4	/* an invalid opcode */

#endif /* CAIRN_CALLS_H */

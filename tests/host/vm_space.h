/*
 * The harness of VM's address-space tests on the host (test_vm_space and
 * its topic files vm_space_*.c, vm_mem_*.c): VM's sources run on 16 MiB of
 * host memory standing in for RAM (VM's direct map), the kernel calls
 * replaced by stubs that record what VM asked for in k
 * (tests/host/vm_space_harness.c). Each case starts with boot_vm() or
 * boot_one(), so cases do not depend on one another.
 */
#ifndef CAIRN_TEST_VM_SPACE_H
#define CAIRN_TEST_VM_SPACE_H

#include <stdint.h>
#include <string.h>
#include "vm/boot.h"
#include "vm/brk.h"
#include "vm/exit.h"
#include "vm/fault.h"
#include "vm/frame.h"
#include "vm/layout.h"
#include "vm/pt.h"
#include "vm/sanity.h"
#include "vm/vmproc.h"
#include "vm/cache.h"
#include "vm/fork.h"
#include "vm/grant.h"
#include "vm/mmap.h"
#include "vm/physblock.h"
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "tests/host/vm_self_host.h"

#define MiB		(1024u * 1024u)
#define RAM_SIZE	(16 * MiB)
#define MAPPED_END	(4 * MiB)
#define MOD_PHYS	(14 * MiB)	/* where the fake modules lie */
#define PG		VM_PAGE_SIZE

/* What VM asked of the kernel, as the stubs saw it. */
struct kernel_seen {
	int newprocs;
	struct sys_newproc np[8];
	int next_slot;
	int exits;
	endpoint_t exit_ep;
	int exit_status;
	int kills;		/* sys_kill: stopped for its manager */
	endpoint_t kill_ep;
	int kill_status;
	int clears;
	endpoint_t clear_ep;
	int invlpgs;
	vir_bytes invlpg_addr;
	uint32_t invlpg_pages;
	int invlpg_lists;		/* INVLPG_LIST calls */
	endpoint_t invlpg_list_ep;
	uint32_t invlpg_list_count;
	vir_bytes invlpg_list[VMCTL_INVLPG_MAX + 1];
	vir_bytes clear_invl_addr;	/* CLEAR_PAGEFAULT's invalidation */
	uint32_t clear_invl_pages;
	uint32_t clear_flags;		/* CLEAR_PAGEFAULT's VMCTL_CLEAR_* */
	int idle_asks;			/* VMCTL_IDLE_NOTIFY calls */
	int sends;
	endpoint_t send_ep;
	message sent;
	int notifies;
	endpoint_t notify_ep;
	int forks;
	int fork_error;		/* sys_fork fails with this, if not 0 */
	endpoint_t fork_parent;
	phys_bytes fork_pgdir;
	int execs;
	int exec_error;		/* sys_exec fails with this, if not 0 */
	endpoint_t exec_ep;
	phys_bytes exec_pgdir;
	vir_bytes exec_entry, exec_stack;
	char exec_name[12];
	int nreqs, reqs_given;
	struct vmctl_memreq req[8];
	int replies;
	endpoint_t reply_ep[8];
	int reply_result[8];
	uint32_t physmap_count;
	uint32_t map_replies;
};

extern struct kernel_seen k;
extern uint8_t *ram;		/* the fake RAM, at phys_base */
extern struct kinfo ki;		/* the fake boot's kinfo */
extern struct tlb_batch tb;	/* for direct fault_make_present calls */
extern struct pmem_stats boot_stats;	/* right after frame_init */

/* The fake boot. */
void add_module(const char *str, uint32_t size_or_0_for_elf);
uint32_t free_now(void);
/* Fresh RAM, kinfo with [1, 4) MiB and [4, 12) MiB free, VM's view of
 * memory and the kernel's ranges set up; no program loaded. */
void boot_vm(void);
/* Boots with one program (module string str) and returns it. */
struct vmproc *boot_one(const char *str);

/* A process's memory as VM mapped it. */
uint32_t *pte_of(struct vmproc *vmp, vir_bytes va);
uint8_t *user_ptr(struct vmproc *vmp, vir_bytes va);
uint32_t frame_of(struct vmproc *vmp, vir_bytes va);
uint32_t pte_bits(struct vmproc *vmp, vir_bytes va);

/* Ends the process through VM_EXIT; the same, then checks that all is
 * given back. */
void exit_proc(struct vmproc *vmp);
/* A manager's VM_EXIT for ep (as PM or RS sends it), status EFAULT. */
void end_by(endpoint_t manager, endpoint_t ep);
void exit_and_check(struct vmproc *vmp);

/* Requests as the kernel, a process or PM send them. */
void pagefault(struct vmproc *vmp, vir_bytes addr, uint32_t err);
int brk_to(struct vmproc *vmp, vir_bytes addr);
message request(endpoint_t from, int type);
void served(void (*handler)(const message *), const message *m);
void drain_exit_queue(void);
struct vmproc *fork_of(struct vmproc *parent);	/* NULL: refused */
const struct mess_reply *vm_request(endpoint_t from, message *m,
	void (*serve)(const message *));
int do_mmap(struct vmproc *vmp, vir_bytes addr, uint32_t len,
	uint32_t prot, uint32_t flags, vir_bytes *at);
int do_munmap(struct vmproc *vmp, vir_bytes addr, uint32_t len);
struct vmproc *do_fork(struct vmproc *parent);

/* sanity_check_all must panic saying want. */
void check_all_panics(const char *want);

#endif /* CAIRN_TEST_VM_SPACE_H */

/*
 * vmtest's parts (tests/user/vmtest*.c): the suite's shared helpers, the
 * messages between the suite and the peer, and each part's tests.
 */
#ifndef CAIRN_VMTEST_H
#define CAIRN_VMTEST_H

#include <stdint.h>
#include "cairn/ipc.h"
#include "cairn/vmlib.h"
#include <unistd.h>


#define PAGE		4096u
#define MIB		(1024u * 1024u)

/* Messages between the suite and the peer. */
#define VT_READY	0x300	/* peer -> main: warmed up, serving */
#define VT_MAP		0x301	/* w[0] owner, w[1] grant, w[2] len, w[3] prot,
				   w[4] slot; reply w[0] status, w[1] first
				   word, w[2] address */
#define VT_READ		0x302	/* w[4] slot, w[5] byte offset; reply w[1] */
#define VT_WRITE	0x303	/* w[4] slot, w[5] offset, w[6] value */
#define VT_UNMAP	0x304	/* w[4] slot; reply w[0] status */

/* The peer maps shared memory at fixed places in one 4 MiB span, which
 * it touched before main took its first count of free pages: a page
 * table VM keeps for that span is not counted as a leak. */
#define PEER_AREA	0x30000000u
#define PEER_SLOT	0x10000u	/* bytes per slot */
#define PEER_SLOTS	4

/* A child's own exit statuses: small positive numbers, far from the
 * negative codes VM kills with. */
#define CHILD_OK	0
#define CHILD_NO_LAZY	77	/* a lazy anonymous mapping was refused */

extern struct sys_info vt_info;		/* this process's SYS_INFO */
extern endpoint_t vt_main_ep, vt_peer_ep;

/* vmtest_util.c */
volatile uint32_t *vt_word(void *base, uint32_t page, uint32_t index);
void vt_expect(const char *name, int got, int want);
void vt_expect_error(const char *name, int got);
/* How many VM_STATS requests failed: comparing counts means nothing then. */
extern uint32_t vt_stats_failed;
/* VM_STATS, or all zero (and the code) when VM refuses it. */
int vt_stats(uint32_t v[VM_STATS_COUNT]);
uint32_t vt_stat1(int which);
/* Makes 32 KiB of stack below the caller present and this process's own:
 * tests that run memory out must not need a page for their stack. */
void vt_stack_reserve(void);
/* Runs fn(arg) in a forked child, which exits with what fn returns; OK and
 * the status waitpid reports, or why forking or waiting failed. */
int vt_in_child(int (*fn)(void *), void *arg, int *status);
/* Child bodies that read or write the word at p: they return (100, 101,
 * 102) only if the access did not fault. */
int vt_child_read(void *p);
int vt_child_write(void *p);
/* The test name passes if fn(p) in a child ends with status want. */
void vt_expect_killed(const char *name, int (*fn)(void *), void *p,
	int want, const char *what);
int vt_all_zero(void *p, uint32_t len);
/* A pattern that differs per word and per tag, and its check. */
void vt_fill(void *p, uint32_t len, uint32_t tag);
int vt_filled(void *p, uint32_t len, uint32_t tag);
/* Touches one byte of every page; returns the page faults VM counted. */
uint32_t vt_faults_touching(void *p, uint32_t len, int write);
/* The peer, at PEER_AREA + slot * PEER_SLOT: maps grant of this process
 * there (status; *first: its first word), reads, writes, unmaps. */
int vt_peer_map(uint32_t grant, uint32_t len, uint32_t prot, uint32_t slot,
	uint32_t *first);
uint32_t vt_peer_read(uint32_t slot, uint32_t off);
void vt_peer_write(uint32_t slot, uint32_t off, uint32_t value);
int vt_peer_unmap(uint32_t slot);

/* vmtest_pool.c: main only (VMP_BENCH) */
void vt_test_pool_main(void);

/* vmtest_mem.c */
void vt_test_stats(void);
void vt_test_anon(void);
void vt_test_contig(void);
void vt_test_phys(void);
void vt_test_fixed(void);
void vt_test_munmap_split(void);
void vt_test_bad_arguments(void);

/* vmtest_share.c */
void vt_test_shared(void);
void vt_test_cache(void);

/* vmtest_fork.c */
void vt_test_process_calls(void);
void vt_test_cow(void);
void vt_test_oom(void);
/* A child body: touches fresh anonymous memory until VM has no page for
 * it (and kills it with ENOMEM); CHILD_NO_LAZY if a lazy mapping was
 * refused first. */
int vt_eat_until_killed(void *arg);

/* vmtest_exec.c: exec in the suite; role=execd (what exec starts);
 * role=main suite=lowmem, the driver alone in a small guest. */
#define VT_EXECD_OK	55	/* role=execd found what it was given */
#define VT_EXECD_BAD	60	/* +n: check n failed */
#define VT_LOW_NOMEM	80	/* exec said ENOMEM; the caller intact */
void vt_test_exec(void);
int vt_execd_main(int argc, char **argv, char **envp);
int vt_lowmem_main(void);

/* vmtest_bigmem.c: role=main suite=bigmem, the driver alone in a big
 * guest; ends the boot. */
int vt_bigmem_main(void);

#endif /* CAIRN_VMTEST_H */

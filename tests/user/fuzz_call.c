/*
 * One random call of the fuzzer (tests/user/fuzz.h) and its checks: raw
 * IPC, kernel calls, requests to VM and PM, made by a random entry style
 * with random EFLAGS, FPU and SSE contents, targets and pointers.
 *
 * A worker that is not wild must survive every call, so it never asks
 * for its own end and never blocks on someone who will not answer: its
 * blocking operations go only to VM and PM (which answer every request
 * but an exit) or to endpoints that cannot exist, and its requests that
 * change its address space stay inside its arena. A wild child (fork)
 * has no such limits; whatever it does must end it alone.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cairn/calls.h"
#include "cairn/errno.h"
#include "tests/user/fuzz.h"

#define EFLAGS_TF	0x00000100u
#define EFLAGS_IF	0x00000200u
#define EFLAGS_IOPL	0x00003000u
#define EFLAGS_VM	0x00020000u
/* Every bit a program can try to set with popfl (the CPU ignores IOPL
 * and IF from ring 3 at IOPL 0); TF only in wild children. */
#define EFLAGS_TRY	0x00277cd5u	/* CF PF AF ZF SF DF OF IOPL NT RF AC ID */
#define EFLAGS_BASE	0x00000202u

#define PAGE		4096u
#define KERNEL_ADDR	0xF0000000u

enum ptr_kind { P_GOOD, P_UNALIGNED, P_NULL, P_KERNEL, P_WRAP,
	P_ARENA, P_TEXT, P_RANDOM, P_KINDS };
/* Kinds a non-wild worker uses: the kernel must refuse the bad ones,
 * and the arena may or may not be mapped. */
#define P_SAFE_KINDS	(P_ARENA + 1)

static uint8_t msg_space[2 * sizeof(message)] __attribute__((aligned(64)));
static char text[] = "fuzz: a line of console output\n";

static message *pointer(struct fuzz_worker *w, enum ptr_kind *kind)
{
	enum ptr_kind k = (enum ptr_kind)fuzz_below(&w->rng,
		w->wild ? P_KINDS : P_SAFE_KINDS);

	/* Mostly good ones, so that calls get past the first check. */
	if (fuzz_below(&w->rng, 4) != 0)
		k = fuzz_below(&w->rng, 8) ? P_GOOD : P_UNALIGNED;
	*kind = k;
	switch (k) {
	case P_GOOD:
		return (message *)msg_space;
	case P_UNALIGNED:
		return (message *)(msg_space + 1 + fuzz_below(&w->rng, 63));
	case P_NULL:
		return (message *)(uintptr_t)fuzz_below(&w->rng, PAGE);
	case P_KERNEL:
		return (message *)(uintptr_t)(KERNEL_ADDR +
			fuzz_below(&w->rng, 0x0fffffc0u));
	case P_WRAP:
		return (message *)(uintptr_t)(0xFFFFFFC1u +
			fuzz_below(&w->rng, 0x3f));
	case P_ARENA:
		return (message *)(uintptr_t)(FUZZ_ARENA +
			fuzz_below(&w->rng, FUZZ_ARENA_LEN - 64));
	case P_TEXT:
		return (message *)(uintptr_t)&fuzz_one;
	default:
		return (message *)(uintptr_t)fuzz_next(&w->rng);
	}
}

static int bad_pointer(enum ptr_kind k)
{
	return k == P_NULL || k == P_KERNEL || k == P_WRAP;
}

/* An endpoint that cannot be live: a generation no slot has reached, or
 * a negative value that is not ANY, NONE, SELF or KERNEL. */
static endpoint_t dead_endpoint(struct fuzz_worker *w)
{
	if (fuzz_below(&w->rng, 2))
		return make_endpoint(0x100000 + fuzz_below(&w->rng, 0xfffff),
			fuzz_below(&w->rng, ENDPOINT_MAX_SLOTS));
	return (endpoint_t)(-5 - (int)fuzz_below(&w->rng, 0x7ffffff0));
}

/* Anyone at all: live processes included. */
static endpoint_t any_endpoint(struct fuzz_worker *w)
{
	switch (fuzz_below(&w->rng, 10)) {
	case 0: return VM_ENDPOINT;
	case 1: return PM_ENDPOINT;
	case 2: return w->self;
	case 3: return w->parent;
	case 4: return (endpoint_t)(-1 - (int)fuzz_below(&w->rng, 4));
	case 5: return make_endpoint(1 + fuzz_below(&w->rng, 4),
		fuzz_below(&w->rng, 16));
	case 6: return (endpoint_t)fuzz_next(&w->rng);
	default: return dead_endpoint(w);
	}
}

/* A word for a message field: small, page-like, an address, anything. */
static uint32_t word(struct fuzz_worker *w)
{
	switch (fuzz_below(&w->rng, 8)) {
	case 0: return 0;
	case 1: return fuzz_below(&w->rng, 16);
	case 2: return fuzz_below(&w->rng, 64) * PAGE;
	case 3: return FUZZ_ARENA + fuzz_below(&w->rng, FUZZ_ARENA_LEN);
	case 4: return KERNEL_ADDR - PAGE * fuzz_below(&w->rng, 4);
	case 5: return 0xFFFFFFFFu - fuzz_below(&w->rng, 2 * PAGE);
	case 6: return (uint32_t)any_endpoint(w);
	default: return fuzz_next(&w->rng);
	}
}

static void random_message(struct fuzz_worker *w, message *m)
{
	uint32_t *p = (uint32_t *)m;

	for (uint32_t i = 0; i < sizeof *m / 4; i++)
		p[i] = word(w);
}

static int entry_style(struct fuzz_worker *w)
{
	int s;

	do
		s = (int)fuzz_below(&w->rng, 3);
	while (!(w->entry_mask & (1u << s)));
	return s;
}

static int known_code(int r)
{
	switch (r) {
	case OK: case EPERM: case ENOENT: case ESRCH: case E2BIG:
	case ECHILD: case ENOMEM: case EFAULT: case EBUSY: case EEXIST:
	case EINVAL: case ENOSYS: case EOVERFLOW: case EBADEPT:
	case EDEADSRCDST: case ECALLDENIED: case ELOCKED: case ENOTREADY:
	case EBADCALL: case EBADSRCDST:
		return 1;
	}
	return 0;
}

/* What a call is, for the checks and for the replay line. */
struct call {
	const char *kind;
	int style, op;
	endpoint_t ep;
	message *m;
	enum ptr_kind ptr;
	uint32_t type;		/* m_type where the call has one */
	uint32_t eflags, back;
	int must_fail;		/* any OK is wrong */
};

static int fail(struct fuzz_worker *w, const struct call *c, int r,
	const char *what)
{
	snprintf(w->why, sizeof w->why, "%s: %s (style %d op %d ep %d "
		"type 0x%x ptr kind %d eflags 0x%x back 0x%x returned %d)",
		c->kind, what, c->style, c->op, c->ep, c->type, c->ptr,
		c->eflags, c->back, r);
	return -1;
}

static int enter(struct fuzz_worker *w, struct call *c)
{
	int r;

	c->style = entry_style(w);
	c->eflags = EFLAGS_BASE | (fuzz_next(&w->rng) & EFLAGS_TRY);
	if (w->wild && fuzz_below(&w->rng, 8) == 0)
		c->eflags |= EFLAGS_TF;
	if (w->call >= w->trace_from)
		printf("fuzz: seed %u call %u: %s style %d op %d ep %d type "
			"0x%x ptr %p eflags 0x%x\n", w->seed, w->call, c->kind,
			c->style, c->op, c->ep, c->m && c->ptr <= P_UNALIGNED ?
			c->m->m_type : 0, (void *)c->m, c->eflags);
	fuzz_fpu_load(w);
	r = fuzz_trap(c->style, c->op, c->ep, c->m, c->eflags, &c->back);
	if (fuzz_fpu_check(w) != 0) {
		char fpu[sizeof w->why];

		memcpy(fpu, w->why, sizeof fpu);
		fail(w, c, r, fpu);
		return r == OK ? -1 : r - 1000000;	/* any failure */
	}
	return r;
}

/* The checks every call gets; returns 0 or fail()'s -1. */
static int check(struct fuzz_worker *w, const struct call *c, int r)
{
	if (w->why[0])
		return -1;
	if (!known_code(r))
		return fail(w, c, r, "not a known result code");
	if (!(c->back & EFLAGS_IF) || (c->back & (EFLAGS_IOPL | EFLAGS_VM)))
		return fail(w, c, r, "back in user mode with interrupts "
			"off, IOPL above 0 or VM set");
	if (c->must_fail && r == OK)
		return fail(w, c, r, "succeeded where it must fail");
	return 0;
}

/* --- raw IPC ----------------------------------------------------------------- */

static int raw_ipc(struct fuzz_worker *w)
{
	static const int ops[] = { IPC_SEND, IPC_RECEIVE, IPC_SENDREC,
		IPC_NOTIFY, IPC_SENDNB, IPC_NULL, IPC_REPLYRECV, 0, 9, 10, -1,
		0x106, 255 };
	struct call c = { .kind = "ipc" };
	int blocking, r;

	c.op = ops[fuzz_below(&w->rng, sizeof ops / sizeof ops[0])];
	c.m = pointer(w, &c.ptr);
	if (c.ptr == P_GOOD)
		random_message(w, c.m);
	/* REPLYRECV blocks once its reply has gone: like SENDREC, it goes
	 * only where an answer comes back. */
	blocking = c.op == IPC_SEND || c.op == IPC_RECEIVE ||
		c.op == IPC_SENDREC || c.op == IPC_REPLYRECV;
	if (w->wild || !blocking) {
		c.ep = any_endpoint(w);
		/* A server that happens to be receiving takes a non-blocking
		 * send as a request: none that would end this worker. */
		if (!w->wild && (c.ep == VM_ENDPOINT || c.ep == PM_ENDPOINT)) {
			if (c.ptr == P_GOOD)
				c.m->m_type = VM_STATS;
			else if (!bad_pointer(c.ptr))
				c.ep = dead_endpoint(w);
		}
	} else if (c.op == IPC_RECEIVE) {
		/* Nobody live: a receive from VM or PM would wait forever. */
		c.ep = fuzz_below(&w->rng, 4) ? dead_endpoint(w) :
			(fuzz_below(&w->rng, 2) ? NONE : SELF);
	} else {
		/* VM and PM answer (or drop) any request; a request that
		 * would end this process is not sent. */
		c.ep = fuzz_below(&w->rng, 3) == 0 ? dead_endpoint(w) :
			(fuzz_below(&w->rng, 2) ? VM_ENDPOINT : PM_ENDPOINT);
		if (c.ptr == P_GOOD) {
			c.m->m_type = (c.ep == VM_ENDPOINT ? 0x2000 : 0x3000) +
				fuzz_below(&w->rng, 0x20);
			if (c.m->m_type == VM_EXIT || c.m->m_type == PM_EXIT ||
			    c.m->m_type == VM_PAGEFAULT ||
			    c.m->m_type == PM_FORK || c.m->m_type == PM_WAIT ||
			    c.m->m_type == PM_KILL || c.m->m_type == VM_BRK ||
			    c.m->m_type == VM_MMAP || c.m->m_type == VM_MUNMAP ||
			    c.m->m_type == VM_CACHE_YIELD ||
			    c.m->m_type == VM_CACHE_GET ||
			    c.m->m_type == PM_SPAWN ||
			    c.m->m_type == PM_EXEC)
				c.m->m_type = VM_STATS;	/* vm_request() has them */
			if (c.op == IPC_SEND)	/* its reply would be lost */
				c.op = IPC_SENDREC;
			c.type = c.m->m_type;
		} else if (c.ptr == P_UNALIGNED) {
			c.ep = dead_endpoint(w);
		}
	}
	c.must_fail = (c.op < IPC_SEND || c.op > IPC_REPLYRECV) ||
		(bad_pointer(c.ptr) && c.op != IPC_NOTIFY && c.op != IPC_NULL);
	r = enter(w, &c);
	return check(w, &c, r);
}

/* --- kernel calls -------------------------------------------------------------- */

static int kernel_call(struct fuzz_worker *w)
{
	struct call c = { .kind = "kernel call", .op = IPC_KERNCALL };
	message *m;
	int r;

	c.m = pointer(w, &c.ptr);
	c.ep = fuzz_below(&w->rng, 16) ? KERNEL : any_endpoint(w);
	m = c.m;
	if (c.ptr == P_GOOD || c.ptr == P_UNALIGNED) {
		random_message(w, m);
		m->m_type = fuzz_below(&w->rng, SYS_CALLS + 4);
		if (fuzz_below(&w->rng, 16) == 0)
			m->m_type = fuzz_next(&w->rng);
		c.type = m->m_type;
		switch (m->m_type) {
		case SYS_DIAGPRINT:	/* short, printable, or a bad pointer */
			m->u.diagprint.len = fuzz_below(&w->rng, sizeof text);
			if (fuzz_below(&w->rng, 2))
				m->u.diagprint.buf = (vir_bytes)text;
			break;
		case SYS_SETCPU:	/* moving itself is allowed */
			if (!w->wild && fuzz_below(&w->rng, 2))
				m->u.setcpu.ep = SELF;
			break;
		case SYS_INFO:
			break;
		case SYS_SETGRANT:	/* every process's own grants: */
		case SYS_SAFECOPYFROM:	/* a table of 0 slots, an empty */
		case SYS_SAFECOPYTO:	/* copy or vector may succeed */
		case SYS_VSAFECOPY:
			break;
		case SYS_SETALARM:	/* its own alarm: any value */
			break;
		default:		/* for VM, PM and drivers only */
			c.must_fail = 1;
			break;
		}
		if (c.ep != KERNEL)
			c.must_fail = 0;	/* plain IPC to someone */
	} else {
		c.must_fail = bad_pointer(c.ptr) && c.ep == KERNEL;
	}
	if (!w->wild && c.ep != KERNEL && c.ptr <= P_UNALIGNED)
		c.ep = dead_endpoint(w);	/* a KERNCALL to a live process */
	r = enter(w, &c);
	return check(w, &c, r);
}

/* --- requests to VM and PM ------------------------------------------------------ */

static vir_bytes arena_addr(struct fuzz_worker *w)
{
	return FUZZ_ARENA + fuzz_below(&w->rng, FUZZ_ARENA_LEN / PAGE) * PAGE +
		(fuzz_below(&w->rng, 8) == 0 ? fuzz_below(&w->rng, PAGE) : 0);
}

static uint32_t length(struct fuzz_worker *w)
{
	switch (fuzz_below(&w->rng, 6)) {
	case 0: return 0;
	case 1: return fuzz_next(&w->rng);
	case 2: return 0xFFFFF000u;
	default: return (1 + fuzz_below(&w->rng, 16)) * PAGE -
		fuzz_below(&w->rng, 2);
	}
}

/* A range inside the arena of at most max bytes (a power of two). */
static void arena_range(struct fuzz_worker *w, vir_bytes *addr,
	uint32_t *len, uint32_t max)
{
	*addr = arena_addr(w);
	*len = length(w) & (max - 1);
	if (*addr + *len > FUZZ_ARENA + FUZZ_ARENA_LEN)
		*len = FUZZ_ARENA + FUZZ_ARENA_LEN - *addr;
}

static uint32_t last_grant;

static int vm_request(struct fuzz_worker *w)
{
	struct call c = { .kind = "VM request", .op = IPC_SENDREC,
		.ep = VM_ENDPOINT };
	message *m = (message *)msg_space;
	int r;

	c.m = m;
	random_message(w, m);
	m->m_type = VM_BRK + fuzz_below(&w->rng, VM_LOOKUPBENCH - VM_BRK + 3);
	c.type = m->m_type;
	if (w->wild) {
		if (m->m_type == VM_EXIT)
			m->u.exit.status = 0;	/* as for PM_EXIT */
		goto send;
	}
	switch (m->m_type) {
	case VM_EXIT: case VM_BRK:	/* would end or shrink this process */
		m->m_type = VM_STATS;
		break;
	case VM_MMAP:
		/* Always in the arena, which the worker empties now and
		 * then: memory is shared with everyone else. */
		m->u.vm_mmap.flags |= MAP_FIXED;
		arena_range(w, &m->u.vm_mmap.addr, &m->u.vm_mmap.len,
			FUZZ_ARENA_LEN);
		/* Present at once: keep it small. */
		if ((m->u.vm_mmap.flags & MAP_TYPE_MASK) == MAP_CONTIG ||
		    (m->u.vm_mmap.flags & MAP_PREALLOC))
			m->u.vm_mmap.len &= 0xffff;
		break;
	case VM_MUNMAP:
		arena_range(w, &m->u.vm_munmap.addr, &m->u.vm_munmap.len,
			FUZZ_ARENA_LEN);
		break;
	case VM_CACHE_YIELD:
		arena_range(w, &m->u.vm_cache.addr, &m->u.vm_cache.len,
			0x10000);
		m->u.vm_cache.id = fuzz_below(&w->rng, 8);
		m->u.vm_cache.get_id = fuzz_below(&w->rng, 8);
		m->u.vm_cache.get_addr = fuzz_below(&w->rng, 2) ?
			0 : arena_addr(w);
		break;
	case VM_CACHE_GET:
		m->u.vm_cache.addr = arena_addr(w);
		m->u.vm_cache.id = fuzz_below(&w->rng, 8);
		break;
	case VM_GRANT:
		/* A grantee (a wild sibling, say) may write what it was
		 * granted: only the arena, never this worker's own data. */
		arena_range(w, &m->u.vm_grant.addr, &m->u.vm_grant.len,
			0x10000);
		break;
	case VM_REVOKE:
		if (fuzz_below(&w->rng, 2))
			m->u.vm_grant.id = last_grant;
		break;
	case VM_FORK: case VM_SPAWN: case VM_GETEXIT:
		c.must_fail = 1;		/* PM only */
		break;
	}
	c.type = m->m_type;
send:
	r = enter(w, &c);
	if (r == OK && m->m_type == VM_GRANT)
		last_grant = m->u.reply.value[0];
	if (r == OK && c.must_fail && m->u.reply.status == OK)
		return fail(w, &c, m->u.reply.status, "VM served a request "
			"for PM only");
	c.must_fail = 0;	/* the IPC itself succeeds */
	return check(w, &c, r);
}

/* Words of a wild spawn command. No "fuzz" first: a spawned worker
 * would outlive the wild child that started it. */
static const char *const spawn_first[] = { "vm", "pm", "hostile", "",
	"utest", "x" };
static const char *const spawn_words[] = { "fuzz", "role=main",
	"role=worker", "role=restricted", "calls=20", "procs=1", "seed=7" };

/* PM_EXEC only with blocks that can start nothing, so that no worker is
 * ever replaced: a bad range, or a block in this worker's memory whose
 * name (at its fixed place after the head) is no program it may load,
 * whatever its counts, its other bytes and its length say. */
static const char *const exec_names[] = { "pm", "vm", "", "nosuch" };
static const vir_bytes exec_bad_at[] = { 0, 0xF0000000u, 0xfffff800u,
	0x1000, 0xffffffffu };
static uint8_t exec_space[EXEC_BLOCK_MAX + 64];

static void exec_args(struct fuzz_worker *w, message *m)
{
	struct exec_block_head h = { fuzz_below(&w->rng, 8),
		fuzz_below(&w->rng, 8) };
	const char *name = exec_names[fuzz_below(&w->rng,
		sizeof exec_names / sizeof exec_names[0])];
	uint32_t at = sizeof h + (uint32_t)strlen(name) + 1;

	if (fuzz_below(&w->rng, 8) == 0)
		h.argc = fuzz_next(&w->rng);	/* a lie */
	memcpy(exec_space, &h, sizeof h);
	memcpy(exec_space + sizeof h, name, strlen(name) + 1);
	for (uint32_t i = at; i < at + 64; i++)	/* words, some ended */
		exec_space[i] = fuzz_below(&w->rng, 4) ? 'a' + i % 26 : 0;
	if (fuzz_below(&w->rng, 3) == 0) {
		m->u.pm_exec.block = exec_bad_at[fuzz_below(&w->rng,
			sizeof exec_bad_at / sizeof exec_bad_at[0])];
		m->u.pm_exec.len = fuzz_below(&w->rng, 2 * EXEC_BLOCK_MAX);
	} else {
		m->u.pm_exec.block = (vir_bytes)exec_space;
		m->u.pm_exec.len = fuzz_below(&w->rng, 4) ? at +
			fuzz_below(&w->rng, 64) : fuzz_next(&w->rng);
	}
}

static int is_kid(const struct fuzz_worker *w, int32_t pid)
{
	for (int i = 0; i < FUZZ_MAX_CHILDREN; i++)
		if (w->kid_pid[i] != 0 && w->kid_pid[i] == pid)
			return 1;
	return 0;
}

static int pm_request(struct fuzz_worker *w)
{
	struct call c = { .kind = "PM request", .op = IPC_SENDREC,
		.ep = PM_ENDPOINT };
	message *m = (message *)msg_space;
	int r;

	c.m = m;
	random_message(w, m);
	m->m_type = PM_FORK + fuzz_below(&w->rng, PM_EXEC - PM_FORK + 2);
	/* A raw fork's child would carry on with this worker's calls, and
	 * outlive it: fork() in fuzz.c makes children it keeps track of. */
	if (m->m_type == PM_FORK)
		m->m_type = PM_GETPID;
	if (!w->wild) {
		switch (m->m_type) {
		case PM_EXIT: case PM_SPAWN:
			m->m_type = PM_GETPID;
			break;
		case PM_WAIT:
			/* Not one of its own children: fuzz.c waits for them
			 * and checks how they ended. */
			if (w->children) {
				m->m_type = PM_GETPID;
				break;
			}
			m->u.pm.b |= WNOHANG;
			m->u.pm.a = fuzz_below(&w->rng, 2) ? -1 :
				(int32_t)any_endpoint(w);
			break;
		case PM_KILL:		/* not its own child: must fail */
			do
				m->u.pm.a = (int32_t)any_endpoint(w);
			while (m->u.pm.a == w->self || is_kid(w, m->u.pm.a));
			c.must_fail = 1;
			break;
		}
	} else if (m->m_type == PM_EXIT) {
		m->u.pm.a = 0;	/* a status that reads as no failure */
	} else if (m->m_type == PM_SPAWN) {
		char *cmd = m->u.vm_spawn.cmd;
		size_t n = 0;

		for (int i = 0; i < 4; i++) {
			const char *s = i == 0 ? spawn_first[fuzz_below(&w->rng,
				sizeof spawn_first / sizeof spawn_first[0])] :
				spawn_words[fuzz_below(&w->rng,
				sizeof spawn_words / sizeof spawn_words[0])];
			size_t l = strlen(s);
			if (n + l + 2 > VM_SPAWN_LEN)
				break;
			memcpy(cmd + n, s, l);
			n += l;
			cmd[n++] = ' ';
		}
		cmd[n ? n - 1 : 0] = '\0';
	}
	if (m->m_type == PM_EXEC)	/* wild or not: never a real one */
		exec_args(w, m);
	c.type = m->m_type;
	r = enter(w, &c);
	if (r == OK && c.type == PM_EXEC && m->u.reply.status == OK)
		return fail(w, &c, m->u.reply.status, "PM_EXEC of no program "
			"succeeded");
	if (r == OK && c.must_fail && m->u.reply.status == OK)
		return fail(w, &c, m->u.reply.status, "PM killed a process "
			"that is not the caller's child");
	c.must_fail = 0;
	return check(w, &c, r);
}

int fuzz_one(struct fuzz_worker *w)
{
	switch (fuzz_below(&w->rng, 10)) {
	case 0: case 1: case 2:
		return raw_ipc(w);
	case 3: case 4:
		return kernel_call(w);
	case 5: case 6: case 7:
		return vm_request(w);
	default:
		return pm_request(w);
	}
}

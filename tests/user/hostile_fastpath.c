/*
 * Hostile cases for the IPC fast path and REPLYRECV: a reply that cannot
 * go ends the call at once with its error (nothing received, nothing
 * blocked); messages through the fast path arrive whole and in order,
 * also when a buffer on either side is not present yet (the fast path
 * gives way to the general one, which asks VM); a bad buffer is EFAULT;
 * a pair calling each other does not starve a CPU-bound process.
 * The echo partner is a child on the attacker's CPU, where the fast path
 * applies.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "tests/user/hostile.h"

#define KERNEL_PAGE	((message *)0xF0001000u)
#define WRAPPING	((message *)0xFFFFFFF0u)	/* ends past 4 GiB */
#define ROUNDS		64
#define ECHO_STOP	0x7e57

/* The child: echoes each message with its words incremented, answering
 * with REPLYRECV, until ECHO_STOP; its buffer is a fresh page (not
 * present until the first message is copied in). */
static int echo(void)
{
	message *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_ANON);
	int r;

	if (m == MAP_FAILED)
		return 2;
	sys_setcpu(SELF, 0);
	r = ipc_receive(ANY, m);
	while (r == OK && m->m_type != ECHO_STOP) {
		endpoint_t from = m->m_source;

		for (int i = 0; i < 14; i++)
			m->u.w[i]++;
		r = ipc_replyrecv(from, m);
	}
	if (r == OK)
		ipc_sendnb(m->m_source, m);
	return r == OK ? HOSTILE_OK : 3;
}

static endpoint_t start_echo(void)
{
	pid_t pid = fork();

	if (pid == 0)
		exit(echo());
	return pid;
}

/* Round trips through the child, the parent's buffer a fresh page too:
 * every word comes back incremented, from the child. */
static int echo_rounds(void)
{
	message *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_ANON);
	endpoint_t child;
	int ok = 1, status = -1;

	sys_setcpu(SELF, 0);
	if (m == MAP_FAILED || (child = start_echo()) < 0)
		return 2;
	for (uint32_t n = 0; n < ROUNDS && ok; n++) {
		int r;

		m->m_type = 0x100;
		for (int i = 0; i < 14; i++)
			m->u.w[i] = n * 14 + (uint32_t)i;
		r = ipc_sendrec(child, m);
		ok &= h_expect("sendrec to the echo child", r, OK);
		ok &= h_expect("reply from the child", m->m_source, child);
		for (int i = 0; ok && i < 14; i++)
			ok &= h_expect("echoed word", (int)m->u.w[i],
				(int)(n * 14 + (uint32_t)i + 1));
	}
	m->m_type = ECHO_STOP;
	ipc_sendrec(child, m);
	ok &= h_expect("echo child's exit", waitpid(child, &status, 0), child);
	ok &= h_expect("echo child's status", status, HOSTILE_OK);
	munmap(m, 4096);
	return ok ? HOSTILE_OK : 1;
}

/* A child that waits for nothing from us: it sits in a RECEIVE from a
 * process that never sends (PM), so a reply to it cannot go. */
static int deaf(void)
{
	message m;

	ipc_receive(PM_ENDPOINT, &m);
	return 0;
}

static int replyrecv_refused(void)
{
	message m;
	endpoint_t child;
	int ok = 1, status;

	memset(&m, 0, sizeof m);
	ok &= h_expect("replyrecv to a never-used slot",
		ipc_replyrecv(make_endpoint(77, 500), &m), EBADEPT);
	ok &= h_expect("replyrecv to ANY", ipc_replyrecv(ANY, &m),
		EBADSRCDST);
	ok &= h_expect("replyrecv to itself", ipc_replyrecv(SELF, &m),
		EBADSRCDST);
	ok &= h_expect("replyrecv to 0", ipc_replyrecv(0, &m), EBADEPT);

	/* A child that has exited: its endpoint is dead. */
	pid_t pid = fork();
	if (pid == 0)
		exit(0);
	waitpid(pid, &status, 0);
	ok &= h_expect("replyrecv to an exited child",
		ipc_replyrecv(pid, &m), EDEADSRCDST);

	/* A live child that does not wait for us. */
	child = fork();
	if (child == 0)
		exit(deaf());
	ok &= h_expect("replyrecv to a child not waiting for us",
		ipc_replyrecv(child, &m), ENOTREADY);
	kill(child, 9);
	waitpid(child, &status, 0);
	return ok ? HOSTILE_OK : 1;
}

/* Bad buffers, to a partner that does wait: EFAULT, and the partner
 * still gets the good message afterwards. */
static int replyrecv_bad_buffers(void)
{
	message m;
	endpoint_t child;
	int ok = 1, status = -1;

	sys_setcpu(SELF, 0);
	if ((child = start_echo()) < 0)
		return 2;
	/* Let the child reach its first RECEIVE. */
	memset(&m, 0, sizeof m);
	m.m_type = 0x100;
	ok &= h_expect("first round trip", ipc_sendrec(child, &m), OK);
	/* The child waits in REPLYRECV's RECEIVE now. */
	ok &= h_expect("sendrec, message at 0", ipc_sendrec(child, NULL),
		EFAULT);
	ok &= h_expect("sendrec, message in the kernel",
		ipc_sendrec(child, KERNEL_PAGE), EFAULT);
	ok &= h_expect("sendrec, message wrapping past 4 GiB",
		ipc_sendrec(child, WRAPPING), EFAULT);
	ok &= h_expect("replyrecv, message in the kernel",
		ipc_replyrecv(child, KERNEL_PAGE), EFAULT);
	ok &= h_expect("replyrecv, message wrapping",
		ipc_replyrecv(child, WRAPPING), EFAULT);
	memset(&m, 0, sizeof m);
	m.m_type = 0x100;
	ok &= h_expect("round trip after the bad ones",
		ipc_sendrec(child, &m), OK);
	ok &= h_expect("the echo", (int)m.u.w[0], 1);
	m.m_type = ECHO_STOP;
	ipc_sendrec(child, &m);
	ok &= h_expect("echo child's exit", waitpid(child, &status, 0), child);
	ok &= h_expect("echo child's status", status, HOSTILE_OK);
	return ok ? HOSTILE_OK : 1;
}

/* --- no starvation ------------------------------------------------------- */

/* A pair of processes calling each other as fast as the fast path lets
 * them (each call hands the CPU and the rest of the time slice to the
 * other) must not starve a CPU-bound process on their CPU: the slice
 * they share runs out, and the counter gets its turn. The counter tells
 * the echo child when it has finished its loop (C_DONE); the echo passes
 * that on in its replies. A starved counter never finishes while the
 * pair runs: ROUNDS_MAX round trips fail the case. */
#define C_DONE		0x7e58
#define COUNTER_LOOPS	3000000u
#define ROUNDS_MAX	500000u

static endpoint_t pair_echo;

static int echo_tell(void)
{
	message m;
	int done = 0, r;

	sys_setcpu(SELF, 0);
	r = ipc_receive(ANY, &m);
	while (r == OK && m.m_type != ECHO_STOP) {
		if (m.m_type == C_DONE) {	/* a SEND: no answer */
			done = 1;
			r = ipc_receive(ANY, &m);
			continue;
		}
		m.m_type = done ? C_DONE : 0x100;
		r = ipc_replyrecv(m.m_source, &m);
	}
	if (r == OK)
		ipc_sendnb(m.m_source, &m);
	return r == OK ? HOSTILE_OK : 3;
}

static endpoint_t pair_caller;

/* Waits for the go, given once the pair is calling, so that only the
 * scheduler's round robin can let it run while they do. */
static int counter(void)
{
	message m;

	sys_setcpu(SELF, 0);
	memset(&m, 0, sizeof m);
	ipc_notify(pair_caller, &m);		/* on CPU 0, about to wait */
	if (ipc_receive(pair_caller, &m) != OK)
		return 5;
	for (volatile uint32_t i = 0; i < COUNTER_LOOPS; i++)
		;
	m.m_type = C_DONE;
	return ipc_send(pair_echo, &m) == OK ? HOSTILE_OK : 4;
}

static int no_starve(void)
{
	message m;
	pid_t count;
	uint32_t n;
	int ok = 1, status = -1, r = OK;

	sys_setcpu(SELF, 0);
	pair_caller = getpid();
	if ((pair_echo = fork()) == 0)
		exit(echo_tell());
	if (pair_echo < 0)
		return 2;
	if ((count = fork()) == 0)
		exit(counter());
	if (count < 0)
		return 2;
	memset(&m, 0, sizeof m);
	ok &= h_expect("the counter is ready", ipc_receive(count, &m), OK);
	m.m_type = 0x100;	/* the echo waits in its REPLYRECV after this */
	ok &= h_expect("first round trip", ipc_sendrec(pair_echo, &m), OK);
	ok &= h_expect("go to the counter", ipc_send(count, &m), OK);
	for (n = 0; n < ROUNDS_MAX; n++) {
		m.m_type = 0x100;
		if ((r = ipc_sendrec(pair_echo, &m)) != OK ||
		    m.m_type == C_DONE)
			break;
	}
	ok &= h_expect("round trips while the counter ran", r, OK);
	ok &= h_expect("the counter finished within the round trips",
		n < ROUNDS_MAX, 1);
	ok &= h_expect("counter's exit", waitpid(count, &status, 0), count);
	ok &= h_expect("counter's status", status, HOSTILE_OK);
	m.m_type = ECHO_STOP;
	ipc_sendrec(pair_echo, &m);
	ok &= h_expect("echo's exit", waitpid(pair_echo, &status, 0),
		pair_echo);
	ok &= h_expect("echo's status", status, HOSTILE_OK);
	return ok ? HOSTILE_OK : 1;
}

const struct hostile_case hostile_fastpath_cases[] = {
	{ "fastpath.echo", echo_rounds, HOSTILE_OK },
	{ "fastpath.refused", replyrecv_refused, HOSTILE_OK },
	{ "fastpath.bad_buffers", replyrecv_bad_buffers, HOSTILE_OK },
	{ "fastpath.no_starve", no_starve, HOSTILE_OK },
};
const int hostile_fastpath_count = sizeof hostile_fastpath_cases /
	sizeof hostile_fastpath_cases[0];

/*
 * The process manager: fork, exec, exit, wait, getpid, kill and spawn
 * for user programs (PM_* in cairn/calls.h), on top of VM, which owns
 * memory and asks the kernel for processes. PM is the signal manager of
 * user processes: the kernel tells it when it stops one (SYS_GETKSIG).
 * A pid is the endpoint. PM asks VM with
 * SENDREC (VM never blocks on PM) and answers clients without blocking
 * (the reply goes with PM's next receive, REPLYRECV: cairn/serverloop.h):
 * a client waits in SENDREC, and PM never blocks on one.
 */
#include <stdio.h>
#include <string.h>
#include "servers/pm/proc.h"
#include "cairn/complain.h"
#include "cairn/ipclib.h"
#include "cairn/serverloop.h"
#include "cairn/syslib.h"

static void reply(endpoint_t to, int status, uint32_t v0, uint32_t v1)
{
	message m = { 0 };

	m.m_type = status;
	m.u.reply.status = status;
	m.u.reply.value[0] = v0;
	m.u.reply.value[1] = v1;
	server_reply(to, &m);
}

/* Sends m to VM and waits for the answer (in m): the IPC error, or
 * VM's status. */
static int ask_vm(message *m)
{
	int r = ipc_sendrec(VM_ENDPOINT, m);

	return r != OK ? r : m->u.reply.status;
}

/* p's zombie child c goes to p, which waited for it. */
static void reap(struct pm_proc *p, struct pm_proc *c)
{
	p->flags &= ~PMF_WAITING;
	reply(p->ep, OK, (uint32_t)c->ep, (uint32_t)c->status);
	pm_remove(c);
}

/* p has ended with status (the kernel no longer runs it). Its children
 * lose their parent (zombies among them are forgotten: nobody can wait
 * for them now); p waits as a zombie for its parent, if it has one. */
static void exited(struct pm_proc *p, int32_t status)
{
	struct pm_proc *parent = pm_lookup(p->parent);

	for (struct pm_proc *c = pm_next(NULL); c != NULL; c = pm_next(c)) {
		if (c->parent != p->ep)
			continue;
		c->parent = NONE;
		if (c->flags & PMF_ZOMBIE)
			pm_remove(c);
	}
	if (parent == NULL) {
		pm_remove(p);
		return;
	}
	p->flags = PMF_ZOMBIE;
	p->status = status;
	if ((parent->flags & PMF_WAITING) &&
	    pm_wait_matches(parent->wait_pid, p))
		reap(parent, p);
}

/* Ends a process through VM: OK once the kernel no longer runs it. */
static int vm_exit(endpoint_t ep, int32_t status)
{
	message m = { 0 };

	m.m_type = VM_EXIT;
	m.u.exit.ep = ep;
	m.u.exit.status = status;
	return ask_vm(&m);
}

/* --- the requests ------------------------------------------------------- */

static void do_fork(struct pm_proc *caller)
{
	message m = { 0 };
	endpoint_t child;
	int r;

	if (pm_full()) {
		reply(caller->ep, ENOMEM, 0, 0);
		return;
	}
	m.m_type = VM_FORK;
	m.u.vm_fork.parent = caller->ep;
	r = ask_vm(&m);
	if (r != OK) {
		reply(caller->ep, r, 0, 0);
		return;
	}
	child = (endpoint_t)m.u.reply.value[0];
	pm_add(child, caller->ep);
	/* Both wait in the same SENDREC: each gets its own answer. */
	reply(child, OK, 0, 0);
	reply(caller->ep, OK, (uint32_t)child, 0);
}

/* No reply on success: the caller is gone. */
static void do_exit(struct pm_proc *caller, int32_t status)
{
	int r = vm_exit(caller->ep, status);

	if (r == EPERM) {	/* not PM's: a service ends through RS */
		endpoint_t ep = caller->ep;

		pm_remove(caller);
		reply(ep, r, 0, 0);
		return;
	}
	if (r != OK) {
		printf("pm: exit of %d: VM says %d\n", caller->ep, r);
		reply(caller->ep, r, 0, 0);
		return;
	}
	exited(caller, status);
}

static void do_wait(struct pm_proc *caller, int32_t pid, int32_t options)
{
	int children = 0;

	if (pid != -1 && pid <= 0) {
		reply(caller->ep, EINVAL, 0, 0);
		return;
	}
	for (struct pm_proc *c = pm_next(NULL); c != NULL; c = pm_next(c)) {
		if (c->parent != caller->ep || !pm_wait_matches(pid, c))
			continue;
		if (c->flags & PMF_ZOMBIE) {
			reap(caller, c);
			return;
		}
		children++;
	}
	if (children == 0)
		reply(caller->ep, ECHILD, 0, 0);
	else if (options & WNOHANG)
		reply(caller->ep, OK, 0, 0);
	else {
		caller->flags |= PMF_WAITING;
		caller->wait_pid = pid;
	}
}

/* A process may end itself or its own children, nobody else. */
static void do_kill(struct pm_proc *caller, endpoint_t pid, int32_t status)
{
	struct pm_proc *t = pm_lookup(pid);
	int r;

	if (t == NULL) {
		reply(caller->ep, ESRCH, 0, 0);
		return;
	}
	if (t != caller && t->parent != caller->ep) {
		reply(caller->ep, EPERM, 0, 0);
		return;
	}
	if (t->flags & PMF_ZOMBIE) {	/* dead already: nothing to do */
		reply(caller->ep, OK, 0, 0);
		return;
	}
	/* ESRCH: VM ended it already (a fault) and queued its exit for us:
	 * it is reported when PM drains the queue, with that status. */
	r = vm_exit(pid, status);
	if (r == OK)
		exited(t, status);
	if (t != caller || r != OK)
		reply(caller->ep, r, 0, 0);
}

static void do_spawn(struct pm_proc *caller, const message *req)
{
	message m = { 0 };
	endpoint_t ep;
	int r;

	if (pm_full()) {
		reply(caller->ep, ENOMEM, 0, 0);
		return;
	}
	m.m_type = VM_SPAWN;
	memcpy(m.u.vm_spawn.cmd, req->u.vm_spawn.cmd, VM_SPAWN_LEN);
	/* VM gives the child at most the asker's rights, whatever role
	 * its command names: the asker is PM's to say, not the asker's. */
	m.u.vm_spawn.parent = caller->ep;
	r = ask_vm(&m);
	if (r != OK) {
		reply(caller->ep, r, 0, 0);
		return;
	}
	ep = (endpoint_t)m.u.reply.value[0];
	pm_add(ep, caller->ep);
	reply(caller->ep, OK, (uint32_t)ep, 0);
}

/* The caller's new program: VM reads the block from the caller's memory,
 * builds the new space and has the kernel switch the caller over. On
 * success the caller's SENDREC is over without an answer (its old code
 * is gone); on failure it gets the error and goes on. Pid, parent and
 * children stay: PM's entry does not change. */
static void do_exec(struct pm_proc *caller, const message *req)
{
	message m = { 0 };
	int r;

	m.m_type = VM_EXEC;
	m.u.vm_exec.ep = caller->ep;
	m.u.vm_exec.block = req->u.pm_exec.block;
	m.u.vm_exec.len = req->u.pm_exec.len;
	r = ask_vm(&m);
	if (r != OK)
		reply(caller->ep, r, 0, 0);
}

/* VM ended processes PM did not ask it to end (the kernel or VM killed
 * them, or they sent VM_EXIT themselves): fetch each and treat it as
 * an exit. Unknown ones never talked to PM and have no parent. */
static void drain_exits(void)
{
	message m;
	int r;

	for (;;) {
		memset(&m, 0, sizeof m);
		m.m_type = VM_GETEXIT;
		if ((r = ask_vm(&m)) != OK)
			break;
		struct pm_proc *p = pm_lookup((endpoint_t)m.u.reply.value[0]);
		if (p != NULL && !(p->flags & PMF_ZOMBIE))
			exited(p, (int32_t)m.u.reply.value[1]);
	}
	if (r != ESRCH)
		printf("pm: VM_GETEXIT: %d\n", r);
}

/* The kernel stopped processes PM manages (a fault, or VM killed them):
 * PM has VM end each, and treats it as an exit with that status. */
static void drain_stops(void)
{
	endpoint_t ep;
	int status, r;

	while ((r = sys_getksig(&ep, &status, NULL)) == OK) {
		struct pm_proc *p = pm_lookup(ep);

		r = vm_exit(ep, status);
		if (r != OK)
			printf("pm: end of stopped %d: VM says %d\n", ep, r);
		if (p != NULL && !(p->flags & PMF_ZOMBIE))
			exited(p, status);
	}
	if (r != ESRCH)
		printf("pm: SYS_GETKSIG: %d\n", r);
}

static void dispatch(const message *m)
{
	/* A process PM has not heard of is a boot program: no parent. */
	struct pm_proc *caller = pm_lookup(m->m_source);

	if (caller == NULL)
		caller = pm_add(m->m_source, NONE);
	if (caller == NULL) {
		printf("pm: table full, request 0x%x from %d refused\n",
			m->m_type, m->m_source);
		if (m->m_type == PM_EXIT)
			vm_exit(m->m_source, m->u.pm.a);
		else
			reply(m->m_source, ENOMEM, 0, 0);
		return;
	}
	switch (m->m_type) {
	case PM_FORK:
		do_fork(caller);
		break;
	case PM_EXIT:
		do_exit(caller, m->u.pm.a);
		break;
	case PM_WAIT:
		do_wait(caller, m->u.pm.a, m->u.pm.b);
		break;
	case PM_GETPID:
		reply(caller->ep, OK, (uint32_t)caller->ep,
			caller->parent == NONE ? 0 : (uint32_t)caller->parent);
		break;
	case PM_KILL:
		do_kill(caller, m->u.pm.a, m->u.pm.b);
		break;
	case PM_SPAWN:
		do_spawn(caller, m);
		break;
	case PM_EXEC:
		do_exec(caller, m);
		break;
	default:
		complain("pm: message type 0x%x from %d refused\n", m->m_type,
			m->m_source);
		reply(m->m_source, EINVAL, 0, 0);
		break;
	}
}

int main(int argc, char **argv)
{
	message m;

	(void)argc;
	(void)argv;
	pm_table_init();
	printf("pm: ready at %d\n", PM_ENDPOINT);
	for (int r = server_receive(&m);; r = server_next(&m)) {
		if (r != OK)
			continue;
		if (m.m_type == NOTIFY_MESSAGE) {
			if (m.m_source == VM_ENDPOINT)
				drain_exits();
			else if (m.m_source == KERNEL &&
				 (m.u.notify.pending & NOTIFY_KERNEL_KSIG))
				drain_stops();
			continue;
		}
		dispatch(&m);
	}
}

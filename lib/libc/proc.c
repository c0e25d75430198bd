/*
 * Processes through the process manager (PM_* messages): fork, exec,
 * wait, getpid, kill and spawn. Each is one SENDREC to PM; a pid is an
 * endpoint.
 */
#include <unistd.h>

#include <string.h>
#include "cairn/ipclib.h"
#include "cairn/grantlib.h"

/* Sends m to PM and waits for its answer: the IPC error or PM's status;
 * the answer is in m. */
static int ask_pm(message *m)
{
	int r = ipc_sendrec(PM_ENDPOINT, m);

	return r != OK ? r : m->u.reply.status;
}

pid_t fork(void)
{
	message m = { 0 };
	int r;

	m.m_type = PM_FORK;
	r = ask_pm(&m);
	if (r == OK && m.u.reply.value[0] == 0)
		cpf_forget_after_fork();	/* the kernel forgot them too */
	return r != OK ? r : (pid_t)m.u.reply.value[0];
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	message m = { 0 };
	int r;

	m.m_type = PM_WAIT;
	m.u.pm.a = pid;
	m.u.pm.b = options;
	r = ask_pm(&m);
	if (r != OK)
		return r;
	if (status != NULL && m.u.reply.value[0] != 0)
		*status = (int)m.u.reply.value[1];
	return (pid_t)m.u.reply.value[0];
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

/* PM_GETPID answers both: value[0] the pid, value[1] the parent. */
static pid_t getpid_value(int which)
{
	message m = { 0 };
	int r;

	m.m_type = PM_GETPID;
	r = ask_pm(&m);
	return r != OK ? r : (pid_t)m.u.reply.value[which];
}

pid_t getpid(void)
{
	return getpid_value(0);
}

pid_t getppid(void)
{
	return getpid_value(1);
}

int kill(pid_t pid, int status)
{
	message m = { 0 };

	m.m_type = PM_KILL;
	m.u.pm.a = pid;
	m.u.pm.b = status;
	return ask_pm(&m);
}

pid_t spawn(const char *cmd)
{
	message m = { 0 };
	size_t len = strlen(cmd);
	int r;

	if (len >= VM_SPAWN_LEN)
		return EINVAL;
	m.m_type = PM_SPAWN;
	memcpy(m.u.vm_spawn.cmd, cmd, len);
	r = ask_pm(&m);
	return r != OK ? r : (pid_t)m.u.reply.value[0];
}

char **environ;

/* Appends n strings (with their NULs) at *pos of buf: 0, or -1 when they
 * would pass EXEC_BLOCK_MAX. */
static int pack(char *buf, uint32_t *pos, char *const *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		size_t len = strlen(s[i]) + 1;

		if (len > EXEC_BLOCK_MAX - *pos)
			return -1;
		memcpy(buf + *pos, s[i], len);
		*pos += (uint32_t)len;
	}
	return 0;
}

static uint32_t count(char *const *v)
{
	uint32_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return n;
}

/* The block goes on this stack: PM_EXEC names it by address (VM reads
 * it from this process's memory), and on success the stack is gone. */
int execve(const char *name, char *const argv[], char *const envp[])
{
	char buf[EXEC_BLOCK_MAX];
	struct exec_block_head head = { count(argv), count(envp) };
	char *const name_v[1] = { (char *)name };
	uint32_t pos = sizeof head;
	message m = { 0 };

	memcpy(buf, &head, sizeof head);
	if (pack(buf, &pos, name_v, 1) < 0 ||
	    pack(buf, &pos, argv, head.argc) < 0 ||
	    pack(buf, &pos, envp, head.envc) < 0)
		return E2BIG;
	m.m_type = PM_EXEC;
	m.u.pm_exec.block = (vir_bytes)buf;
	m.u.pm_exec.len = pos;
	return ask_pm(&m);
}

int execv(const char *name, char *const argv[])
{
	return execve(name, argv, environ);
}

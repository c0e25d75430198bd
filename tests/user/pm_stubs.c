/*
 * Link-time stand-ins for the process manager's library calls, which the
 * PM branch writes in lib/: until it is merged, vmtest and ubench link
 * these so that the tree builds. Each fails with ENOSYS, so every test
 * that needs a process call fails and says so. The Makefile stops linking
 * this file once lib/include/unistd.h declares fork(); delete it then.
 */
#include "cairn/errno.h"

/* The same local prototypes as in vmtest.c and ubench_vm.c. */
int fork(void);
int waitpid(int pid, int *status, int options);
int getpid(void);
int getppid(void);
int kill(int pid, int status);

int fork(void)
{
	return ENOSYS;
}

int waitpid(int pid, int *status, int options)
{
	(void)pid;
	(void)status;
	(void)options;
	return ENOSYS;
}

int getpid(void)
{
	return ENOSYS;
}

int getppid(void)
{
	return ENOSYS;
}

int kill(int pid, int status)
{
	(void)pid;
	(void)status;
	return ENOSYS;
}

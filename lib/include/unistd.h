/*
 * The program break, moved by the VM server (VM_BRK), and processes,
 * managed by the process manager (PM_*, servers/pm). The first break is
 * the end of bss (the linker's _end) rounded up to a page. A pid is the
 * process's endpoint; errors are negative codes from cairn/errno.h.
 */
#ifndef CAIRN_LIBC_UNISTD_H
#define CAIRN_LIBC_UNISTD_H

#include <stdint.h>
#include "cairn/calls.h"	/* WNOHANG */

typedef endpoint_t pid_t;

/* Sets the break to addr: OK, or a negative code (ENOMEM, ...). */
int brk(void *addr);
/* Moves the break by incr bytes and returns the old one, or (void *)-1. */
void *sbrk(intptr_t incr);

/* A copy of the calling process, memory included: the child's pid in the
 * parent, 0 in the child, or an error (no child then). The child's
 * library state is a copy too: ipc_sysinfo() still names the parent. */
pid_t fork(void);
/* Waits for a child (pid -1: any child) to end: its pid, and its exit
 * status in *status (if not NULL). With WNOHANG, 0 when none has ended
 * yet. ECHILD: no such child. */
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);
pid_t getpid(void);
/* The parent's pid; 0 for a boot program or an orphan. */
pid_t getppid(void);
/* Ends pid (the caller itself or one of its children) as if it had
 * exited with status: OK, ESRCH, EPERM (not a child). */
int kill(pid_t pid, int status);
/* A new child running a boot-image program: cmd is "NAME args...", NAME
 * the program's name in the boot image, the words its argv (role=
 * chooses privileges, as at boot). Its pid, or an error (ENOENT: no such
 * program; EINVAL: cmd of VM_SPAWN_LEN bytes or more). */
pid_t spawn(const char *cmd);

/* The environment: "NAME=value" strings, NULL at the end (crt0 sets it
 * from the stack the program started with; main's third argument). */
extern char **environ;
/* Replaces the caller's program by the boot-image program name (as
 * spawn's first word), with argv (argv[0] first, NULL at the end) and
 * envp (NULL: none). Returns only on failure, the caller unchanged:
 * ENOENT no such program, ENOEXEC not a loadable program, E2BIG
 * arguments over EXEC_BLOCK_MAX bytes packed or beyond the new stack's
 * first page, EPERM ("pm"), ENOMEM, EINVAL (no argv[0]). Pid, parent
 * and children stay; grants, shared memory and cached blocks of the old
 * image do not (cairn/calls.h, PM_EXEC). */
int execve(const char *name, char *const argv[], char *const envp[]);
/* execve with the caller's environ. */
int execv(const char *name, char *const argv[]);

#endif /* CAIRN_LIBC_UNISTD_H */

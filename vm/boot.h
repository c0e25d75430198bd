/*
 * Start-up work: the kernel's part of every address space, and the
 * address spaces and processes of the boot programs (modules 1..n), and
 * new processes of those programs later (VM_SPAWN).
 */
#ifndef CAIRN_VM_BOOT_H
#define CAIRN_VM_BOOT_H

#include "cairn/ipc.h"
#include <stddef.h>
#include "kernel/kinfo.h"

/* Asks the kernel for every range it needs in each address space
 * (KERN_PHYSMAP until ESRCH), adds each to the directory template and
 * answers KERN_MAP_REPLY. Before any directory is made. */
void boot_kernel_maps(void);

/* Loads and starts every boot program; a module that cannot be started
 * is reported and skipped. Returns how many were started. */
int boot_start_programs(const struct kinfo *ki);

/* A new process of a boot-image program: cmd is "NAME args...", NAME the
 * program (first word of a module's string), the words its argv (a
 * role= word picks its privileges, as at boot, but never more than
 * parent's: priv.c, and the kernel's SYS_NEWPROC). VM reads the module
 * again: frame_init keeps modules out of free memory for good. OK and
 * *ep; EINVAL (empty or too long, or before boot), ENOENT (no such
 * program), EPERM (PM: there is one), ENOEXEC (not an ELF program VM
 * can load), or why building it failed. */
int boot_spawn(const char *cmd, endpoint_t parent, endpoint_t *ep);

/* The one lookup of a program image by name (a module string's program
 * name, VM's own module 0 excluded): OK and its bytes, ENOENT when no
 * program has that name, ENOEXEC when its bytes are out of VM's reach.
 * The bytes stay for good (frame_init keeps modules out of free
 * memory). */
int boot_find_program(const char *name, const uint8_t **bytes,
	uint32_t *size);

/* Whether a process may start name by spawn or exec: EPERM for "pm"
 * (one process manager, at PM_ENDPOINT), else OK. */
int boot_program_allowed(const char *name);

/* VM_SPAWN (PM only): boot_spawn(u.vm_spawn.cmd, u.vm_spawn.parent);
 * EPERM when VM does not know that parent. The reply's value[0] is the
 * new endpoint. */
void spawn_request(const message *m);

/* The system image's file name (bootfs.h): OK, ENOENT, or EINVAL for a
 * damaged image. */
int boot_file(const char *name, const uint8_t **data, size_t *size);

/* VM_RS_START (RS only): a service of the boot image with the rights
 * RS's policy gives it, bounded by RS's; reply value[0] its endpoint. */
void rs_start_request(const message *m);

/* VM_BOOTFILE: a file of the system image, copied to the caller. */
void bootfile_request(const message *m);

#endif /* CAIRN_VM_BOOT_H */

/*
 * Start-up work: the kernel's part of every address space, and the
 * address spaces and processes of the boot programs (modules 1..n).
 */
#ifndef CAIRN_VM_BOOT_H
#define CAIRN_VM_BOOT_H

#include "kernel/kinfo.h"

/* Asks the kernel for every range it needs in each address space
 * (KERN_PHYSMAP until ESRCH), adds each to the directory template and
 * answers KERN_MAP_REPLY. Before any directory is made. */
void boot_kernel_maps(void);

/* Loads and starts every boot program; a module that cannot be started
 * is reported and skipped. Returns how many were started. */
int boot_start_programs(const struct kinfo *ki);

#endif /* CAIRN_VM_BOOT_H */

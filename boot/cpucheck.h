/*
 * The pre-init's CPU check (boot/cpucheck.c): what the kernel cannot run
 * without, asked before any instruction that needs it.
 */
#ifndef CAIRN_BOOT_CPUCHECK_H
#define CAIRN_BOOT_CPUCHECK_H

#include <stdint.h>

/* isa-debug-exit code of a refused CPU (QEMU exits with 2 * 3 + 1 = 7);
 * bench/lab/cairn/qemu.py lists every code. */
#define EXIT_UNSUPPORTED_CPU	3

/* Checks the CPU. If it lacks an essential feature, names the missing
 * ones on COM1 and on the VGA text screen and halts (never returns).
 * Otherwise returns the CR4 bits to turn on with paging: PSE always, PGE
 * when the CPU has it. */
uint32_t cpu_check(void);

#endif /* CAIRN_BOOT_CPUCHECK_H */

/*
 * What every kernel file needs: limits, console output, panic and assert.
 * Self-contained: include it in any order.
 */
#ifndef CAIRN_KERNEL_H
#define CAIRN_KERNEL_H

#include <stdint.h>
#include <stddef.h>

#define CONFIG_MAX_CPUS	255	/* CPU-local areas, stacks, GDTs */
#define CACHE_LINE	64

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Internal status of IPC operations and kernel calls: the caller
 * blocked; its %eax is set when it resumes. Never seen by user space. */
#define EDONTREPLY	(-1000)

/* Console output (serial, and the diagnostics buffer). */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* For broken invariants only: user input gets error codes. Formats like
 * printf, stops every CPU, flushes the diagnostics buffer. */
void panic(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

#define assert(cond) do { \
	if (!(cond)) \
		panic("assertion \"%s\" failed at %s:%d", #cond, \
			__FILE__, __LINE__); \
} while (0)

/* Leave QEMU through isa-debug-exit (status 2*code+1); on real hardware
 * the write goes nowhere and the CPU halts. */
#define EXIT_OK		0
#define EXIT_FAILED	1
#define EXIT_PANIC	2
void __attribute__((noreturn)) machine_exit(int code);

#endif /* CAIRN_KERNEL_H */

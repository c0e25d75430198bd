/*
 * The Linux peer (bench/peer/): what linuxbench.c, Cairn's benchmarks
 * rebuilt for Linux, needs from the record and exit half (lrecord.c).
 * Records go out with urecord() (cairn/urecord.h), as in Cairn.
 */
#ifndef CAIRN_PEER_H
#define CAIRN_PEER_H

/* What the program hands QEMU's isa-debug-exit device, which makes QEMU
 * exit with (value << 1) | 1: the codes Cairn's kernel uses. */
#define PEER_EXIT_SUCCESS	0	/* QEMU exits with 1 */
#define PEER_EXIT_FAILED	1	/* QEMU exits with 3 */

/* Ends the boot: waits until the console has sent everything, then
 * writes code to the isa-debug-exit port. If that port cannot be
 * reached, powers the machine off (QEMU exits with 0: not success). */
void peer_leave(int code) __attribute__((noreturn));

/* Says why on the console, in people's words, and leaves with
 * PEER_EXIT_FAILED. */
void peer_die(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

#endif /* CAIRN_PEER_H */

/*
 * RS's service policy: the file system.conf of the system image, one
 * service a line, in the order RS starts them:
 *
 *   service LABEL program=NAME [calls=CALL,...] [ipc=TARGET,...|all]
 *           [vm=phys] [restart=always|crash|never] [heartbeat=MS]
 *           [limit=N] [args=WORD]
 *
 * '#' starts a comment; blank lines are skipped. Every service gets the
 * basic calls (info, diagprint, setcpu, setalarm, the grant calls and
 * exit) and may send to VM and RS; calls= adds more (names below),
 * ipc= adds up to two more targets by label (a service started on an
 * earlier line, or pm), or all. restart: always (the default: any end
 * but its own exit with status 0), crash (the same), never. heartbeat:
 * RS pings it every MS milliseconds and restarts it if a ping has no
 * answer within two periods (0, the default: no pings). limit: restarts in
 * a row (without a healthy second between) before RS gives up (default
 * 5). args: one word passed after its label in argv.
 *
 * The parser is portable C (tests/host builds it): RS reads the file
 * with VM_BOOTFILE and gives it here.
 */
#ifndef CAIRN_RS_POLICY_H
#define CAIRN_RS_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include "cairn/calls.h"
#include "cairn/errno.h"

#define POLICY_MAX_SERVICES	16
#define POLICY_MAX_IPC		2	/* named targets besides VM and RS */
#define POLICY_PROGRAM_LEN	16
#define POLICY_ARG_LEN		8

#define RESTART_ALWAYS	0
#define RESTART_NEVER	1

struct policy_service {
	char label[RS_LABEL_LEN];
	char program[POLICY_PROGRAM_LEN];
	char arg[POLICY_ARG_LEN];	/* "" none */
	uint32_t calls;			/* SYS_CALL_BIT mask, basic set in */
	int ipc_all;
	char ipc[POLICY_MAX_IPC][RS_LABEL_LEN];	/* "" unused */
	uint32_t vm_flags;		/* RSV_* */
	int restart;			/* RESTART_* */
	uint32_t heartbeat_ms;		/* 0: none */
	uint32_t limit;
};

struct policy {
	struct policy_service svc[POLICY_MAX_SERVICES];
	int count;
};

/* Parses the text [text, +len) into *pol. OK, or EINVAL with *line the
 * 1-based line at fault and why[why_len] saying what is wrong. */
int policy_parse(const char *text, size_t len, struct policy *pol,
	int *line, char *why, size_t why_len);

/* The calls every service has. */
uint32_t policy_basic_calls(void);

#endif /* CAIRN_RS_POLICY_H */

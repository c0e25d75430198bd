/*
 * The boot programs' privileges, one table row per program name or role.
 * Add a row to give a program other rights; a program no row names gets
 * the default. A process spawned later gets the row its command names,
 * intersected with its parent's rights (here for VM's own rights, in the
 * kernel for calls and IPC targets): rights never grow.
 */
#include <string.h>
#include "vm/priv.h"
#include "vm/vmproc.h"
#include "cairn/ipc.h"

/* Grants are every process's: making them (SETGRANT) gives away only
 * the caller's own memory, and a copy through one reaches only what its
 * granter chose. */
#define CALLS_GRANT	(SYS_CALL_BIT(SYS_SETGRANT) | \
	SYS_CALL_BIT(SYS_SAFECOPYFROM) | SYS_CALL_BIT(SYS_SAFECOPYTO) | \
	SYS_CALL_BIT(SYS_VSAFECOPY))
#define CALLS_USER	(SYS_CALL_BIT(SYS_INFO) | \
	SYS_CALL_BIT(SYS_DIAGPRINT) | SYS_CALL_BIT(SYS_SETCPU) | \
	SYS_CALL_BIT(SYS_SETALARM) | CALLS_GRANT)
/* A signal manager takes the stops of its processes and may stop them;
 * a system process ends itself with SYS_EXIT. */
#define CALLS_MANAGER	(SYS_CALL_BIT(SYS_GETKSIG) | SYS_CALL_BIT(SYS_KILL))
/* Ending the boot, and copying to and from other processes (which its
 * tests check), are for the program that drives a test or benchmark boot. */
#define CALLS_DRIVER	(CALLS_USER | SYS_CALL_BIT(SYS_SHUTDOWN) | \
	SYS_CALL_BIT(SYS_VIRCOPY) | PRIV_RECORD)

/* Boot program i (module i) has endpoint make_endpoint(1, i): module 1 is
 * PM, module 2 the system image (RS), module 3 the driver of a test or
 * benchmark boot. */
#define FIRST_BOOT_PROGRAM	make_endpoint(1, 3)

struct priv_row {
	const char *key;	/* program name or role */
	uint32_t calls;		/* SYS_CALL_BIT mask */
	uint32_t ipc_to[PRIV_MAX_TARGETS];	/* unused entries 0: no one */
	uint32_t vm_flags;	/* VMP_* rights with VM itself */
};

static const struct priv_row priv_default = {
	NULL, CALLS_USER, { PRIV_IPC_ALL }, 0,
};

static const struct priv_row priv_table[] = {
	/* The process manager answers anyone (PM_*), asks VM, and manages
	 * user processes' signals. */
	{ "pm", CALLS_USER | CALLS_MANAGER, { PRIV_IPC_ALL }, 0 },
	/* The reincarnation server: every right a service may get from its
	 * policy (the kernel bounds each service's by these), and it
	 * manages the services' signals. */
	{ "rs", CALLS_USER | CALLS_MANAGER | SYS_CALL_BIT(SYS_EXIT) |
		SYS_CALL_BIT(SYS_SHUTDOWN), { PRIV_IPC_ALL }, VMP_MAYPHYS },
	/* The driver also maps device memory (its tests of MAP_PHYS) and
	 * makes the benchmark-only requests (VM_LOOKUPBENCH). */
	{ "main", CALLS_DRIVER, { PRIV_IPC_ALL }, VMP_MAYPHYS | VMP_BENCH |
		VMP_ADMIN },
	/* RS's command for live updates (system image): it may ask, when
	 * its parent may. */
	{ "update", CALLS_USER, { PRIV_IPC_ALL }, VMP_ADMIN },
	/* May talk only to VM (brk), PM (exit) and the driver it reports
	 * to: tests that any other target is refused. */
	{ "restricted", CALLS_USER, { (uint32_t)VM_ENDPOINT,
		(uint32_t)PM_ENDPOINT, (uint32_t)FIRST_BOOT_PROGRAM }, 0 },
};

static const struct priv_row *find(const char *key)
{
	if (key == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof priv_table / sizeof priv_table[0]; i++)
		if (strcmp(priv_table[i].key, key) == 0)
			return &priv_table[i];
	return NULL;
}

static const struct priv_row *row_for(const char *name, const char *role)
{
	const struct priv_row *row = find(role);

	if (row == NULL)
		row = find(name);
	return row != NULL ? row : &priv_default;
}

void priv_for(const char *name, const char *role, endpoint_t parent,
	struct sys_newproc *np)
{
	const struct priv_row *row = row_for(name, role);

	np->calls = row->calls;
	for (int i = 0; i < PRIV_MAX_TARGETS; i++)
		np->ipc_to[i] = row->ipc_to[i];
	np->parent = parent;
	/* Records come from the boot's own driver, never from a process
	 * made later: its console lines are tagged like anyone's. */
	if (parent != NONE)
		np->calls &= ~PRIV_RECORD;
}

uint32_t priv_bound_vm_flags(uint32_t flags, endpoint_t parent)
{
	const struct vmproc *p;

	if (parent == NONE)
		return flags;
	p = vmproc_lookup(parent);
	return p != NULL ? flags & p->flags & (VMP_MAYPHYS | VMP_ADMIN) : 0;
}

uint32_t priv_vm_flags(const char *name, const char *role, endpoint_t parent)
{
	return priv_bound_vm_flags(row_for(name, role)->vm_flags, parent);
}

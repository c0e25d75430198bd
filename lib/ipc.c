/*
 * The IPC mechanism switch: which kernel-entry primitive ipc_send & co.
 * go through, chosen from what the kernel reports in SYS_INFO.
 */
#include "cairn/ipclib.h"

/* ipc_int.S hard-codes the vector: ipc.h is C only, not for assembly. */
_Static_assert(IPC_VECTOR == 0x80, "lib/arch/i386/ipc_int.S uses int $0x80");

static const ipc_trap_fn ipc_traps[] = {
	[ENTRY_INT] = ipc_trap_int,
	[ENTRY_SYSENTER] = ipc_trap_sysenter,
	[ENTRY_SYSCALL] = ipc_trap_syscall,
};
#define IPC_NTRAPS	((int)(sizeof ipc_traps / sizeof ipc_traps[0]))

ipc_trap_fn ipc_trap_current = ipc_trap_int;
static int ipc_current = ENTRY_INT;
/* int $0x80 always works: the kernel's interface starts there. */
static uint32_t ipc_available = 1u << ENTRY_INT;
static struct sys_info ipc_info;

int ipc_init(void)
{
	message m = { 0 };
	int r;

	m.m_type = SYS_INFO;
	r = ipc_trap_int(IPC_KERNCALL, KERNEL, &m);
	if (r != OK)
		return r;
	ipc_info = m.u.info;
	ipc_available |= ipc_info.entry_mask;
	return ipc_set_entry((int)ipc_info.entry_best);
}

int ipc_set_entry(int entry)
{
	if (entry < 0 || entry >= IPC_NTRAPS ||
			!(ipc_available & (1u << entry)))
		return EINVAL;
	ipc_current = entry;
	ipc_trap_current = ipc_traps[entry];
	return OK;
}

int ipc_entry(void)
{
	return ipc_current;
}

const struct sys_info *ipc_sysinfo(void)
{
	return &ipc_info;
}

/*
 * The kernel-call dispatcher: privilege check, handler, reply. A call's
 * message is already in the kernel (copied with the IPC message path); the
 * reply goes back through the delivery path, so a reply buffer that is not
 * present or not writable is handled like any message delivery.
 */
#include "kernel/system.h"
#include "kernel/proc.h"
#include "kernel/arch.h"

struct call {
	int (*handler)(struct proc *caller, message *m);
	int writeback;		/* the reply carries data (WB_VMCTL: ask) */
};

/* SYS_VMCTL's reply carries data for a few of its operations only
 * (vmctl_writes_back): the others, a page fault's CLEAR_PAGEFAULT
 * first, return without a message copied back. */
#define WB_VMCTL	2

static const struct call calls[SYS_CALLS] = {
	[SYS_INFO] = { do_info, 1 },
	[SYS_DIAGPRINT] = { do_diagprint, 0 },
	[SYS_VMCTL] = { do_vmctl, WB_VMCTL },
	[SYS_NEWPROC] = { do_newproc, 1 },
	[SYS_CLEAR] = { do_clear, 0 },
	[SYS_UMAP] = { do_umap, 1 },
	[SYS_SETCPU] = { do_setcpu, 0 },
	[SYS_SHUTDOWN] = { do_shutdown, 0 },
	[SYS_VIRCOPY] = { do_vircopy, 0 },
	[SYS_FORK] = { do_fork, 1 },
	[SYS_SETGRANT] = { do_setgrant, 0 },
	[SYS_SAFECOPYFROM] = { do_safecopy, 0 },
	[SYS_SAFECOPYTO] = { do_safecopy, 0 },
	[SYS_VSAFECOPY] = { do_vsafecopy, 1 },
	[SYS_GRANTINFO] = { do_grantinfo, 1 },
	[SYS_EXEC] = { do_exec, 0 },
	[SYS_GETKSIG] = { do_getksig, 1 },
	[SYS_EXIT] = { do_exit, 0 },
	[SYS_SETALARM] = { do_setalarm, 1 },
	[SYS_KILL] = { do_kill, 0 },
	[SYS_UPDATE] = { do_update, 0 },
};

int user_range_check(vir_bytes addr, uint32_t len)
{
	if (len != 0 && len - 1 > 0xffffffffu - addr)
		return EINVAL;
	if (addr >= KERNEL_BASE || len > KERNEL_BASE - addr)
		return EFAULT;
	return OK;
}

int kernel_call(struct proc *caller)
{
	message *m = &caller->p_sendmsg;
	int nr = m->m_type;

	if (nr < 0 || nr >= SYS_CALLS || !calls[nr].handler)
		return ENOSYS;
	if (!(caller->p_priv.calls & SYS_CALL_BIT(nr)))
		return EPERM;
	m->m_source = caller->p_endpoint;
	int r = calls[nr].handler(caller, m);
	if (r != EDONTREPLY && calls[nr].writeback &&
	    (calls[nr].writeback != WB_VMCTL || vmctl_writes_back(m)) &&
	    !(caller->p_rts_flags & RTS_SLOT_FREE)) {
		caller->p_delivermsg = *m;
		caller->p_misc_flags |= MF_DELIVERMSG;
	}
	return r;
}

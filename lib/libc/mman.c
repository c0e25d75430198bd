/*
 * mmap() and munmap() (see <sys/mman.h>): the VM server's VM_MMAP and
 * VM_MUNMAP with the address as the result and the status kept in
 * vm_errno.
 */
#include <sys/mman.h>

#include "cairn/ipclib.h"
#include "cairn/vmlib.h"

int vm_errno;

void *mmap(void *addr, size_t len, int prot, int flags)
{
	struct vm_mmap req = {
		.addr = (vir_bytes)addr,
		.len = len,
		.prot = (uint32_t)prot,
		.flags = (uint32_t)flags,
	};
	void *at;

	vm_errno = vm_mmap(&req, &at);
	return vm_errno == OK ? at : MAP_FAILED;
}

int munmap(void *addr, size_t len)
{
	message m = { 0 };
	int r;

	m.m_type = VM_MUNMAP;
	m.u.vm_munmap.addr = (vir_bytes)addr;
	m.u.vm_munmap.len = len;
	r = ipc_sendrec(VM_ENDPOINT, &m);
	if (r == OK)
		r = m.u.reply.status;
	vm_errno = r;
	return r;
}

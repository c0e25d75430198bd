/*
 * Exec: the caller's block of name, arguments and environment, read from
 * its own memory; the new program's space built beside the old one
 * (image.c); the kernel switches the process over (SYS_EXEC); then, and
 * only then, the old space and what hung on it (grants, cached blocks,
 * other processes' unfetched shared pages) go. Any failure before the
 * switch leaves the process as it was and every page it took freed.
 */
#include <stdio.h>
#include <string.h>
#include "vm/exec.h"
#include "vm/boot.h"
#include "vm/cache.h"
#include "vm/fault.h"
#include "vm/frame.h"
#include "vm/grant.h"
#include "vm/image.h"
#include "vm/layout.h"
#include "vm/map.h"
#include "vm/pt.h"
#include "vm/reply.h"
#include "cairn/syslib.h"

/* VM's copy of the block being parsed, and the string pointers into it:
 * a string is a byte at least, so a block holds fewer than this. */
static char block_copy[EXEC_BLOCK_MAX];
static char *strings[EXEC_BLOCK_MAX];

/* Copies [addr, +len) of vmp's memory into buf, making its pages present
 * as a read by vmp would. EINVAL when the range wraps, EFAULT when it is
 * not all vmp's memory (no region, the kernel's part, page 0) or is
 * device memory, ENOMEM when a page cannot be made present. */
static int copy_in(struct vmproc *vmp, vir_bytes addr, uint32_t len,
	char *buf)
{
	struct tlb_batch tb;
	uint32_t done = 0;
	int err = OK;

	if (len != 0 && addr + (len - 1) < addr)
		return EINVAL;
	if (!user_range_ok(addr, len))
		return EFAULT;
	tlb_init(&tb, vmp->ep);
	while (done < len && err == OK) {
		vir_bytes va = addr + done;
		uint32_t off = va & VM_PAGE_MASK, n = VM_PAGE_SIZE - off, pte;
		struct region *r = region_lookup(&vmp->regions, va);

		if (n > len - done)
			n = len - done;
		if (r == NULL || r->type == MT_PHYS)
			err = EFAULT;	/* reading device registers has effects */
		else if ((err = fault_make_present(vmp, va, 0, &tb)) != OK)
			err = err == ENOMEM ? ENOMEM : EFAULT;
		else if (pt_lookup(vmp->pgdir, va, &pte) != OK)
			err = EFAULT;
		else
			memcpy(buf + done, (const uint8_t *)frame_map(pte &
				PTE_FRAME) + off, n);
		done += n;
	}
	tlb_flush(&tb);
	return err;
}

/* Splits the block into its strings: strings[0] the name, then argv and
 * envp; every string ends inside the block and the last at its end. */
static int parse_block(uint32_t len, struct image_args *a)
{
	struct exec_block_head head;
	uint32_t pos = sizeof head, count;

	memcpy(&head, block_copy, sizeof head);
	if (head.argc > EXEC_BLOCK_MAX || head.envc > EXEC_BLOCK_MAX ||
	    head.argc + head.envc + 1 > EXEC_BLOCK_MAX - sizeof head)
		return E2BIG;	/* more strings than bytes */
	if (head.argc == 0)
		return EINVAL;	/* argv[0] is every program's own name */
	count = 1 + head.argc + head.envc;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t end = pos;

		while (end < len && block_copy[end] != '\0')
			end++;
		if (end >= len)
			return EINVAL;	/* no NUL before the end */
		strings[i] = block_copy + pos;
		pos = end + 1;
	}
	if (pos != len || strings[0][0] == '\0')
		return EINVAL;
	a->argc = (int)head.argc;
	a->argv = strings + 1;
	a->envc = (int)head.envc;
	a->envp = strings + 1 + head.argc;
	return image_args_fit(a) ? OK : E2BIG;
}

/* Other processes' shared regions of ep's memory (grants, safemap)
 * keep the pages they fetched; the rest of the old memory is gone, and
 * the new image's is not theirs: an unfetched page is now a fault, as
 * after an exit, and ep's new grant ids revoke nothing of theirs. */
static void cut_sharers(endpoint_t ep)
{
	for (struct vmproc *vmp = vmproc_next(NULL); vmp != NULL;
	     vmp = vmproc_next(vmp)) {
		for (struct region *r = region_first(&vmp->regions); r != NULL;
		     r = region_next(&vmp->regions, r)) {
			if (r->type != MT_SHARED)
				continue;
			if (r->u.shared.owner == ep)
				r->u.shared.owner = NONE;
			if (r->u.shared.granter == ep)
				r->u.shared.granter = NONE;
		}
	}
}

int exec_process(struct vmproc *vmp, vir_bytes block, uint32_t len)
{
	struct vmproc built = { 0 };
	struct image_args a;
	struct elf_image img;
	const uint8_t *bytes;
	uint32_t size;
	vir_bytes sp;
	int err;

	if (len > EXEC_BLOCK_MAX)
		return E2BIG;
	if (len < sizeof(struct exec_block_head))
		return EINVAL;
	if ((err = copy_in(vmp, block, len, block_copy)) != OK ||
	    (err = parse_block(len, &a)) != OK ||
	    (err = boot_program_allowed(strings[0])) != OK ||
	    (err = boot_find_program(strings[0], &bytes, &size)) != OK ||
	    (err = image_parse(strings[0], bytes, size, &img)) != OK)
		return err;
	for (size_t i = 0; i + 1 < sizeof built.name && strings[0][i]; i++)
		built.name[i] = strings[0][i];
	region_set_init(&built.regions);
	err = image_build(&built, bytes, &img, &a, &sp);
	if (err == OK)
		err = sys_exec(vmp->ep, built.pgdir, img.entry, sp, built.name);
	if (err != OK) {
		image_discard(&built);
		return err;
	}
	/* The kernel runs it on the new directory; no CPU has the old one
	 * loaded any more. */
	grant_drop_all(vmp->ep);
	cache_drop_owner(vmp->ep);
	cut_sharers(vmp->ep);
	map_free_all(vmp);
	vmp->pgdir = built.pgdir;
	vmp->regions = built.regions;
	vmp->heap_start = built.heap_start;
	vmp->brk = built.brk;
	memcpy(vmp->name, built.name, sizeof vmp->name);
	return OK;
}

void exec_request(const message *m)
{
	const struct vm_exec *e = &m->u.vm_exec;
	struct vmproc *vmp;
	int r;

	if (!reply_unless_pm(m))
		return;
	vmp = vmproc_lookup(e->ep);
	if (e->ep == PM_ENDPOINT || e->ep == VM_ENDPOINT)
		r = EPERM;
	else if (vmp == NULL)
		r = ESRCH;
	else
		r = exec_process(vmp, e->block, e->len);
	reply_to(PM_ENDPOINT, r, 0, 0);
}

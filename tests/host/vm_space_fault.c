/*
 * Page faults and the kernel's memory requests: a stack fault maps a zero
 * page, bad faults kill the process alone, out of memory is an error; brk,
 * and requests from processes VM does not know.
 */
#include "check.h"
#include "tests/host/vm_space.h"

TEST(vm_space, stack_fault_maps_a_zero_page)
{
	struct vmproc *vmp = boot_one("utest");
	/* Below the 4 MiB of the top page: it needs a new page table. */
	vir_bytes va = USER_STACK_TOP - 0x500000 + 0x123;
	uint32_t before = free_now();

	pagefault(vmp, va, 0x4);		/* user read, not present */
	CHECK_EQ(k.clears, 1);
	CHECK_EQ(k.clear_ep, vmp->ep);
	CHECK_EQ(k.exits, 0);
	CHECK_EQ(*pte_of(vmp, va) & 0xfff, PTE_P | PTE_U | PTE_W);
	for (uint32_t i = 0; i < PG; i++)
		if (user_ptr(vmp, page_trunc(va))[i] != 0)
			FAILF("byte %u of the new page is not zero", i);
	/* A page table and the page. */
	CHECK_EQ(free_now(), before - 2);
	/* Again (a second CPU, say): nothing new. */
	pagefault(vmp, va, 0x6);
	CHECK_EQ(k.clears, 2);
	CHECK_EQ(free_now(), before - 2);
	exit_and_check(vmp);
}

TEST(vm_space, bad_faults_kill_the_process)
{
	struct vmproc *vmp = boot_one("utest");
	endpoint_t ep = vmp->ep;

	/* A write to the text: the kernel stops it for its manager (PM),
	 * and VM keeps its memory until PM has it ended. */
	pagefault(vmp, 0x08048010, 0x7);
	CHECK_EQ(k.clears, 0);
	CHECK_EQ(k.kills, 1);
	CHECK_EQ(k.kill_ep, ep);
	CHECK_EQ(k.kill_status, EFAULT);
	CHECK_EQ(k.exits, 0);
	CHECK(vmproc_lookup(ep) == vmp);
	CHECK_EQ(vmp->manager, PM_ENDPOINT);
	/* RS manages services only: refused, nothing ended. */
	end_by(RS_ENDPOINT, ep);
	CHECK_EQ(k.exits, 0);
	CHECK(vmproc_lookup(ep) == vmp);
	end_by(PM_ENDPOINT, ep);
	CHECK_EQ(k.exits, 1);
	CHECK_EQ(k.exit_ep, ep);
	CHECK(vmproc_lookup(ep) == NULL);
	CHECK_EQ(free_now(), boot_stats.free);

	/* Outside every region (the empty heap included). */
	vmp = boot_one("utest");
	ep = vmp->ep;
	pagefault(vmp, vmp->heap_start, 0x6);
	CHECK_EQ(k.kills, 1);
	CHECK_EQ(k.kill_status, EFAULT);
	end_by(PM_ENDPOINT, ep);
	CHECK_EQ(free_now(), boot_stats.free);

	/* A fault for a process VM does not know is only reported. */
	message m = { 0 };
	m.m_source = ep;
	m.m_type = VM_PAGEFAULT;
	fault_pagefault(&m);
	CHECK_EQ(k.kills, 1);
	CHECK_EQ(k.exits, 1);
	CHECK_EQ(k.clears, 0);
}

TEST(vm_space, out_of_memory_is_an_error)
{
	struct vmproc *vmp = boot_one("utest");
	phys_bytes got[4096];
	uint32_t n = 0;

	while ((got[n] = frame_alloc(PMEM_USER)) != 0)
		n++;
	CHECK_EQ(fault_make_present(vmp, USER_STACK_TOP - 0x20000, 1, &tb),
		ENOMEM);
	while (n)
		frame_free(got[--n]);
	CHECK_EQ(fault_make_present(vmp, USER_STACK_TOP - 0x20000, 1, &tb), OK);
	exit_and_check(vmp);
}

TEST(vm_space, memory_requests)
{
	struct vmproc *vmp = boot_one("utest");
	vir_bytes s = USER_STACK_TOP - 0x5000;

	k.nreqs = 7;
	/* Three stack pages, writable. */
	k.req[0] = (struct vmctl_memreq){ vmp->ep, s + 0x800, 0x2000, 1,
		vmp->ep };
	/* Text for reading: fine; for writing: EFAULT. */
	k.req[1] = (struct vmctl_memreq){ vmp->ep, 0x08048000, 0x10, 0,
		vmp->ep };
	k.req[2] = (struct vmctl_memreq){ vmp->ep, 0x08048000, 0x10, 1,
		vmp->ep };
	/* Running off the data into the empty heap. */
	k.req[3] = (struct vmctl_memreq){ vmp->ep, 0x0804b000, 0x1001, 1,
		vmp->ep };
	/* Nobody, and a range that wraps. */
	k.req[4] = (struct vmctl_memreq){ make_endpoint(7, 9), s, 1, 0,
		make_endpoint(7, 9) };
	k.req[5] = (struct vmctl_memreq){ vmp->ep, 0xfffff000u, 0x2000, 0,
		vmp->ep };
	/* A copy through a grant: the memory is vmp's (the granter), the
	 * answer goes to whoever copies. */
	k.req[6] = (struct vmctl_memreq){ make_endpoint(7, 9),
		s + 0x4000, 0x10, 1, vmp->ep };
	fault_memreqs();
	CHECK_EQ(k.replies, 7);
	CHECK_EQ(k.reply_result[0], OK);
	CHECK_EQ(k.reply_ep[0], vmp->ep);
	CHECK(user_ptr(vmp, s) != NULL);
	CHECK(user_ptr(vmp, s + 0x2000) != NULL);
	CHECK(user_ptr(vmp, s + 0x3000) == NULL);
	CHECK_EQ(k.reply_result[1], OK);
	CHECK_EQ(k.reply_result[2], EFAULT);
	CHECK_EQ(k.reply_result[3], EFAULT);
	CHECK_EQ(k.reply_result[4], EFAULT);
	CHECK_EQ(k.reply_ep[4], make_endpoint(7, 9));
	CHECK_EQ(k.reply_result[5], EFAULT);
	CHECK_EQ(k.reply_result[6], OK);
	CHECK_EQ(k.reply_ep[6], make_endpoint(7, 9));
	CHECK(user_ptr(vmp, s + 0x4000) != NULL);
	/* No kill for a failed request: the kernel returns the error. */
	CHECK_EQ(k.exits, 0);
	/* Zero length is always fine. */
	CHECK_EQ(fault_make_range_present(vmp, 0, 0, 1), OK);
	exit_and_check(vmp);
}

TEST(vm_space, brk_grows_and_shrinks)
{
	struct vmproc *vmp = boot_one("utest");
	vir_bytes h = vmp->heap_start;

	CHECK_EQ(brk_to(vmp, h + 0x2500), OK);
	CHECK_EQ(k.sent.u.reply.value[0], h + 0x2500);
	CHECK_EQ(vmp->brk, h + 0x2500);
	/* The heap's pages come on first touch, up to the rounded end. */
	CHECK_EQ(fault_make_present(vmp, h, 1, &tb), OK);
	CHECK_EQ(fault_make_present(vmp, h + 0x2fff, 1, &tb), OK);
	CHECK_EQ(fault_make_present(vmp, h + 0x3000, 0, &tb), FAULT_NOREGION);
	/* Shrinking frees the pages past the end and flushes just those. */
	k.invlpgs = 0;
	CHECK_EQ(brk_to(vmp, h + 0x1000), OK);
	/* One page: a run of one, which goes as a range (vm/tlb.c). */
	CHECK_EQ(k.invlpg_lists, 0);
	CHECK_EQ(k.invlpgs, 1);
	CHECK_EQ_U(k.invlpg_addr, h + 0x2000);
	CHECK_EQ(k.invlpg_pages, 1);
	CHECK(user_ptr(vmp, h + 0x2000) == NULL);
	CHECK(user_ptr(vmp, h) != NULL);
	CHECK_EQ(fault_make_present(vmp, h + 0x1000, 0, &tb), FAULT_NOREGION);
	/* Below the heap; into the stack; and back to empty. */
	CHECK_EQ(brk_to(vmp, h - 1), EINVAL);
	CHECK_EQ(brk_to(vmp, USER_STACK_TOP - USER_STACK_SIZE + 1), ENOMEM);
	CHECK_EQ(vmp->brk, h + 0x1000);
	CHECK_EQ(brk_to(vmp, USER_STACK_TOP - USER_STACK_SIZE), OK);
	CHECK_EQ(brk_to(vmp, h), OK);
	CHECK_EQ(k.invlpg_lists, 0);
	CHECK_EQ(k.invlpgs, 2);
	CHECK_EQ_U(k.invlpg_addr, h);
	CHECK_EQ(k.invlpg_pages, 1);
	CHECK(user_ptr(vmp, h) == NULL);
	exit_and_check(vmp);
}

TEST(vm_space, requests_from_strangers)
{
	struct vmproc *vmp = boot_one("utest");
	message m = { 0 };

	/* brk from an unknown endpoint gets EINVAL, not a crash. */
	m.m_source = make_endpoint(3, 40);
	m.m_type = VM_BRK;
	m.u.vm_brk.addr = 0x10000000;
	brk_request(&m);
	CHECK_EQ(k.sends, 1);
	CHECK_EQ(k.sent.u.reply.status, EINVAL);
	/* A stale endpoint of a live slot is a stranger too. */
	m.m_source = make_endpoint(2, endpoint_slot(vmp->ep));
	m.m_type = VM_EXIT;
	exit_request(&m);
	CHECK_EQ(k.exits, 0);
	CHECK(vmproc_lookup(vmp->ep) == vmp);
	exit_and_check(vmp);
}

/*
 * Memory types and sharing: fork's copy-on-write pages, block reference
 * counts, mmap merging and partial munmap, contiguous and physical
 * memory, grants, and out of memory leaving nothing behind.
 */
#include "check.h"
#include "tests/host/vm_space.h"

TEST(vm_mem, fork_shares_pages_copy_on_write)
{
	struct vmproc *parent = boot_one("utest"), *child;
	vir_bytes data = 0x08049800;
	uint32_t frame, before;

	pagefault(parent, data, 0x6);	/* already present: writable */
	user_ptr(parent, data)[0] = 0x11;
	child = do_fork(parent);
	CHECK(child != NULL);
	CHECK(child != parent);
	frame = frame_of(parent, data);
	CHECK_EQ_U(frame_of(child, data), frame);
	/* Both read-only now; the parent's downgrade was one call. */
	CHECK_EQ(pte_bits(parent, data), PTE_P | PTE_U);
	CHECK_EQ(pte_bits(child, data), PTE_P | PTE_U);
	CHECK_EQ(k.invlpg_lists, 1);
	CHECK_EQ(k.invlpg_list_ep, parent->ep);
	/* The text stays as it was, shared, with no downgrade. */
	CHECK_EQ_U(frame_of(child, 0x08048000), frame_of(parent, 0x08048000));
	/* The parent writes: a private copy, its old mapping invalidated
	 * in the same call that lets it go on. */
	before = free_now();
	pagefault(parent, data, 0x7);
	CHECK_EQ(k.clear_invl_pages, 1);
	CHECK_EQ_U(k.clear_invl_addr, page_trunc(data));
	CHECK(frame_of(parent, data) != frame);
	CHECK_EQ(pte_bits(parent, data), PTE_P | PTE_U | PTE_W);
	CHECK_EQ(user_ptr(parent, data)[0], 0x11);
	CHECK_EQ(free_now(), before - 1);
	user_ptr(parent, data)[0] = 0x22;
	CHECK_EQ(user_ptr(child, data)[0], 0x11);
	/* The child is now the only holder: writable without a copy. */
	before = free_now();
	k.clear_invl_pages = 0;
	pagefault(child, data, 0x7);
	CHECK_EQ(free_now(), before);
	CHECK_EQ(k.clear_invl_pages, 0);
	CHECK_EQ_U(frame_of(child, data), frame);
	CHECK_EQ(pte_bits(child, data), PTE_P | PTE_U | PTE_W);
	exit_proc(child);
	exit_and_check(parent);
}

TEST(vm_mem, block_references_cannot_overflow)
{
	struct phys_block *pb;

	boot_vm();
	pb = pb_new(frame_alloc(PMEM_USER), 0);
	CHECK(pb != NULL);
	pb->refs = PB_REFS_MAX - 1;
	CHECK_EQ(pb_ref(pb), OK);
	CHECK_EQ(pb_ref(pb), EOVERFLOW);
	CHECK_EQ(pb->refs, PB_REFS_MAX);
	pb->refs = 1;
	pb_unref(pb);
	CHECK_EQ(free_now(), boot_stats.free);
}

TEST(vm_mem, mmap_merge_and_partial_munmap)
{
	struct vmproc *vmp = boot_one("utest");
	vir_bytes a, b;
	uint32_t regions = region_count(&vmp->regions), before = free_now();

	CHECK_EQ(do_mmap(vmp, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_ANON,
		&a), OK);
	CHECK_EQ(a % PG, 0);
	/* The next one continues the same region. */
	CHECK_EQ(do_mmap(vmp, 0, PG, PROT_READ | PROT_WRITE, MAP_ANON, &b),
		OK);
	CHECK_EQ_U(b, a + 2 * PG);
	CHECK_EQ(region_count(&vmp->regions), regions + 1);
	for (int i = 0; i < 3; i++) {
		pagefault(vmp, a + i * PG, 0x6);
		user_ptr(vmp, a + i * PG)[5] = (uint8_t)(0x40 + i);
	}
	/* The middle page goes: two regions, the outer pages keep their
	 * bytes, one invalidation. */
	k.invlpg_lists = 0;
	k.invlpgs = 0;
	CHECK_EQ(do_munmap(vmp, a + PG, PG), OK);
	CHECK_EQ(region_count(&vmp->regions), regions + 2);
	/* One page: one run, which goes as a range (vm/tlb.c). */
	CHECK_EQ(k.invlpg_lists + k.invlpgs, 1);
	CHECK_EQ_U(k.invlpg_addr, a + PG);
	CHECK_EQ(k.invlpg_pages, 1);
	CHECK(user_ptr(vmp, a + PG) == NULL);
	CHECK_EQ(user_ptr(vmp, a)[5], 0x40);
	CHECK_EQ(user_ptr(vmp, a + 2 * PG)[5], 0x42);
	CHECK_EQ(fault_make_present(vmp, a + PG, 0, &tb), FAULT_NOREGION);
	/* Unmapping nothing is fine; bad ranges are not. */
	CHECK_EQ(do_munmap(vmp, a + PG, PG), OK);
	CHECK_EQ(do_munmap(vmp, a + 1, PG), EINVAL);
	CHECK_EQ(do_munmap(vmp, a, 0), EINVAL);
	CHECK_EQ(do_munmap(vmp, 0xfffff000u, 2 * PG), EINVAL);
	CHECK_EQ(do_munmap(vmp, a, 3 * PG), OK);
	CHECK_EQ(region_count(&vmp->regions), regions);
	CHECK_EQ(free_now(), before - 1);	/* the page table stays */
	/* MAP_FIXED over a present page replaces it with zero fill. */
	CHECK_EQ(do_mmap(vmp, a, PG, PROT_READ | PROT_WRITE, MAP_ANON, &b),
		OK);
	pagefault(vmp, a, 0x6);
	user_ptr(vmp, a)[0] = 9;
	CHECK_EQ(do_mmap(vmp, a, PG, PROT_READ, MAP_ANON | MAP_FIXED, &b), OK);
	CHECK_EQ_U(b, a);
	CHECK(user_ptr(vmp, a) == NULL);
	pagefault(vmp, a, 0x4);
	CHECK_EQ(user_ptr(vmp, a)[0], 0);
	CHECK_EQ(do_mmap(vmp, 0, 0, PROT_READ, MAP_ANON, &b), EINVAL);
	CHECK_EQ(do_mmap(vmp, a + 1, PG, PROT_READ, MAP_ANON | MAP_FIXED, &b),
		EINVAL);
	CHECK_EQ(do_mmap(vmp, 0, PG, PROT_READ, 0x8000, &b), EINVAL);
	exit_and_check(vmp);
}

TEST(vm_mem, contiguous_and_physical)
{
	struct vmproc *vmp = boot_one("utest");
	message m = { 0 };
	const struct mess_reply *r;
	vir_bytes a;

	m.m_type = VM_MMAP;
	m.u.vm_mmap = (struct vm_mmap){ .len = 4 * PG, .prot = PROT_WRITE,
		.flags = MAP_CONTIG | MAP_LOWER16M, .align = 0x10000 };
	r = vm_request(vmp->ep, &m, mmap_request);
	CHECK_EQ(r->status, OK);
	a = r->value[0];
	CHECK_EQ(frame_of(vmp, a) % 0x10000, 0);
	for (int i = 1; i < 4; i++)
		CHECK_EQ_U(frame_of(vmp, a + i * PG), frame_of(vmp, a) + i * PG);
	CHECK_LT(frame_of(vmp, a + 3 * PG), 0x1000000);
	/* Contiguous memory cannot grow; a bad alignment is refused. */
	m.u.vm_mmap.align = 0x3000;
	CHECK_EQ(vm_request(vmp->ep, &m, mmap_request)->status, EINVAL);
	/* Direct physical: a driver's right only, never VM's RAM. */
	m.u.vm_mmap = (struct vm_mmap){ .len = PG, .prot = PROT_WRITE,
		.flags = MAP_PHYS, .phys = 0xFEB00000u };
	CHECK_EQ(vm_request(vmp->ep, &m, mmap_request)->status, EPERM);
	vmp->flags |= VMP_MAYPHYS;
	r = vm_request(vmp->ep, &m, mmap_request);
	CHECK_EQ(r->status, OK);
	CHECK_EQ_U(frame_of(vmp, r->value[0]), 0xFEB00000u);
	m.u.vm_mmap.phys = 5 * MiB;
	CHECK_EQ(vm_request(vmp->ep, &m, mmap_request)->status, EPERM);
	/* Nor RAM VM does not manage (the first MiB), nor the kernel. */
	m.u.vm_mmap.phys = 0x9e000;
	CHECK_EQ(vm_request(vmp->ep, &m, mmap_request)->status, EPERM);
	m.u.vm_mmap.phys = 0x4007f000u;
	CHECK_EQ(vm_request(vmp->ep, &m, mmap_request)->status, EPERM);
	m.u.vm_mmap.phys = 0x40080000u;		/* just past it: a device */
	r = vm_request(vmp->ep, &m, mmap_request);
	CHECK_EQ(r->status, OK);
	CHECK_EQ_U(frame_of(vmp, r->value[0]), 0x40080000u);
	/* A fork copies contiguous memory into a run of its own. */
	struct vmproc *child = do_fork(vmp);
	CHECK(frame_of(child, a) != frame_of(vmp, a));
	CHECK_EQ_U(frame_of(child, a + PG), frame_of(child, a) + PG);
	exit_proc(child);
	exit_and_check(vmp);
}

TEST(vm_mem, grants_share_pages)
{
	struct vmproc *owner, *other;
	message m = { 0 };
	const struct mess_reply *r;
	vir_bytes a, b;
	uint32_t id;

	boot_vm();
	add_module("utest", 0);
	add_module("utest", 0);
	CHECK_EQ(boot_start_programs(&ki), 2);
	owner = vmproc_lookup(k.np[0].endpoint);
	other = vmproc_lookup(k.np[1].endpoint);
	CHECK_EQ(do_mmap(owner, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_ANON,
		&a), OK);
	m.m_type = VM_GRANT;
	m.u.vm_grant = (struct vm_grant){ a, 2 * PG, other->ep,
		PROT_READ | PROT_WRITE, 0 };
	r = vm_request(owner->ep, &m, grant_request);
	CHECK_EQ(r->status, OK);
	id = r->value[0];
	m.m_type = VM_MMAP;
	m.u.vm_mmap = (struct vm_mmap){ .len = 2 * PG,
		.prot = PROT_READ | PROT_WRITE, .flags = MAP_SHARED,
		.owner = owner->ep, .grant = id };
	r = vm_request(other->ep, &m, mmap_request);
	CHECK_EQ(r->status, OK);
	b = r->value[0];
	/* The owner's page did not exist: the grantee's touch makes it. */
	pagefault(other, b + PG, 0x6);
	CHECK(frame_of(other, b + PG) != 0);
	CHECK_EQ_U(frame_of(other, b + PG), frame_of(owner, a + PG));
	CHECK_EQ(pte_bits(other, b + PG), PTE_P | PTE_U | PTE_W);
	CHECK_EQ(pte_bits(owner, a + PG), PTE_P | PTE_U | PTE_W);
	/* Someone else may not use the grant; revoked, nobody may. */
	r = vm_request(owner->ep, &m, mmap_request);
	CHECK_EQ(r->status, EPERM);
	m.m_type = VM_REVOKE;
	m.u.vm_grant.id = id;
	CHECK_EQ(vm_request(owner->ep, &m, revoke_request)->status, OK);
	m.m_type = VM_MMAP;
	CHECK_EQ(vm_request(other->ep, &m, mmap_request)->status, EPERM);
	/* A fork of the owner keeps the shared page shared and writable. */
	struct vmproc *child = do_fork(owner);
	CHECK_EQ_U(frame_of(child, a + PG), frame_of(owner, a + PG));
	CHECK_EQ(pte_bits(owner, a + PG), PTE_P | PTE_U | PTE_W);
	exit_proc(child);
	/* The owner goes; the grantee's page lives on until it goes too. */
	exit_proc(owner);
	CHECK(frame_of(other, b + PG) != 0);
	exit_and_check(other);
}


TEST(vm_mem, out_of_memory_leaves_nothing_behind)
{
	struct vmproc *vmp = boot_one("utest");
	uint32_t before = free_now();
	vir_bytes a;

	/* More than there is, present at once: refused whole. */
	CHECK_EQ(do_mmap(vmp, 0, 32 * MiB, PROT_READ | PROT_WRITE,
		MAP_ANON | MAP_PREALLOC, &a), ENOMEM);
	/* Only page tables stay (until exit): one per 4 MiB touched. */
	CHECK_GE(free_now(), before - 8);
	CHECK_EQ(do_mmap(vmp, 0, 64 * PG, PROT_READ | PROT_WRITE,
		MAP_ANON | MAP_PREALLOC, &a), OK);
	CHECK(frame_of(vmp, a + 63 * PG) != 0);
	/* A fault with no memory left kills the process, ENOMEM. */
	phys_bytes got[4096];
	uint32_t n = 0;
	while ((got[n] = frame_alloc(PMEM_USER)) != 0)
		n++;
	pagefault(vmp, USER_STACK_TOP - 0x3000, 0x6);
	CHECK_EQ(k.kills, 1);
	CHECK_EQ(k.kill_status, ENOMEM);
	end_by(PM_ENDPOINT, vmp->ep);
	CHECK_EQ(k.exits, 1);
	while (n)
		frame_free(got[--n]);
	CHECK_EQ(free_now(), boot_stats.free);
}

/*
 * VM_EXEC on the host: the block read from the caller's memory, the new
 * space built beside the old one and handed to the kernel (sys_exec
 * stubbed), the old one freed only then; every refusal and every point
 * where memory runs out leaves the caller as it was and no frame taken.
 */
#include "check.h"
#include "tests/host/vm_space.h"
#include "vm/exec.h"

#define BLOCK_VA	(USER_STACK_TOP - 0x3000)

/* Boots "utest" (the caller), "other" and a module that is not ELF. */
static struct vmproc *boot_three(void)
{
	boot_vm();
	add_module("utest role=server", 0);
	add_module("other", 0);
	add_module("junk", 0x800);
	CHECK_EQ(boot_start_programs(&ki), 2);
	return vmproc_lookup(k.np[0].endpoint);
}

/* Packs head, name, argv, envp at BLOCK_VA of vmp; returns the length. */
static uint32_t put_block(struct vmproc *vmp, const char *name, int argc,
	const char *const *argv, int envc, const char *const *envp)
{
	struct exec_block_head head = { (uint32_t)argc, (uint32_t)envc };
	uint8_t *p;
	uint32_t pos = sizeof head;

	CHECK_EQ(fault_make_present(vmp, BLOCK_VA, 1, &tb), OK);
	CHECK_EQ(fault_make_present(vmp, BLOCK_VA + PG, 1, &tb), OK);
	p = user_ptr(vmp, BLOCK_VA);
	memcpy(p, &head, sizeof head);
	strcpy((char *)p + pos, name);
	pos += (uint32_t)strlen(name) + 1;
	for (int i = 0; i < argc; i++, pos += (uint32_t)strlen(argv[i - 1]) + 1)
		strcpy((char *)p + pos, argv[i]);
	for (int i = 0; i < envc; i++, pos += (uint32_t)strlen(envp[i - 1]) + 1)
		strcpy((char *)p + pos, envp[i]);
	return pos;
}

static const char *const args[] = { "other", "x=1", "role=main" };
static const char *const env[] = { "HOME=/", "TERM=cairn" };

TEST(vm_space, exec_builds_the_new_space_then_frees_the_old)
{
	struct vmproc *vmp = boot_three();
	endpoint_t ep = vmp->ep;
	phys_bytes old_pgdir = vmp->pgdir;
	uint32_t len = put_block(vmp, "other", 3, args, 2, env), *w;
	uint32_t regions = region_count(&vmp->regions);
	message m = request(PM_ENDPOINT, VM_EXEC);

	m.u.vm_exec.ep = ep;
	m.u.vm_exec.block = BLOCK_VA;
	m.u.vm_exec.len = len;
	served(exec_request, &m);
	CHECK_EQ(k.sent.u.reply.status, OK);
	CHECK_EQ(k.execs, 1);
	CHECK_EQ(k.exec_ep, ep);
	CHECK(k.exec_pgdir != old_pgdir && k.exec_pgdir == vmp->pgdir);
	CHECK_EQ_U(k.exec_entry, 0x08048100);
	CHECK_STR(k.exec_name, "other");
	CHECK_STR(vmp->name, "other");
	CHECK(vmproc_lookup(ep) == vmp);
	/* The block's page is gone with the old stack: two segments' worth
	 * of regions, heap and stack, as a fresh boot program has. */
	CHECK(region_count(&vmp->regions) <= regions);
	CHECK(user_ptr(vmp, BLOCK_VA) == NULL);
	w = (uint32_t *)user_ptr(vmp, k.exec_stack);
	CHECK_EQ(k.exec_stack % 16, 0);
	CHECK_EQ(w[0], 3);
	CHECK_STR((char *)user_ptr(vmp, w[1]), "other");
	CHECK_STR((char *)user_ptr(vmp, w[2]), "x=1");
	CHECK_STR((char *)user_ptr(vmp, w[3]), "role=main");
	CHECK_EQ(w[4], 0);
	CHECK_STR((char *)user_ptr(vmp, w[5]), "HOME=/");
	CHECK_STR((char *)user_ptr(vmp, w[6]), "TERM=cairn");
	CHECK_EQ(w[7], 0);
	CHECK_EQ(user_ptr(vmp, 0x080490f0)[0], 0xcc);	/* the image */
	CHECK_EQ(vmp->heap_start, vmp->brk);
	/* Exactly a fresh program's pages: ending it gives all back. */
	exit_proc(vmproc_lookup(k.np[1].endpoint));
	exit_and_check(vmp);
	drain_exit_queue();
}

/* exec_request's answer for a block at addr of len bytes. */
static int exec_status(struct vmproc *vmp, vir_bytes addr, uint32_t len)
{
	message m = request(PM_ENDPOINT, VM_EXEC);

	m.u.vm_exec.ep = vmp->ep;
	m.u.vm_exec.block = addr;
	m.u.vm_exec.len = len;
	served(exec_request, &m);
	return k.sent.u.reply.status;
}

TEST(vm_space, exec_refusals_change_nothing)
{
	struct vmproc *vmp = boot_three();
	static const char *const one[] = { "x" };
	const char *many[1200];
	phys_bytes pgdir = vmp->pgdir;
	uint32_t len, before, regions;
	message m;

	len = put_block(vmp, "other", 3, args, 2, env);
	before = free_now();
	regions = region_count(&vmp->regions);
	/* Not from PM; PM or VM as the target; unknown process. */
	m = request(vmp->ep, VM_EXEC);
	m.u.vm_exec.ep = vmp->ep;
	served(exec_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EPERM);
	m = request(PM_ENDPOINT, VM_EXEC);
	m.u.vm_exec.ep = PM_ENDPOINT;
	served(exec_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EPERM);
	m.u.vm_exec.ep = make_endpoint(7, 99);
	served(exec_request, &m);
	CHECK_EQ(k.sent.u.reply.status, ESRCH);
	/* Ranges: too big first, then wrap, then outside its memory. */
	CHECK_EQ(exec_status(vmp, BLOCK_VA, EXEC_BLOCK_MAX + 1), E2BIG);
	CHECK_EQ(exec_status(vmp, 0, 0xffffffffu), E2BIG);
	CHECK_EQ(exec_status(vmp, 0xfffff800u, 0x1000), EINVAL);
	CHECK_EQ(exec_status(vmp, 0, 64), EFAULT);
	CHECK_EQ(exec_status(vmp, 0xF0000000u, 64), EFAULT);
	CHECK_EQ(exec_status(vmp, 0x20000000u, 64), EFAULT);	/* no region */
	CHECK_EQ(exec_status(vmp, BLOCK_VA, 0), EINVAL);
	/* Blocks that do not hold what their head says. */
	CHECK_EQ(exec_status(vmp, BLOCK_VA, len - 1), EINVAL);	/* no NUL */
	CHECK_EQ(exec_status(vmp, BLOCK_VA, len + 1), EINVAL);	/* extra */
	len = put_block(vmp, "other", 0, NULL, 0, NULL);
	CHECK_EQ(exec_status(vmp, BLOCK_VA, len), EINVAL);	/* no argv[0] */
	len = put_block(vmp, "", 1, one, 0, NULL);
	CHECK_EQ(exec_status(vmp, BLOCK_VA, len), EINVAL);	/* no name */
	/* Programs: none such, PM, not ELF. */
	len = put_block(vmp, "nosuch", 1, one, 0, NULL);
	CHECK_EQ(exec_status(vmp, BLOCK_VA, len), ENOENT);
	len = put_block(vmp, "pm", 1, one, 0, NULL);
	CHECK_EQ(exec_status(vmp, BLOCK_VA, len), EPERM);
	len = put_block(vmp, "vm", 1, one, 0, NULL);
	CHECK_EQ(exec_status(vmp, BLOCK_VA, len), ENOENT);
	len = put_block(vmp, "junk", 1, one, 0, NULL);
	CHECK_EQ(exec_status(vmp, BLOCK_VA, len), ENOEXEC);
	/* Too many arguments for the stack page (each string a byte and
	 * a pointer: 900 of them pass 4 KiB), and a head that claims more
	 * strings than a block has bytes. */
	for (int i = 0; i < 900; i++)
		many[i] = "";
	many[0] = "other";
	len = put_block(vmp, "other", 900, many, 0, NULL);
	CHECK(len <= EXEC_BLOCK_MAX);
	CHECK_EQ(exec_status(vmp, BLOCK_VA, len), E2BIG);
	len = put_block(vmp, "other", 1, one, 0, NULL);
	((struct exec_block_head *)user_ptr(vmp, BLOCK_VA))->envc = 0x10000;
	CHECK_EQ(exec_status(vmp, BLOCK_VA, len), E2BIG);
	/* The kernel refuses: the built space goes again. */
	len = put_block(vmp, "other", 3, args, 2, env);
	k.exec_error = EINVAL;
	CHECK_EQ(exec_status(vmp, BLOCK_VA, len), EINVAL);
	k.exec_error = OK;
	CHECK_EQ(k.execs, 1);
	CHECK_EQ(vmp->pgdir, pgdir);
	CHECK_EQ(region_count(&vmp->regions), regions);
	CHECK_STR(vmp->name, "utest");
	CHECK_EQ(free_now(), before);
	exit_proc(vmproc_lookup(k.np[1].endpoint));
	exit_and_check(vmp);
	drain_exit_queue();
}

/* Out of memory at every point of the build, by leaving `left` frames
 * free: each attempt is ENOMEM with every frame back, until enough are
 * left and it succeeds. */
TEST(vm_space, exec_out_of_memory_at_every_step)
{
	struct vmproc *vmp = boot_three();
	static phys_bytes got[4096];
	uint32_t len = put_block(vmp, "other", 3, args, 2, env);
	uint32_t before = free_now(), left, failures = 0;
	int r = ENOMEM;

	for (left = 0; left < 64 && r == ENOMEM; left++) {
		uint32_t n = 0;

		while (free_now() > left &&
		       (got[n] = frame_alloc(PMEM_USER)) != 0)
			n++;
		while (free_now() > left &&
		       (got[n] = frame_alloc(PMEM_PT)) != 0)
			n++;
		CHECK_EQ(free_now(), left);
		r = exec_status(vmp, BLOCK_VA, len);
		if (r == ENOMEM) {
			failures++;
			CHECK_EQ(free_now(), left);
			CHECK_EQ(k.execs, 0);
		}
		while (n)
			frame_free(got[--n]);
		if (r == ENOMEM)
			CHECK_EQ(free_now(), before);
	}
	CHECK_EQ(r, OK);
	CHECK(failures >= 4);	/* directory, table, pages, stack */
	CHECK_EQ(k.execs, 1);
	exit_proc(vmproc_lookup(k.np[1].endpoint));
	exit_and_check(vmp);
	drain_exit_queue();
}

/* Another process's shared view of the caller's memory keeps what it
 * fetched; an unfetched page does not come from the new image. */
TEST(vm_space, exec_cuts_sharers_off)
{
	struct vmproc *vmp = boot_three();
	struct vmproc *peer = vmproc_lookup(k.np[1].endpoint);
	vir_bytes at, pat;
	uint32_t len, gid;
	message m;

	CHECK_EQ(do_mmap(vmp, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_ANON,
		&at), OK);
	CHECK_EQ(fault_make_present(vmp, at, 1, &tb), OK);
	user_ptr(vmp, at)[0] = 0x42;
	m = request(vmp->ep, VM_GRANT);
	m.u.vm_grant.addr = at;
	m.u.vm_grant.len = 2 * PG;
	m.u.vm_grant.grantee = peer->ep;
	m.u.vm_grant.prot = PROT_READ;
	served(grant_request, &m);
	CHECK_EQ(k.sent.u.reply.status, OK);
	gid = k.sent.u.reply.value[0];
	m = request(peer->ep, VM_MMAP);
	m.u.vm_mmap.len = 2 * PG;
	m.u.vm_mmap.prot = PROT_READ;
	m.u.vm_mmap.flags = MAP_SHARED;
	m.u.vm_mmap.owner = vmp->ep;
	m.u.vm_mmap.grant = gid;
	served(mmap_request, &m);
	CHECK_EQ(k.sent.u.reply.status, OK);
	pat = k.sent.u.reply.value[0];
	CHECK_EQ(fault_make_present(peer, pat, 0, &tb), OK);	/* fetched */
	len = put_block(vmp, "other", 3, args, 2, env);
	CHECK_EQ(exec_status(vmp, BLOCK_VA, len), OK);
	CHECK_EQ(user_ptr(peer, pat)[0], 0x42);		/* kept */
	/* The new image has memory where the old one had it shared. */
	CHECK_EQ(do_mmap(vmp, at, 2 * PG, PROT_READ | PROT_WRITE,
		MAP_ANON | MAP_FIXED, &at), OK);
	CHECK_EQ(fault_make_present(vmp, at + PG, 1, &tb), OK);
	user_ptr(vmp, at + PG)[0] = 0x99;
	CHECK_EQ(fault_make_present(peer, pat + PG, 0, &tb), EFAULT);
	CHECK(grant_find(vmp->ep, gid, peer->ep) == NULL);	/* dropped */
	exit_proc(peer);
	exit_and_check(vmp);
	drain_exit_queue();
}

/*
 * PM's requests: exits and the exit queue, ends asked for by PM, the eager
 * fork and its refusals, spawns and their rights.
 */
#include "check.h"
#include "tests/host/vm_space.h"

TEST(vm_space, exits_reach_pm_through_the_queue)
{
	struct vmproc *vmp = boot_one("utest");
	endpoint_t a = vmp->ep, b;
	message m;

	drain_exit_queue();
	k.notifies = 0;
	exit_proc(vmp);			/* its own VM_EXIT, status 3 */
	CHECK_EQ(k.notifies, 1);
	CHECK_EQ(k.notify_ep, PM_ENDPOINT);
	add_module("utest", 0);
	CHECK_EQ(boot_start_programs(&ki), 2);	/* both modules again */
	b = k.np[2].endpoint;
	vmp = vmproc_lookup(b);
	pagefault(vmp, 0xdead0000, 0x6);	/* VM has the kernel stop it */
	CHECK_EQ(k.kills, 1);
	CHECK(vmproc_lookup(b) == vmp);		/* until its manager asks */
	CHECK_EQ(k.notifies, 1);
	/* Ended from the kernel while its manager was gone: VM_EXIT on its
	 * behalf, queued for the manager. */
	exit_proc(vmp);
	CHECK(vmproc_lookup(b) == NULL);
	CHECK_EQ(k.notifies, 2);
	/* Only PM may fetch them, oldest first, then ESRCH. */
	m = request(b, VM_GETEXIT);
	served(exit_getexit_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EPERM);
	m = request(PM_ENDPOINT, VM_GETEXIT);
	served(exit_getexit_request, &m);
	CHECK_EQ(k.sent.u.reply.status, OK);
	CHECK_EQ_U(k.sent.u.reply.value[0], (uint32_t)a);
	CHECK_EQ(k.sent.u.reply.value[1], 3);
	served(exit_getexit_request, &m);
	CHECK_EQ_U(k.sent.u.reply.value[0], (uint32_t)b);
	CHECK_EQ((int32_t)k.sent.u.reply.value[1], 3);
	served(exit_getexit_request, &m);
	CHECK_EQ(k.sent.u.reply.status, ESRCH);
	exit_and_check(vmproc_lookup(k.np[1].endpoint));
	drain_exit_queue();
}

TEST(vm_space, pm_ends_processes_with_a_reply)
{
	struct vmproc *vmp = boot_one("utest");
	endpoint_t ep = vmp->ep;
	message m = request(PM_ENDPOINT, VM_EXIT);

	drain_exit_queue();
	k.notifies = 0;
	m.u.exit.ep = ep;
	m.u.exit.status = 77;
	served(exit_request, &m);
	CHECK_EQ(k.sent.u.reply.status, OK);
	CHECK_EQ(k.exit_ep, ep);
	CHECK_EQ(k.exit_status, 77);
	CHECK(vmproc_lookup(ep) == NULL);
	CHECK_EQ(free_now(), boot_stats.free);
	CHECK_EQ(k.notifies, 0);	/* PM knows already: not queued */
	served(exit_request, &m);	/* again: gone */
	CHECK_EQ(k.sent.u.reply.status, ESRCH);
	m.u.exit.ep = PM_ENDPOINT;
	served(exit_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EINVAL);
	m.u.exit.ep = VM_ENDPOINT;
	served(exit_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EINVAL);
	CHECK_EQ(k.exits, 1);
}

TEST(vm_space, fork_copies_every_present_page)
{
	struct vmproc *p = boot_one("utest role=x"), *c;
	vir_bytes h = p->heap_start, s = USER_STACK_TOP - 0x3000;
	uint32_t before;

	CHECK_EQ(brk_to(p, h + 0x3000), OK);
	CHECK_EQ(fault_make_present(p, h + 0x1000, 1, &tb), OK);
	CHECK_EQ(fault_make_present(p, s, 1, &tb), OK);
	user_ptr(p, h + 0x1000)[5] = 0x11;
	user_ptr(p, s)[7] = 0x22;
	user_ptr(p, 0x08049800)[0] = 0x33;	/* data: a file page */
	before = free_now();
	c = fork_of(p);
	CHECK(c != NULL);
	CHECK_EQ(k.forks, 1);
	CHECK_EQ(k.fork_parent, p->ep);
	CHECK_EQ_U(k.fork_pgdir, c->pgdir);
	CHECK(c->pgdir != p->pgdir);
	CHECK_STR(c->name, "utest");
	CHECK_EQ(c->heap_start, h);
	CHECK_EQ(c->brk, h + 0x3000);
	CHECK_EQ(region_count(&c->regions), region_count(&p->regions));
	CHECK_EQ_U(region_at(&c->regions, h)->length, 0x3000);
	CHECK_EQ(region_at(&c->regions, h)->flags, REGION_WRITE | REGION_HEAP);
	/* The same pages, shared copy-on-write: read-only on both sides. */
	static const vir_bytes pages[] = { 0x08048000, 0x08049000, 0x0804a000,
		0x0804b000, 0x0804d000, USER_STACK_TOP - 0x3000,
		USER_STACK_TOP - 0x1000 };
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		vir_bytes va = pages[i];

		CHECK(user_ptr(c, va) != NULL);
		CHECK(user_ptr(c, va) == user_ptr(p, va));
		CHECK_EQ(*pte_of(c, va) & 0xfff, PTE_P | PTE_U);
		CHECK_EQ(*pte_of(p, va) & 0xfff, PTE_P | PTE_U);
	}
	/* Nothing present in the parent is made present in the child. */
	CHECK(user_ptr(c, h) == NULL);
	CHECK(user_ptr(c, h + 0x2000) == NULL);
	CHECK(user_ptr(c, USER_STACK_TOP - 0x2000) == NULL);
	CHECK_EQ(user_ptr(c, h + 0x1000)[5], 0x11);
	CHECK_EQ(user_ptr(c, s)[7], 0x22);
	CHECK_EQ(user_ptr(c, 0x08049800)[0], 0x33);
	/* A directory and 2 tables (the program, the stack); no page. */
	CHECK_EQ(free_now(), before - 1 - 2);
	/* Each side's writes are its own: the child's first write copies. */
	pagefault(c, h + 0x1000, 0x7);
	CHECK(user_ptr(c, h + 0x1000) != user_ptr(p, h + 0x1000));
	user_ptr(c, h + 0x1000)[5] = 0x44;
	CHECK_EQ(user_ptr(p, h + 0x1000)[5], 0x11);
	CHECK_EQ(free_now(), before - 1 - 2 - 1);
	exit_proc(c);
	CHECK_EQ(free_now(), before);
	exit_and_check(p);
	drain_exit_queue();
}

TEST(vm_space, fork_refusals_leave_nothing_behind)
{
	struct vmproc *p = boot_one("utest");
	message m = request(p->ep, VM_FORK);
	phys_bytes got[4096];
	uint32_t n = 0, before = free_now();

	m.u.vm_fork.parent = p->ep;
	served(fork_request, &m);		/* not from PM */
	CHECK_EQ(k.sent.u.reply.status, EPERM);
	m = request(PM_ENDPOINT, VM_FORK);
	m.u.vm_fork.parent = make_endpoint(5, 77);
	served(fork_request, &m);
	CHECK_EQ(k.sent.u.reply.status, ESRCH);
	CHECK_EQ(k.forks, 0);
	k.fork_error = EINVAL;			/* the kernel says no */
	CHECK(fork_of(p) == NULL);
	CHECK_EQ(k.sent.u.reply.status, EINVAL);
	CHECK_EQ(k.forks, 1);
	CHECK_EQ(free_now(), before);
	k.fork_error = OK;
	/* Out of memory half way through the copy: the child's directory
	 * and first page table fit, its second does not. */
	while ((got[n] = frame_alloc(PMEM_USER)) != 0)
		n++;
	while (free_now() > 2 && (got[n] = frame_alloc(PMEM_PT)) != 0)
		n++;
	CHECK(fork_of(p) == NULL);
	CHECK_EQ(k.sent.u.reply.status, ENOMEM);
	CHECK_EQ(k.forks, 1);
	while (n)
		frame_free(got[--n]);
	CHECK_EQ(free_now(), before);
	exit_and_check(p);
	drain_exit_queue();
}

/* A spawn asked for by the boot's driver (boot program 1 here). */
static void spawn_cmd(message *m, const char *cmd)
{
	*m = request(PM_ENDPOINT, VM_SPAWN);
	memcpy(m->u.vm_spawn.cmd, cmd, strlen(cmd));
	m->u.vm_spawn.parent = k.np[1].endpoint;
}

TEST(vm_space, spawn_starts_a_boot_program_again)
{
	struct vmproc *vmp;
	message m;
	uint32_t *w;

	boot_vm();
	add_module("pm", 0);
	add_module("utest role=main", 0);
	CHECK_EQ(boot_start_programs(&ki), 2);
	spawn_cmd(&m, "utest role=restricted status=4");
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, OK);
	CHECK_EQ(k.newprocs, 3);
	CHECK_EQ_U(k.sent.u.reply.value[0], (uint32_t)k.np[2].endpoint);
	vmp = vmproc_lookup(k.np[2].endpoint);
	CHECK(vmp != NULL);
	CHECK_STR(k.np[2].name, "utest");
	/* Privileges by role, as at boot; argv from the command. */
	CHECK_EQ_U(k.np[2].ipc_to[0], (uint32_t)VM_ENDPOINT);
	w = (uint32_t *)user_ptr(vmp, k.np[2].stack);
	CHECK_EQ(w[0], 3);
	CHECK_STR((char *)user_ptr(vmp, w[1]), "utest");
	CHECK_STR((char *)user_ptr(vmp, w[2]), "role=restricted");
	CHECK_STR((char *)user_ptr(vmp, w[3]), "status=4");
	CHECK_EQ(user_ptr(vmp, 0x080490f0)[0], 0xcc);	/* the image */
	/* Refused: from anyone but PM, unknown, PM again, no end. */
	m.m_source = k.np[1].endpoint;
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EPERM);
	spawn_cmd(&m, "nosuch role=main");
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, ENOENT);
	spawn_cmd(&m, "  pm ");
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EPERM);
	spawn_cmd(&m, "   ");
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EINVAL);
	m = request(PM_ENDPOINT, VM_SPAWN);
	memset(m.u.vm_spawn.cmd, 'u', VM_SPAWN_LEN);
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EINVAL);
	/* No parent, or one VM does not know: refused. */
	spawn_cmd(&m, "utest role=main");
	m.u.vm_spawn.parent = NONE;
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EPERM);
	spawn_cmd(&m, "utest role=main");
	m.u.vm_spawn.parent = make_endpoint(3, 40);
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, EPERM);
	CHECK_EQ(k.newprocs, 3);
	for (int i = 2; i >= 0; i--)
		exit_proc(vmproc_lookup(k.np[i].endpoint));
	CHECK_EQ(free_now(), boot_stats.free);
	drain_exit_queue();
}

/* Rights never grow: a spawn names its parent to the kernel (which
 * bounds calls and IPC targets by the parent's), never gets the record
 * right, and has VM rights only where its parent has them too. */
TEST(vm_space, spawn_rights_bounded_by_parent)
{
	struct vmproc *drv, *child, *grandchild;
	message m;

	boot_vm();
	add_module("pm", 0);
	add_module("utest role=main", 0);
	CHECK_EQ(boot_start_programs(&ki), 2);
	/* Boot programs: no parent; the driver has the record right. */
	CHECK_EQ(k.np[1].parent, NONE);
	CHECK((k.np[1].calls & PRIV_RECORD) != 0);
	drv = vmproc_lookup(k.np[1].endpoint);
	CHECK(drv != NULL && (drv->flags & VMP_MAYPHYS));
	/* The driver spawns a driver: its rights but the record right. */
	spawn_cmd(&m, "utest role=main");
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, OK);
	CHECK_EQ(k.newprocs, 3);
	CHECK_EQ(k.np[2].parent, k.np[1].endpoint);
	CHECK_EQ_U(k.np[2].calls & PRIV_RECORD, 0);
	CHECK((k.np[2].calls & SYS_CALL_BIT(SYS_SHUTDOWN)) != 0);
	child = vmproc_lookup(k.np[2].endpoint);
	CHECK(child != NULL && (child->flags & VMP_MAYPHYS));
	/* An ordinary process asks for role=main: VM gives no VM right
	 * (the kernel cuts the calls to the parent's). */
	spawn_cmd(&m, "utest role=x");
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, OK);
	child = vmproc_lookup(k.np[3].endpoint);
	CHECK(child != NULL && !(child->flags & VMP_MAYPHYS));
	spawn_cmd(&m, "utest role=main");
	m.u.vm_spawn.parent = k.np[3].endpoint;
	served(spawn_request, &m);
	CHECK_EQ(k.sent.u.reply.status, OK);
	CHECK_EQ(k.np[4].parent, k.np[3].endpoint);
	grandchild = vmproc_lookup(k.np[4].endpoint);
	CHECK(grandchild != NULL && !(grandchild->flags & VMP_MAYPHYS));
	for (int i = 4; i >= 0; i--)
		exit_proc(vmproc_lookup(k.np[i].endpoint));
	CHECK_EQ(free_now(), boot_stats.free);
	drain_exit_queue();
}

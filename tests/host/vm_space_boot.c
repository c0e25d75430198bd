/*
 * VM's page tables and the boot programs: every directory gets the kernel's
 * part, a boot program's layout (segments, heap, stack, arguments), module
 * strings from each loader, restricted roles and bad modules.
 */
#include "check.h"
#include "tests/host/vm_space.h"

TEST(vm_space, directories_get_the_kernel_part)
{
	phys_bytes pd;
	uint32_t *e;

	boot_vm();
	CHECK_EQ(pt_new(&pd), OK);
	CHECK_LT(pd, MAPPED_END);
	e = phys_ptr(pd);
	CHECK_EQ_U(e[0x3c0], 0x00000000u | PTE_P | PTE_W | PTE_PS | PTE_G);
	CHECK_EQ(e[0x3c1], 0);
	CHECK_EQ_U(e[0x3fb], 0xFEC00000u | PTE_P | PTE_W | PTE_PS | PTE_G |
		PTE_PCD | PTE_PWT);
	for (int i = 0; i < 0x3c0; i++)
		CHECK_EQ(e[i], 0);
	/* The kernel part refuses user addresses. */
	CHECK_EQ(pt_kern_map(0, MAPPED_END, 0x80000000u, 1, 0), EINVAL);
	CHECK_EQ(pt_kern_map(0x1000, MAPPED_END, 0xF0000000u, 1, 0), EINVAL);
	pt_destroy(pd);
	CHECK_EQ(free_now(), boot_stats.free);
}

TEST(vm_space, map_lookup_unmap)
{
	phys_bytes pd, f = 0;
	uint32_t pte, *e;

	boot_vm();
	CHECK_EQ(pt_new(&pd), OK);
	CHECK_EQ(pt_lookup(pd, 0x400000, &pte), ESRCH);
	f = frame_alloc(PMEM_USER);
	CHECK(f >= MAPPED_END);		/* user frames from high memory */
	CHECK_EQ(pt_map(pd, 0x400123, f, PTE_U | PTE_W), OK);
	CHECK_EQ(pt_lookup(pd, 0x400fff, &pte), OK);
	CHECK_EQ_U(pte, f | PTE_P | PTE_U | PTE_W);
	/* The page table is below mapped_end and user-accessible. */
	e = phys_ptr(pd);
	CHECK_LT(e[1] & PTE_FRAME, MAPPED_END);
	CHECK_EQ(e[1] & 0xfff, PTE_P | PTE_W | PTE_U);
	CHECK_EQ(pt_map(pd, 0xF0000000u, f, PTE_U), EINVAL);
	CHECK_EQ_U(pt_unmap(pd, 0x400000), f);
	CHECK_EQ_U(pt_unmap(pd, 0x400000), 0);
	frame_free(f);
	pt_destroy(pd);
	CHECK_EQ(free_now(), boot_stats.free);
}

TEST(vm_space, boot_program_layout)
{
	struct vmproc *vmp = boot_one("utest role=server  extra");
	const struct sys_newproc *np = &k.np[0];
	uint32_t *w, *pte;
	uint8_t *p;

	CHECK(vmp != NULL);
	CHECK_STR(np->name, "utest");
	CHECK_EQ_U(np->entry, 0x08048100);
	CHECK_EQ_U(np->pgdir, vmp->pgdir);
	CHECK_EQ_U(np->cpu, NEWPROC_ANY_CPU);
	/* Only role=main (a boot's driver) may end the boot. */
	CHECK_EQ_U(np->calls, SYS_CALL_BIT(SYS_INFO) |
		SYS_CALL_BIT(SYS_DIAGPRINT) | SYS_CALL_BIT(SYS_SETCPU) |
		SYS_CALL_BIT(SYS_SETALARM) |
		SYS_CALL_BIT(SYS_SETGRANT) | SYS_CALL_BIT(SYS_SAFECOPYFROM) |
		SYS_CALL_BIT(SYS_SAFECOPYTO) | SYS_CALL_BIT(SYS_VSAFECOPY));
	CHECK_EQ_U(np->ipc_to[0], PRIV_IPC_ALL);
	/* Text: read-only user pages with the file's bytes. */
	pte = pte_of(vmp, 0x08048000);
	CHECK(pte != NULL);
	CHECK_EQ(*pte & 0xfff, PTE_P | PTE_U);
	p = user_ptr(vmp, 0x080490f0);
	CHECK(p != NULL);
	CHECK_EQ(p[0], 0xcc);
	CHECK_EQ(p[0xf], 0xcc);
	/* The shared page: text tail, zeroes, data, writable. */
	CHECK_EQ(p[0x10], 0);
	CHECK_EQ(*pte_of(vmp, 0x08049000) & 0xfff, PTE_P | PTE_U | PTE_W);
	p = user_ptr(vmp, 0x08049800);
	CHECK_EQ(p[0], 0xda);
	CHECK_EQ(p[0xf], 0xda);
	CHECK_EQ(p[0x10], 0);		/* bss, not the file's 0xee */
	p = user_ptr(vmp, 0x0804b7ff);
	CHECK(p != NULL);
	CHECK_EQ(p[0], 0);
	CHECK(user_ptr(vmp, 0x0804c000) == NULL);
	/* Regions: text, data (with the shared page: it is writable), the
	 * empty heap, the stack. */
	CHECK_EQ(region_count(&vmp->regions), 4);
	CHECK_EQ(region_check(&vmp->regions), 0);
	CHECK_EQ_U(region_lookup(&vmp->regions, 0x08048fff)->length, 0x1000);
	CHECK_EQ(region_lookup(&vmp->regions, 0x08048000)->flags, 0);
	CHECK_EQ_U(region_lookup(&vmp->regions, 0x08049000)->length, 0x3000);
	CHECK_EQ(region_lookup(&vmp->regions, 0x08049000)->flags, REGION_WRITE);
	CHECK_EQ(vmp->heap_start, 0x0804c000);
	CHECK_EQ(vmp->brk, 0x0804c000);
	CHECK(region_at(&vmp->regions, 0x0804c000) != NULL);
	CHECK(region_lookup(&vmp->regions, USER_STACK_TOP - 1) != NULL);
	CHECK(region_lookup(&vmp->regions,
		USER_STACK_TOP - USER_STACK_SIZE) != NULL);
	CHECK(region_lookup(&vmp->regions,
		USER_STACK_TOP - USER_STACK_SIZE - 1) == NULL);
	/* The stack: argc, argv, NULL, NULL, aligned, strings above. */
	CHECK_EQ(np->stack % 16, 0);
	CHECK_GE(np->stack, USER_STACK_TOP - PG);
	w = (uint32_t *)user_ptr(vmp, np->stack);
	CHECK_EQ(w[0], 3);
	CHECK_STR((char *)user_ptr(vmp, w[1]), "utest");
	CHECK_STR((char *)user_ptr(vmp, w[2]), "role=server");
	CHECK_STR((char *)user_ptr(vmp, w[3]), "extra");
	CHECK_EQ(w[4], 0);
	CHECK_EQ(w[5], 0);
	CHECK_GE(w[1], np->stack + 6 * 4);
	/* Only the top stack page exists yet. */
	CHECK(user_ptr(vmp, USER_STACK_TOP - PG - 1) == NULL);
	exit_and_check(vmp);
}

/* A module string reads the same from QEMU (file path first), iPXE (URI
 * first) and GRUB (no image name): argv[0] is the program's name, either
 * the word after the image or the image's file name; the image word is
 * never an argument (kernel/lib/cmdwords.h). */
TEST(vm_space, module_strings_from_each_loader)
{
	static const struct { const char *str, *name; } cases[] = {
		{ "build/user/utest.elf utest role=server x=1", "utest" },
		{ "http://10.0.2.2/cairn/utest.elf utest role=server x=1",
		  "utest" },
		{ "utest role=server x=1", "utest" },		/* GRUB */
		{ "build/user/utest.elf role=server x=1", "utest" },
		{ "role=server x=1", "mod1" },		/* nothing names it */
	};

	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct vmproc *vmp = boot_one(cases[i].str);
		const struct sys_newproc *np = &k.np[0];
		uint32_t *w;

		CHECK(vmp != NULL);
		CHECK_STR(np->name, cases[i].name);
		w = (uint32_t *)user_ptr(vmp, np->stack);
		CHECK_EQ(w[0], 3);
		CHECK_STR((char *)user_ptr(vmp, w[1]), cases[i].name);
		CHECK_STR((char *)user_ptr(vmp, w[2]), "role=server");
		CHECK_STR((char *)user_ptr(vmp, w[3]), "x=1");
		CHECK_EQ(w[4], 0);
		exit_and_check(vmp);
	}
}

TEST(vm_space, restricted_role_and_bad_modules)
{
	uint32_t before;

	boot_vm();
	add_module("", 0x40);			/* not an ELF */
	add_module("restricted-prog role=restricted", 0);
	add_module("longname_is_cut_here", 0);
	before = free_now();
	CHECK_EQ(boot_start_programs(&ki), 2);
	CHECK_EQ(k.newprocs, 2);
	/* VM, PM and the boot's driver (boot program 2). */
	CHECK_EQ_U(k.np[0].ipc_to[0], (uint32_t)VM_ENDPOINT);
	CHECK_EQ_U(k.np[0].ipc_to[1], (uint32_t)PM_ENDPOINT);
	CHECK_EQ_U(k.np[0].ipc_to[2], (uint32_t)make_endpoint(1, 3));
	CHECK_EQ_U(k.np[0].ipc_to[3], 0);
	CHECK_STR(k.np[0].name, "restricted-");
	CHECK_EQ_U(k.np[1].ipc_to[0], PRIV_IPC_ALL);
	CHECK_STR(k.np[1].name, "longname_is");
	CHECK_LT(free_now(), before);
	exit_proc(vmproc_lookup(k.np[0].endpoint));
	CHECK(free_now() < boot_stats.free);
	exit_and_check(vmproc_lookup(k.np[1].endpoint));
}

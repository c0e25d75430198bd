/*
 * The boot programs: each module after VM's own is an ELF executable and
 * its string "[IMAGE] [NAME] args..." (kernel/lib/cmdwords.h: QEMU and
 * iPXE put the image's file name first, GRUB does not; a first word
 * without '=' is the image, a second one the program's name, else the
 * image names it: "build/user/utest.elf" -> "utest"). VM builds its address space (segments with
 * their bytes, an empty heap after them, a demand-zero stack with argc,
 * argv and an empty environment on its top page) and asks the kernel for
 * a process with the privileges priv.c gives it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/boot.h"
#include "vm/bootfs.h"
#include "vm/fault.h"
#include "vm/tlb.h"
#include "vm/frame.h"
#include "vm/layout.h"
#include "vm/map.h"
#include "vm/priv.h"
#include "vm/pt.h"
#include "vm/reply.h"
#include "vm/vmproc.h"
#include "cairn/complain.h"
#include "cairn/syslib.h"
#include "lib/elf/elf.h"
#include "kernel/lib/cmdwords.h"

#define BOOT_MAX_ARGS	32

void boot_kernel_maps(void)
{
	struct vmctl_physmap pm;
	uint32_t i;
	int r;

	for (i = 0; (r = vmctl_kern_physmap(i, &pm)) == OK; i++) {
		if (pt_kern_map(pm.phys, pm.len, pm.vaddr,
				(pm.flags & KPM_WRITABLE) != 0,
				(pm.flags & KPM_UNCACHED) != 0) != OK)
			panic("vm: kernel range %u [0x%x,+0x%x) at 0x%x cannot "
				"be mapped", i, pm.phys, pm.len, pm.vaddr);
		r = vmctl_kern_map_reply(i, pm.vaddr);
		if (r != OK)
			panic("vm: KERN_MAP_REPLY %u: %d", i, r);
	}
	if (r != ESRCH)
		panic("vm: KERN_PHYSMAP %u: %d", i, r);
	if (i == 0)
		panic("vm: the kernel listed no ranges to map");
}

/* A command line ("[IMAGE] [NAME] args...": a module string, or a
 * VM_SPAWN command) split in place into words; argv[0] is the name. */
struct boot_args {
	char buf[KINFO_MODSTR_LEN];
	char name[32];		/* argv[0] when the image word gave it */
	char *argv[BOOT_MAX_ARGS];
	int argc;
	const char *role;	/* the value of a role= word, or NULL */
};

/* Copies a name, cut to size - 1 characters and always terminated. */
static void copy_name(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size && src[i] != '\0'; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

/* Splits a->buf into a->argv, the image word out and argv[0] the
 * program's name (empty when the string gives none). */
static void split_words(struct boot_args *a)
{
	size_t pos = 0;
	struct cmdw w;
	int image = 0;

	a->argc = 0;
	a->role = NULL;
	a->name[0] = '\0';
	while (a->argc < BOOT_MAX_ARGS && cmdw_next(a->buf, &pos, &w)) {
		char *word = a->buf + (w.word - a->buf);

		if (a->buf[pos] != '\0')
			a->buf[pos++] = '\0';
		if (a->argc == 0 && !image && w.kind == CMDW_FLAG) {
			image = 1;	/* the image; a name may follow */
			cmdw_image_name(word, w.len, a->name, sizeof a->name);
			continue;
		}
		if (a->argc == 0) {
			if (w.kind == CMDW_FLAG) {	/* the name after it */
				a->argv[a->argc++] = word;
				continue;
			}
			a->argv[a->argc++] = a->name;	/* named by the image */
		}
		if (a->argc < BOOT_MAX_ARGS)
			a->argv[a->argc++] = word;
		if (cmdw_is_key(&w, "role"))
			a->role = word + 5;
	}
	if (a->argc == 0 && a->name[0] != '\0')
		a->argv[a->argc++] = a->name;
}

static void module_args(const struct kinfo *ki, uint32_t mod,
	struct boot_args *a)
{
	const struct kinfo_mod *m = &ki->mods[mod];
	uint32_t len = m->str_len;

	if (m->str_off >= KINFO_MODSTR_LEN)
		len = 0;
	else if (len > KINFO_MODSTR_LEN - 1u - m->str_off)
		len = KINFO_MODSTR_LEN - 1u - m->str_off;
	memcpy(a->buf, ki->modstr + m->str_off, len);
	a->buf[len] = '\0';
	split_words(a);
	if (a->argc == 0 || a->argv[0][0] == '\0') {
		/* no name: name it after its place */
		snprintf(a->name, sizeof a->name, "mod%u", mod);
		a->argv[0] = a->name;
		if (a->argc == 0)
			a->argc = 1;
	}
}

/* The block in the slot of va (a page of r), made if the slot is empty,
 * and mapped as r allows. */
static int boot_page(struct vmproc *vmp, struct region *r, vir_bytes va,
	struct phys_block **out)
{
	struct phys_block **slot = region_slot(r, va), *pb = *slot;
	int err;

	if (pb == NULL) {
		phys_bytes frame = frame_alloc(PMEM_USER);

		if (frame == 0)
			return ENOMEM;
		if ((pb = pb_new(frame, 0)) == NULL) {
			frame_free(frame);
			return ENOMEM;
		}
	}
	/* A slot holds a block only where it is mapped (map_next_used). */
	if ((err = map_page(vmp, r, va, pb)) != OK) {
		if (*slot == NULL)
			pb_unref(pb);
		return err;
	}
	*slot = *out = pb;
	return OK;
}

/* Fills [s->vaddr, +memsz) with its file bytes; the regions are there.
 * A first page shared with the previous segment is filled, not
 * replaced. */
static int load_segment(struct vmproc *vmp, const uint8_t *image,
	const struct elf_segment *s)
{
	vir_bytes start = page_trunc(s->vaddr);
	vir_bytes end = page_round(s->vaddr + s->memsz);
	vir_bytes file_end = s->vaddr + s->filesz;

	for (vir_bytes va = start; va < end; va += VM_PAGE_SIZE) {
		vir_bytes lo = va > s->vaddr ? va : s->vaddr;
		vir_bytes hi = va + VM_PAGE_SIZE < file_end ? va + VM_PAGE_SIZE
							    : file_end;
		struct region *r = region_lookup(&vmp->regions, va);
		struct phys_block *pb;
		int err;

		if (r == NULL)
			panic("vm: segment page 0x%x has no region", va);
		if ((err = boot_page(vmp, r, va, &pb)) != OK)
			return err;
		if (lo < hi)
			memcpy((uint8_t *)frame_map(pb->phys) + (lo - va),
				image + s->offset + (lo - s->vaddr), hi - lo);
	}
	return OK;
}

/* The region of a segment. When it starts in the last page of the
 * previous segment's region, that page (and its block) goes to whichever
 * of the two may be written, else stays with the earlier one. */
static int add_segment_region(struct vmproc *vmp, const struct elf_segment *s)
{
	vir_bytes start = page_trunc(s->vaddr);
	vir_bytes end = page_round(s->vaddr + s->memsz);
	uint32_t flags = s->flags & ELF_SEG_W ? REGION_WRITE : 0;
	struct region *prev = region_lookup(&vmp->regions, start);
	struct phys_block *moved = NULL;
	struct region *r;
	int err;

	if (prev != NULL && (flags & REGION_WRITE) &&
	    !(prev->flags & REGION_WRITE)) {
		moved = *region_slot(prev, start);
		*region_slot(prev, start) = NULL;
		if (prev->length == VM_PAGE_SIZE) {
			region_remove(&vmp->regions, prev);
		} else if ((err = region_resize(&vmp->regions, prev,
				prev->length - VM_PAGE_SIZE)) != OK) {
			*region_slot(prev, start) = moved;
			return err;
		}
	} else if (prev != NULL) {
		start += VM_PAGE_SIZE;
	}
	if (start == end)
		return OK;
	err = region_insert(&vmp->regions, start, end - start, MT_ANON,
		flags, &r);
	if (err != OK) {
		if (moved != NULL)
			pb_unref(moved);
		return err;
	}
	r->slots[0] = moved;
	return OK;
}

/* argc, the argv pointers, NULL, an empty environment (NULL) at the new
 * stack pointer (16-byte aligned), the strings above them, all in the
 * stack's top page. */
static int build_stack(struct vmproc *vmp, const struct boot_args *a,
	vir_bytes *sp)
{
	vir_bytes page_va = USER_STACK_TOP - VM_PAGE_SIZE;
	struct region *stack = region_lookup(&vmp->regions, page_va);
	struct phys_block *pb;
	uint8_t *page;
	uint32_t *w, at = VM_PAGE_SIZE, words = (uint32_t)a->argc + 3;
	vir_bytes strs[BOOT_MAX_ARGS];
	int err;

	if ((err = boot_page(vmp, stack, page_va, &pb)) != OK)
		return err;
	page = frame_map(pb->phys);
	for (int i = a->argc - 1; i >= 0; i--) {
		uint32_t n = (uint32_t)strlen(a->argv[i]) + 1;

		at -= n;	/* the args came from a 512-byte string */
		memcpy(page + at, a->argv[i], n);
		strs[i] = page_va + at;
	}
	at = (at - words * 4) & ~15u;
	w = (uint32_t *)(page + at);
	w[0] = (uint32_t)a->argc;
	for (int i = 0; i < a->argc; i++)
		w[1 + i] = strs[i];
	w[1 + a->argc] = 0;	/* end of argv */
	w[2 + a->argc] = 0;	/* envp: empty */
	*sp = page_va + at;
	return OK;
}

/* Builds the whole address space of one program into *vmp. */
static int build_space(struct vmproc *vmp, const uint8_t *image,
	const struct elf_image *img, const struct boot_args *a, vir_bytes *sp)
{
	vir_bytes heap;
	int err;

	if ((err = pt_new(&vmp->pgdir)) != OK)
		return err;
	for (uint32_t i = 0; i < img->nsegs; i++) {
		if ((err = add_segment_region(vmp, &img->seg[i])) != OK ||
		    (err = load_segment(vmp, image, &img->seg[i])) != OK)
			return err;
	}
	heap = page_round(img->seg[img->nsegs - 1].vaddr +
		img->seg[img->nsegs - 1].memsz);
	err = region_insert(&vmp->regions, heap, 0, MT_ANON,
		REGION_WRITE | REGION_HEAP, NULL);
	if (err != OK)
		return err;
	vmp->heap_start = vmp->brk = heap;
	err = region_insert(&vmp->regions, USER_STACK_TOP - USER_STACK_SIZE,
		USER_STACK_SIZE, MT_ANON, REGION_WRITE | REGION_STACK, NULL);
	if (err != OK)
		return err;
	return build_stack(vmp, a, sp);
}

/* The rights a program starts with: priv.c's row for its name or role
 * (boot and spawn), or RS's policy for a service (VM_RS_START). */
struct start_rights {
	int from_policy;		/* else priv.c's row */
	struct sys_newproc np;		/* calls, ipc_to, flags */
	uint32_t vm_flags;
};

/* The one way a program becomes a process, at boot, for VM_SPAWN and
 * for RS's VM_RS_START: the ELF image [image, +size) with the arguments
 * a (argv[0] names it, role= picks privileges unless rights come from
 * policy), bounded by parent's unless it is NONE. OK and *ep, or why
 * not. */
static int start_program(const uint8_t *image, size_t size,
	const struct boot_args *a, const struct start_rights *rights,
	endpoint_t parent, endpoint_t *ep)
{
	struct sys_newproc np = { 0 };
	struct vmproc built = { 0 };
	struct elf_image img;
	uint32_t vm_flags;
	int err;

	copy_name(built.name, a->argv[0], sizeof built.name);
	err = elf_parse_limit(image, size, USER_STACK_TOP - USER_STACK_SIZE,
		&img);
	if (err != 0) {
		printf("vm: %s: not a program: %s\n", built.name,
			elf_strerror(err));
		return EINVAL;
	}
	region_set_init(&built.regions);
	err = build_space(&built, image, &img, a, &np.stack);
	if (err == OK) {
		np.pgdir = built.pgdir;
		np.entry = img.entry;
		np.cpu = NEWPROC_ANY_CPU;
		copy_name(np.name, built.name, sizeof np.name);
		if (rights->from_policy) {
			np.calls = rights->np.calls;
			memcpy(np.ipc_to, rights->np.ipc_to, sizeof np.ipc_to);
			np.flags = rights->np.flags;
			np.parent = parent;
		} else {
			priv_for(built.name, a->role, parent, &np);
			np.flags = rights->np.flags;
		}
		err = sys_newproc(&np);
		if (err != OK)
			printf("vm: %s: sys_newproc: %d\n", built.name, err);
	}
	if (err != OK) {
		if (built.pgdir != 0)
			map_free_all(&built);
		else
			region_set_clear(&built.regions);
		return err;
	}
	built.manager = (np.flags & NEWPROC_MGR_PARENT) && parent != NONE ?
		parent : PM_ENDPOINT;
	vm_flags = rights->from_policy ?
		priv_bound_vm_flags(rights->vm_flags, parent) :
		priv_vm_flags(built.name, a->role, parent);
	vmproc_enter(np.endpoint, &built)->flags |= vm_flags;
	printf("vm: started %s as %d, %d argument(s)%s%s\n", built.name,
		np.endpoint, a->argc - 1, a->role ? ", role " : "",
		a->role ? a->role : "");
	*ep = np.endpoint;
	return OK;
}

/* The boot image VM started from; spawns load its modules again. */
static const struct kinfo *boot_image;
/* The system image (bootfs.h): its module, or 0 when the boot has none. */
static uint32_t system_module;

/* Module mod's bytes, if VM sees all of them. */
static int module_bytes(uint32_t mod, const uint8_t **image, size_t *size)
{
	const struct kinfo_mod *m = &boot_image->mods[mod];

	if (m->end > phys_direct_end || m->end < m->start)
		return EINVAL;
	*image = phys_ptr(m->start);
	*size = m->end - m->start;
	return OK;
}

/* The image of the program called name: the first module after VM's own
 * that names it, else the system image's file of that name. */
static int find_program(const char *name, const uint8_t **image,
	size_t *size)
{
	struct boot_args a;
	const uint8_t *ar;
	size_t arlen;

	for (uint32_t i = 1; i < boot_image->mod_count && i < KINFO_MAX_MODS;
	     i++) {
		if (i == system_module)
			continue;
		module_args(boot_image, i, &a);
		if (strcmp(a.argv[0], name) == 0)
			return module_bytes(i, image, size);
	}
	if (system_module == 0 ||
	    module_bytes(system_module, &ar, &arlen) != OK)
		return ENOENT;
	return bootfs_find(ar, arlen, name, image, size) == OK ? OK : ENOENT;
}

int boot_file(const char *name, const uint8_t **data, size_t *size)
{
	const uint8_t *ar;
	size_t arlen;

	if (system_module == 0 ||
	    module_bytes(system_module, &ar, &arlen) != OK)
		return ENOENT;
	return bootfs_find(ar, arlen, name, data, size);
}

/* Module i of the boot: a program, or the system image, from which RS
 * starts (and takes slot RS_PROC_NR, the module's place). */
static int start_module(uint32_t i, endpoint_t *ep)
{
	static const struct start_rights by_row = { 0 };
	static const struct start_rights as_system = { 0, { .flags =
		NEWPROC_SYSTEM }, 0 };
	struct boot_args a;
	const uint8_t *image;
	size_t size;
	int err;

	module_args(boot_image, i, &a);
	if ((err = module_bytes(i, &image, &size)) != OK) {
		printf("vm: %s: module %u is outside VM's view\n", a.argv[0],
			i);
		return err;
	}
	if (system_module == 0 && bootfs_is_archive(image, size)) {
		system_module = i;
		if (i != RS_PROC_NR)
			printf("vm: the system image is module %u, not %u: "
				"RS will not be at its endpoint\n", i,
				RS_PROC_NR);
		memcpy(a.buf, "rs", 3);
		split_words(&a);
		if ((err = find_program("rs", &image, &size)) != OK) {
			printf("vm: the system image has no rs\n");
			return err;
		}
		return start_program(image, size, &a, &as_system, NONE, ep);
	}
	return start_program(image, size, &a, &by_row, NONE, ep);
}

int boot_start_programs(const struct kinfo *ki)
{
	endpoint_t ep;
	int started = 0;

	boot_image = ki;
	for (uint32_t i = 1; i < ki->mod_count && i < KINFO_MAX_MODS; i++) {
		int err = start_module(i, &ep);

		if (err == OK)
			started++;
		else
			printf("vm: module %u not started (%d)\n", i, err);
	}
	return started;
}

int boot_spawn(const char *cmd, endpoint_t parent, endpoint_t *ep)
{
	static const struct start_rights by_row = { 0 };
	struct boot_args a;
	size_t len = strlen(cmd), size;
	const uint8_t *image;
	int err;

	if (boot_image == NULL || len >= sizeof a.buf)
		return EINVAL;
	memcpy(a.buf, cmd, len + 1);
	split_words(&a);
	if (a.argc == 0 || a.argv[0][0] == '\0')
		return EINVAL;	/* no program named */
	if (strcmp(a.argv[0], "pm") == 0 || strcmp(a.argv[0], "rs") == 0)
		return EPERM;	/* one of each, at its endpoint */
	if ((err = find_program(a.argv[0], &image, &size)) != OK)
		return err;
	return start_program(image, size, &a, &by_row, parent, ep);
}

void spawn_request(const message *m)
{
	char cmd[VM_SPAWN_LEN + 1];
	endpoint_t ep = NONE;
	int r;

	if (!reply_unless_pm(m))
		return;
	memcpy(cmd, m->u.vm_spawn.cmd, VM_SPAWN_LEN);
	cmd[VM_SPAWN_LEN] = '\0';
	/* A command that fills the field has no end: refused, not cut. */
	if (strlen(cmd) >= VM_SPAWN_LEN)
		r = EINVAL;
	else if (m->u.vm_spawn.parent == NONE ||
		 vmproc_lookup(m->u.vm_spawn.parent) == NULL)
		r = EPERM;	/* a spawn always has a parent VM knows */
	else
		r = boot_spawn(cmd, m->u.vm_spawn.parent, &ep);
	if (r != OK)
		printf("vm: spawn of \"%s\" failed: %d\n", cmd, r);
	reply_to(PM_ENDPOINT, r, (uint32_t)ep, 0);
}

void rs_start_request(const message *m)
{
	const struct vm_rs_start *q = &m->u.vm_rs_start;
	struct start_rights rights = { 1, { 0 },
		(q->vm_flags & RSV_PHYS) ? VMP_MAYPHYS : 0 };
	char cmd[VM_RS_CMD_LEN + 1];
	struct boot_args a;
	const uint8_t *image;
	size_t size;
	endpoint_t ep = NONE;
	int r;

	if (m->m_source != RS_ENDPOINT) {
		complain("vm: VM_RS_START from %d refused: only RS may\n",
			m->m_source);
		reply_to(m->m_source, EPERM, 0, 0);
		return;
	}
	char program[VM_RS_CMD_LEN + 1];
	size_t n;

	memcpy(cmd, q->cmd, VM_RS_CMD_LEN);
	cmd[VM_RS_CMD_LEN] = '\0';
	/* "PROGRAM NAME args...": the program is the first word, the
	 * process is named by the second (RS: the service's label). */
	for (n = 0; cmd[n] != '\0' && cmd[n] != ' '; n++)
		program[n] = cmd[n];
	program[n] = '\0';
	rights.np.calls = q->calls;
	memcpy(rights.np.ipc_to, q->ipc_to, sizeof rights.np.ipc_to);
	rights.np.flags = (uint16_t)(q->flags &
		(NEWPROC_MGR_PARENT | NEWPROC_SYSTEM));
	memcpy(a.buf, cmd, strlen(cmd) + 1);
	split_words(&a);
	if (strlen(cmd) >= VM_RS_CMD_LEN || a.argc == 0 ||
	    a.argv[0][0] == '\0' || program[0] == '\0')
		r = EINVAL;
	else if (strcmp(program, "pm") == 0 || strcmp(program, "rs") == 0)
		r = EPERM;
	else if ((r = find_program(program, &image, &size)) == OK)
		r = start_program(image, size, &a, &rights, RS_ENDPOINT, &ep);
	reply_to(RS_ENDPOINT, r, (uint32_t)ep, 0);
}

/* [buf, +len) of vmp made present and writable (a kernel copy into
 * pages that are not there yet would fail): OK, EINVAL for a range that
 * wraps, EFAULT for one that leaves vmp's regions or reaches the kernel. */
static int make_writable(struct vmproc *vmp, vir_bytes buf, uint32_t len)
{
	struct tlb_batch tb;
	int err = OK;

	if (len == 0)
		return OK;
	if (len - 1 > 0xffffffffu - buf)
		return EINVAL;
	if (buf + len > USER_STACK_TOP)
		return EFAULT;
	tlb_init(&tb, vmp->ep);
	for (vir_bytes va = page_trunc(buf); va < buf + len && err == OK;
	     va += VM_PAGE_SIZE) {
		err = fault_make_present(vmp, va, 1, &tb);
		if (va + VM_PAGE_SIZE < va)
			break;
	}
	tlb_flush(&tb);
	return err == OK ? OK : err == ENOMEM ? ENOMEM : EFAULT;
}

void bootfile_request(const message *m)
{
	const struct vm_bootfile *q = &m->u.vm_bootfile;
	struct vmproc *vmp = vmproc_lookup(m->m_source);
	char name[VM_BOOTFILE_NAME_LEN + 1];
	const uint8_t *data;
	size_t size;
	uint32_t n = 0;
	int r;

	memcpy(name, q->name, VM_BOOTFILE_NAME_LEN);
	name[VM_BOOTFILE_NAME_LEN] = '\0';
	if (vmp == NULL)
		r = EPERM;
	else
		r = boot_file(name, &data, &size);
	if (r == OK) {
		n = q->len < size ? q->len : (uint32_t)size;
		r = make_writable(vmp, q->buf, n);
	}
	/* In pieces the kernel takes (SYS_VIRCOPY: 64 KiB at most). */
	for (uint32_t at = 0; r == OK && at < n; at += 0x10000u)
		r = sys_vircopy(SELF, (vir_bytes)(uintptr_t)(data + at),
			m->m_source, q->buf + at,
			n - at < 0x10000u ? n - at : 0x10000u);
	reply_to(m->m_source, r, r == OK ? (uint32_t)size : 0, 0);
}

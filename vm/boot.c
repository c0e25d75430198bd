/*
 * The boot programs: each module after VM's own is an ELF executable and
 * its string "[IMAGE] [NAME] args..." (kernel/lib/cmdwords.h: QEMU and
 * iPXE put the image's file name first, GRUB does not; a first word
 * without '=' is the image, a second one the program's name, else the
 * image names it: "build/user/utest.elf" -> "utest"). VM builds its
 * address space (image.c: segments, heap, a stack with argc, argv and
 * an empty environment) and asks the kernel for a process with the
 * privileges priv.c gives it. Programs are found by name in one place,
 * boot_find_program, for spawn and exec alike: the modules, then the
 * system image (module 2, bootfs.h), from which VM starts RS in the
 * module's place and which holds the services RS starts (VM_RS_START).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vm/boot.h"
#include "vm/bootfs.h"
#include "vm/fault.h"
#include "vm/image.h"
#include "vm/layout.h"
#include "vm/map.h"
#include "vm/priv.h"
#include "vm/pt.h"
#include "vm/reply.h"
#include "vm/vmproc.h"
#include "cairn/complain.h"
#include "cairn/syslib.h"
#include "kernel/lib/cmdwords.h"

/* Words of a module string or spawn command (512 bytes at most). */
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

/* The rights a program starts with: priv.c's row for its name or role
 * (boot, spawn), or RS's policy for a service (VM_RS_START); flags are
 * NEWPROC_* either way. */
struct start_rights {
	int from_policy;		/* else priv.c's row */
	struct sys_newproc np;		/* calls, ipc_to, flags */
	uint32_t vm_flags;		/* VMP_*, from_policy only */
};

/* The one way a program becomes a process, at boot, for VM_SPAWN and
 * for RS's VM_RS_START: the ELF image [bytes, +size) with the arguments
 * a (argv[0] names it, role= picks privileges unless they come from
 * policy), bounded by parent's unless it is NONE. OK and *ep, or why
 * not. */
static int start_program(const uint8_t *bytes, uint32_t size,
	const struct boot_args *a, const struct start_rights *rights,
	endpoint_t parent, endpoint_t *ep)
{
	const struct image_args ia = { a->argc, a->argv, 0, NULL };
	struct sys_newproc np = { 0 };
	struct vmproc built = { 0 };
	struct elf_image img;
	uint32_t vm_flags;
	int err;

	copy_name(built.name, a->argv[0], sizeof built.name);
	if ((err = image_parse(built.name, bytes, size, &img)) != OK)
		return err;
	region_set_init(&built.regions);
	err = image_build(&built, bytes, &img, &ia, &np.stack);
	if (err == OK) {
		np.pgdir = built.pgdir;
		np.entry = img.entry;
		np.cpu = NEWPROC_ANY_CPU;
		copy_name(np.name, built.name, sizeof np.name);
		if (rights->from_policy) {
			np.calls = rights->np.calls;
			memcpy(np.ipc_to, rights->np.ipc_to, sizeof np.ipc_to);
			np.parent = parent;
		} else {
			priv_for(built.name, a->role, parent, &np);
		}
		np.flags = rights->np.flags;
		err = sys_newproc(&np);
		if (err != OK)
			printf("vm: %s: sys_newproc: %d\n", built.name, err);
	}
	if (err != OK) {
		image_discard(&built);
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

static const struct start_rights by_row = { 0 };

/* The boot image VM started from; spawns and execs load its modules
 * again. */
static const struct kinfo *boot_image;
/* The system image (bootfs.h): its module, or 0 when the boot has none. */
static uint32_t system_module;

/* Module mod's bytes: ENOEXEC when they lie outside VM's view. */
static int module_bytes(const struct kinfo *ki, uint32_t mod,
	const uint8_t **bytes, uint32_t *size)
{
	const struct kinfo_mod *m = &ki->mods[mod];

	if (m->end > phys_direct_end || m->end < m->start) {
		printf("vm: module %u at [0x%x,0x%x) is outside VM's view\n",
			mod, m->start, m->end);
		return ENOEXEC;
	}
	*bytes = phys_ptr(m->start);
	*size = m->end - m->start;
	return OK;
}

/* The system image's file name: OK, ENOENT, or EINVAL for a damaged
 * image. */
int boot_file(const char *name, const uint8_t **data, size_t *size)
{
	const uint8_t *ar;
	uint32_t arlen;

	if (system_module == 0 ||
	    module_bytes(boot_image, system_module, &ar, &arlen) != OK)
		return ENOENT;
	return bootfs_find(ar, arlen, name, data, size);
}

/* Module i of the boot: a program, or the system image, from which RS
 * starts (and takes slot RS_PROC_NR, the module's place). */
static int start_module(uint32_t i, endpoint_t *ep)
{
	static const struct start_rights as_system = { 0, { .flags =
		NEWPROC_SYSTEM }, 0 };
	struct boot_args a;
	const uint8_t *bytes;
	uint32_t size;
	int err;

	module_args(boot_image, i, &a);
	if ((err = module_bytes(boot_image, i, &bytes, &size)) != OK)
		return err;
	if (system_module != 0 || !bootfs_is_archive(bytes, size))
		return start_program(bytes, size, &a, &by_row, NONE, ep);
	system_module = i;
	if (i != RS_PROC_NR)
		printf("vm: the system image is module %u, not %u: RS will "
			"not be at its endpoint\n", i, RS_PROC_NR);
	memcpy(a.buf, "rs", 3);
	split_words(&a);
	if ((err = boot_find_program("rs", &bytes, &size)) != OK) {
		printf("vm: the system image has no rs\n");
		return err;
	}
	return start_program(bytes, size, &a, &as_system, NONE, ep);
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

int boot_find_program(const char *name, const uint8_t **bytes,
	uint32_t *size)
{
	struct boot_args a;
	const uint8_t *data;
	size_t len;

	for (uint32_t i = 1; boot_image != NULL &&
	     i < boot_image->mod_count && i < KINFO_MAX_MODS; i++) {
		if (i == system_module)
			continue;
		module_args(boot_image, i, &a);
		if (strcmp(a.argv[0], name) == 0)
			return module_bytes(boot_image, i, bytes, size);
	}
	if (boot_file(name, &data, &len) != OK)
		return ENOENT;
	*bytes = data;
	*size = (uint32_t)len;
	return OK;
}

int boot_program_allowed(const char *name)
{
	/* One of each, at its endpoint. */
	return strcmp(name, "pm") == 0 || strcmp(name, "rs") == 0 ? EPERM :
		OK;
}

int boot_spawn(const char *cmd, endpoint_t parent, endpoint_t *ep)
{
	struct boot_args a;
	size_t len = strlen(cmd);
	const uint8_t *bytes;
	uint32_t size;
	int err;

	if (boot_image == NULL || len >= sizeof a.buf)
		return EINVAL;
	memcpy(a.buf, cmd, len + 1);
	split_words(&a);
	if (a.argc == 0 || a.argv[0][0] == '\0')
		return EINVAL;	/* no program named */
	if ((err = boot_program_allowed(a.argv[0])) != OK ||
	    (err = boot_find_program(a.argv[0], &bytes, &size)) != OK)
		return err;
	return start_program(bytes, size, &a, &by_row, parent, ep);
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
	uint32_t size;
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
	else if ((r = boot_program_allowed(program)) == OK &&
		 (r = boot_find_program(program, &image, &size)) == OK)
		r = start_program(image, size, &a, &rights, RS_ENDPOINT, &ep);
	reply_to(RS_ENDPOINT, r, (uint32_t)ep, 0);
}

/* [buf, +len) of vmp made present and writable (a kernel copy into
 * pages that are not there yet would fail): OK, EINVAL for a range that
 * wraps, EFAULT for one that leaves vmp's regions or is read-only. */
static int make_writable(struct vmproc *vmp, vir_bytes buf, uint32_t len)
{
	if (len != 0 && len - 1 > 0xffffffffu - buf)
		return EINVAL;
	return fault_make_range_present(vmp, buf, len, 1);
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

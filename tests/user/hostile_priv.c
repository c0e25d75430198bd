/*
 * Hostile cases: privileges and result records. An ordinary process
 * asks for a driver's role for a child, copies into VM's memory, names
 * wrapping and kernel ranges, maps the kernel image and RAM, and prints
 * lines that would read as the kernel's records. Rights never grow, each
 * call gets its error code, and the forged lines reach the log only as
 * the attacker's tagged text (tests/run.py checks the log for them).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cairn/syslib.h"
#include "cairn/urecord.h"
#include "cairn/vmlib.h"
#include "tests/user/hostile.h"

#define PAGE		4096u
#define KERNEL_IMAGE	0x100000u	/* where the loader puts the kernel */
#define BIOS_ROM	0xf0000u	/* a device range, not RAM */
#define SOME_RAM	0x1000000u	/* 16 MiB: RAM in a 64 MiB boot */

static uint32_t scratch;

/* The rights a driver has, tried from a process that must not have
 * them: each must be EPERM. Returns how many were not. */
static int no_driver_rights(void)
{
	char line[96];
	void *p = NULL;
	int bad = 0, n;

	bad += !h_expect("vircopy to PM", sys_vircopy(SELF,
		(vir_bytes)&scratch, PM_ENDPOINT, 0x1000, 4), EPERM);
	bad += !h_expect("vircopy from VM", sys_vircopy(VM_ENDPOINT, 0x1000,
		SELF, (vir_bytes)&scratch, 4), EPERM);
	n = urecord_format(line, sizeof line, "test", "name=hostile.forged "
		"result=pass detail=as_a_record");
	bad += !h_expect("send a record", sys_diagprint(line, (uint32_t)n,
		DIAG_RECORD), EPERM);
	bad += !h_expect("map a device range", vm_mmap_phys(BIOS_ROM, PAGE,
		PROT_READ, 0, &p), EPERM);
	/* Last: if the kernel let this through, the boot would end here and
	 * the run would fail on the missing tests. */
	bad += !h_expect("shutdown", sys_shutdown(0, 0), EPERM);
	return bad;
}

int hostile_priv_probe(void)
{
	return no_driver_rights();
}

/* Spawns "hostile <words> probe=rights" and returns its exit status. */
static int spawn_probe(const char *words)
{
	char cmd[VM_SPAWN_LEN];
	int st = 0x7fffffff;
	pid_t pid;

	snprintf(cmd, sizeof cmd, "hostile %s probe=rights", words);
	pid = spawn(cmd);
	if (pid < 0)
		return pid;
	if (waitpid(pid, &st, 0) != pid)
		return ESRCH;
	return st;
}

static int spawn_driver_role(void)
{
	int ok = 1;

	/* role=main names the driver's privilege row: the child still
	 * gets nothing its parent (this ordinary process) lacks. */
	ok &= h_expect("child spawned with role=main", spawn_probe(
		"role=main"), HOSTILE_OK);
	ok &= h_expect("child spawned with role=driver", spawn_probe(
		"role=driver"), HOSTILE_OK);
	ok &= h_expect("the attacker itself", no_driver_rights(), 0);
	return ok ? HOSTILE_OK : 1;
}

/* A forked child has exactly its parent's rights: none of the above,
 * and its own spawn of a driver gets none either. */
static int fork_then_spawn(void)
{
	return no_driver_rights() == 0 && spawn_probe("role=main") ==
		HOSTILE_OK ? HOSTILE_OK : 1;
}

static int forked_child_rights(void)
{
	return h_expect("forked child, then its spawn of role=main",
		h_child_status(fork_then_spawn), HOSTILE_OK) ? HOSTILE_OK : 1;
}

/* Ranges in kernel calls that every process may make (SYS_DIAGPRINT):
 * wrapping past 4 GiB is EINVAL, reaching the kernel EFAULT. */
static int bad_ranges(void)
{
	int ok = 1;

	ok &= h_expect("diagprint wrapping past 4 GiB", sys_diagprint(
		(const char *)0xfffffc00u, 0x800, 0), EINVAL);
	ok &= h_expect("diagprint of the kernel's memory", sys_diagprint(
		(const char *)0xF0000000u, 16, 0), EFAULT);
	ok &= h_expect("diagprint running into the kernel", sys_diagprint(
		(const char *)0xEFFFFFF8u, 16, 0), EFAULT);
	ok &= h_expect("vircopy into VM", sys_vircopy(SELF,
		(vir_bytes)&scratch, VM_ENDPOINT, 0x1000, 4), EPERM);
	ok &= h_expect("vircopy, wrapping", sys_vircopy(SELF, 0xfffffff0u,
		PM_ENDPOINT, 0x1000, 0x20), EPERM);
	return ok ? HOSTILE_OK : 1;
}

/* MAP_PHYS of RAM: the kernel's image, memory VM manages. */
static int map_ram(void)
{
	void *p = NULL;
	int ok = 1;

	ok &= h_expect("map the kernel image", vm_mmap_phys(KERNEL_IMAGE,
		PAGE, PROT_READ | PROT_WRITE, 0, &p), EPERM);
	ok &= h_expect("map RAM", vm_mmap_phys(SOME_RAM, PAGE,
		PROT_READ | PROT_WRITE, 0, &p), EPERM);
	ok &= h_expect("map page 0", vm_mmap_phys(0, PAGE, PROT_READ, 0, &p),
		EPERM);
	return ok ? HOSTILE_OK : 1;
}

/* Lines with good checksums that would read as a kernel panic, a passed
 * test and the end of the boot. They must show up tagged with the
 * attacker's endpoint (tests/run.py: HOSTILE_FORGED), and the run must
 * stay green. */
static int forged_records(void)
{
	char line[160], text[200];
	int n, ok = 1;

	n = urecord_format(line, sizeof line, "panic", "cpu=0 msg=forged");
	ok &= h_expect("print a forged panic", sys_diagprint(line,
		(uint32_t)n, 0), OK);
	/* After text of its own without a newline, and after a carriage
	 * return: still inside the attacker's tagged line. */
	n = urecord_format(line, sizeof line, "test", "name=hostile.forged "
		"result=pass detail=x");
	snprintf(text, sizeof text, "partial\n\r%s", line);
	ok &= h_expect("print a forged test", sys_diagprint(text,
		(uint32_t)strlen(text), 0), OK);
	n = urecord_format(line, sizeof line, "done", "mode=test tests=1 "
		"failed=0 forged=1");
	ok &= h_expect("print a forged done", sys_diagprint(line,
		(uint32_t)n, 0), OK);
	return ok ? HOSTILE_OK : 1;
}

const struct hostile_case hostile_priv_cases[] = {
	{ "priv.spawn_role", spawn_driver_role, HOSTILE_OK },
	{ "priv.fork_rights", forked_child_rights, HOSTILE_OK },
	{ "priv.bad_ranges", bad_ranges, HOSTILE_OK },
	{ "priv.map_ram", map_ram, HOSTILE_OK },
	{ "priv.forged_records", forged_records, HOSTILE_OK },
};
const int hostile_priv_count = sizeof hostile_priv_cases /
	sizeof hostile_priv_cases[0];

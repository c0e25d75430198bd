/*
 * Hostile cases: RS, the signal managers and the calls they use. An
 * ordinary process may not take stops (SYS_GETKSIG), stop anyone
 * (SYS_KILL), end itself as a service (SYS_EXIT), start services
 * (VM_RS_START), fetch others' exits, claim to be a ready service, or
 * take a service's label or state in DS. Its own alarm is its own: any
 * value is safe, and an alarm left behind at exit rings for nobody.
 * Bad buffers for VM_BOOTFILE get errors, never a write elsewhere.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#include "cairn/dslib.h"
#include "cairn/ipclib.h"
#include "cairn/rslib.h"
#include "cairn/syslib.h"
#include "tests/user/hostile.h"

#define KERNEL_ADDR	0xF0001000u

static int vm_call(message *m)
{
	int r = ipc_sendrec(VM_ENDPOINT, m);

	return r == OK ? m->u.reply.status : r;
}

static int rs_call(message *m)
{
	int r = ipc_sendrec(RS_ENDPOINT, m);

	return r == OK ? m->u.reply.status : r;
}

/* The calls of managers and services, by a process with no right to
 * them: refused before they do anything. */
static int manager_calls(void)
{
	endpoint_t ep, demo;
	int status, bad = 0;

	if (rs_find("demo", &demo, 500) != OK)
		return 90;
	bad += !h_expect("getksig", sys_getksig(&ep, &status, NULL), EPERM);
	bad += !h_expect("kill demo", sys_kill(demo, 0), EPERM);
	bad += !h_expect("kill pm", sys_kill(PM_ENDPOINT, 0), EPERM);
	bad += !h_expect("kill vm", sys_kill(VM_ENDPOINT, 0), EPERM);
	bad += !h_expect("kill rs", sys_kill(RS_ENDPOINT, 0), EPERM);
	bad += !h_expect("kill self", sys_kill(SELF, 0), EPERM);
	bad += !h_expect("exit as a service", sys_exit(5), EPERM);
	/* The demo service still answers. */
	bad += !h_expect("demo alive", rs_lookup("demo", &ep), OK);
	bad += !h_expect("same demo", ep == demo, 1);
	return bad;
}

/* Waits for the alarm's notification; 1 if it came. */
static int alarm_rang(void)
{
	message m;

	return ipc_receive(KERNEL, &m) == OK &&
		(m.u.notify.pending & NOTIFY_KERNEL_ALARM) != 0;
}

static int alarm_child(void)
{
	/* Set and gone: the slot's next owner must not hear it. */
	sys_setalarm(20, NULL);
	return 0;
}

static int alarms(void)
{
	uint32_t left = 0;
	int bad = 0;

	bad += !h_expect("huge", sys_setalarm(0xffffffffu, &left), OK);
	bad += !h_expect("no old one", left, 0);
	bad += !h_expect("replace", sys_setalarm(30, &left), OK);
	bad += !h_expect("old one left", left > 1000000, 1);
	bad += !h_expect("cancel", sys_setalarm(0, &left), OK);
	bad += !h_expect("30 ms left", left > 0 && left <= 40, 1);
	for (int i = 0; i < 2000; i++)
		if (sys_setalarm((uint32_t)i * 7919u, NULL) != OK)
			bad++;
	bad += !h_expect("cancel again", sys_setalarm(0, NULL), OK);
	for (int i = 0; i < 4; i++)
		bad += !h_expect("child", h_child_status(alarm_child), 0);
	bad += !h_expect("set 20 ms", sys_setalarm(20, NULL), OK);
	bad += !h_expect("rings", alarm_rang(), 1);
	return bad;
}

static int bootfile(const char *name, vir_bytes buf, uint32_t len,
	uint32_t *size)
{
	message m = { 0 };
	int r;

	m.m_type = VM_BOOTFILE;
	strlcpy(m.u.vm_bootfile.name, name, VM_BOOTFILE_NAME_LEN);
	m.u.vm_bootfile.buf = buf;
	m.u.vm_bootfile.len = len;
	r = vm_call(&m);
	if (size)
		*size = m.u.reply.value[0];
	return r;
}

static char small[100];
static char page[8192] __attribute__((aligned(4096)));

static int vm_requests(void)
{
	message m = { 0 };
	uint32_t size = 0;
	int bad = 0;

	m.m_type = VM_RS_START;
	strlcpy(m.u.vm_rs_start.cmd, "demo evil", VM_RS_CMD_LEN);
	m.u.vm_rs_start.calls = 0xffffffffu;
	m.u.vm_rs_start.ipc_to[0] = PRIV_IPC_ALL;
	bad += !h_expect("rs_start", vm_call(&m), EPERM);
	memset(&m, 0, sizeof m);
	m.m_type = VM_GETEXIT;
	bad += !h_expect("getexit", vm_call(&m), EPERM);
	/* The image's files are no secret, but the buffer must be the
	 * caller's own, writable, and all there. */
	bad += !h_expect("cut", bootfile("rs", (vir_bytes)small, sizeof small,
		&size), OK);
	bad += !h_expect("size told", size > sizeof small, 1);
	bad += !h_expect("ELF", memcmp(small, "\177ELF", 4), 0);
	bad += !h_expect("page 0", bootfile("rs", 0, 64, NULL), EFAULT);
	bad += !h_expect("kernel", bootfile("rs", KERNEL_ADDR, 64, NULL),
		EFAULT);
	bad += !h_expect("wrap", bootfile("rs", 0xfffff000u, 0x2000, NULL),
		EINVAL);
	bad += !h_expect("text", bootfile("rs", (vir_bytes)&vm_requests, 64,
		NULL), EFAULT);
	bad += !h_expect("past the end", bootfile("rs", (vir_bytes)page,
		0x7fffffffu, NULL), EFAULT);
	bad += !h_expect("no file", bootfile("../rs", (vir_bytes)page, 64,
		NULL), ENOENT);
	memset(&m, 0, sizeof m);
	m.m_type = VM_BOOTFILE;
	memset(m.u.vm_bootfile.name, 'r', VM_BOOTFILE_NAME_LEN);  /* no NUL */
	m.u.vm_bootfile.buf = (vir_bytes)page;
	m.u.vm_bootfile.len = 64;
	bad += !h_expect("no NUL", vm_call(&m), ENOENT);
	/* Pages not there yet are brought in, not refused. */
	bad += !h_expect("fresh pages", bootfile("system.conf",
		(vir_bytes)page + 4000, 200, &size), OK);
	bad += !h_expect("policy text", memcmp(page + 4000, "#", 1), 0);
	return bad;
}

static int rs_requests(void)
{
	message m = { 0 };
	endpoint_t ep;
	int bad = 0;

	m.m_type = RS_READY;
	bad += !h_expect("ready", rs_call(&m), EPERM);
	memset(&m, 0, sizeof m);
	m.m_type = RS_LOOKUP;
	memset(m.u.rs.label, 'd', RS_LABEL_LEN);
	bad += !h_expect("no NUL", rs_call(&m), E2BIG);
	memset(&m, 0, sizeof m);
	m.m_type = 0x5fff;
	bad += !h_expect("unknown", rs_call(&m), EINVAL);
	/* The kernel's type for notifications cannot be forged: a server
	 * may trust it. */
	memset(&m, 0, sizeof m);
	m.m_type = NOTIFY_MESSAGE;
	bad += !h_expect("forged notify", ipc_sendrec(RS_ENDPOINT, &m),
		EINVAL);
	bad += !h_expect("forged notify to PM", ipc_send(PM_ENDPOINT, &m),
		EINVAL);
	for (int i = 0; i < 500; i++) {
		memset(&m, 0, sizeof m);
		m.m_type = RS_STATUS;
		strlcpy(m.u.rs.label, i & 1 ? "demo" : "nosuch", RS_LABEL_LEN);
		if (rs_call(&m) != (i & 1 ? OK : ENOENT))
			bad++;
	}
	bad += !h_expect("still answers", rs_lookup("ds", &ep), OK);
	/* A notification pretending to be a heartbeat answer is harmless. */
	memset(&m, 0, sizeof m);
	bad += !h_expect("notify rs", ipc_notify(RS_ENDPOINT, &m), OK);
	return bad;
}

/* A service's label and state belong to it in DS; an ordinary process
 * can take neither. */
static int ds_squat(void)
{
	endpoint_t ds, demo;
	uint32_t junk[9] = { 0 };
	int bad = 0;

	message m = { 0 };

	if (rs_find("ds", &ds, 500) != OK || rs_find("demo", &demo, 500) != OK)
		return 90;
	ds_use(ds);
	/* Keys a service has not published yet are its all the same. */
	bad += !h_expect("unpublished", ds_publish_u32("demo.later", 1, 0),
		EPERM);
	bad += !h_expect("label-named", ds_publish_u32("demo", 1, 0), EPERM);
	/* The demo service writes its state (any client may ask it to). */
	m.m_type = DEMO_PUT;
	m.u.w[0] = 1;
	m.u.w[1] = 11;
	bad += !h_expect("put", ipc_sendrec(demo, &m) == OK ?
		m.u.reply.status : -1, OK);
	bad += !h_expect("label", ds_publish_label("demo", h_info.self,
		DSF_OVERWRITE), EPERM);
	bad += !h_expect("state", ds_publish_mem("demo.state", junk,
		sizeof junk, DSF_OVERWRITE), EPERM);
	bad += !h_expect("delete label", ds_delete("demo"), EPERM);
	bad += !h_expect("delete state", ds_delete("demo.state"), EPERM);
	bad += !h_expect("label kept", ds_retrieve_label("demo", &ds), OK);
	bad += !h_expect("still demo", ds == demo, 1);
	return bad;
}

/* PM will not end a service, whoever asks. */
static int pm_kill_service(void)
{
	message m = { 0 };
	endpoint_t demo, after;
	int r;

	if (rs_find("demo", &demo, 500) != OK)
		return 90;
	m.m_type = PM_KILL;
	m.u.pm.a = demo;
	r = ipc_sendrec(PM_ENDPOINT, &m);
	if (r == OK)
		r = m.u.reply.status;
	if (r != ESRCH && r != EPERM)
		return 1;
	return !h_expect("demo untouched", rs_lookup("demo", &after) == OK &&
		after == demo, 1);
}

/* Live update is for the admin right only; its inner steps are RS's and
 * VM's alone. Nothing changes for the demo service. */
static int updates(void)
{
	message m = { 0 };
	endpoint_t demo, after;
	int bad = 0, st = 0;
	uint32_t v = 0;
	pid_t pid;

	if (rs_find("demo", &demo, 500) != OK)
		return 90;
	m.m_type = RS_UPDATE;
	strlcpy(m.u.rs_update.label, "demo", RS_LABEL_LEN);
	strlcpy(m.u.rs_update.program, "demo_v2", RS_PROGRAM_LEN);
	bad += !h_expect("update", rs_call(&m), EPERM);
	memset(&m, 0, sizeof m);
	m.m_type = RS_UPDATE;
	memset(m.u.rs_update.label, 'x', RS_LABEL_LEN);	/* no NUL */
	bad += !h_expect("update, no NUL", rs_call(&m), E2BIG);
	/* RS's own command, spawned by one without the right, has none. */
	pid = spawn("update label=demo program=demo_v2");
	bad += !h_expect("spawn update", pid > 0, 1);
	if (pid > 0)
		waitpid(pid, &st, 0);
	bad += !h_expect("update command", st, EPERM);
	memset(&m, 0, sizeof m);
	m.m_type = RS_QUIESCENT;
	bad += !h_expect("quiescent", rs_call(&m), EINVAL);
	memset(&m, 0, sizeof m);
	m.m_type = RS_PREPARE;	/* to the service: only from RS */
	bad += !h_expect("prepare", ipc_sendrec(demo, &m) == OK ?
		m.u.reply.status : -1, EPERM);
	memset(&m, 0, sizeof m);
	m.m_type = VM_RS_UPDATE;
	m.u.update.old_ep = demo;
	m.u.update.new_ep = h_info.self;
	bad += !h_expect("vm swap", vm_call(&m), EPERM);
	bad += !h_expect("kernel swap", sys_update(demo, h_info.self), EPERM);
	bad += !h_expect("kernel swap, servers", sys_update(PM_ENDPOINT,
		VM_ENDPOINT), EPERM);
	memset(&m, 0, sizeof m);
	m.m_type = DEMO_VERSION;
	bad += !h_expect("demo version", ipc_sendrec(demo, &m) == OK &&
		m.u.reply.status == OK ? (int)(v = m.u.reply.value[0]) : -1,
		1);
	bad += !h_expect("same demo", rs_lookup("demo", &after) == OK &&
		after == demo, 1);
	return bad;
}

const struct hostile_case hostile_rs_cases[] = {
	{ "rs.updates", updates, HOSTILE_OK },
	{ "rs.manager_calls", manager_calls, HOSTILE_OK },
	{ "rs.alarms", alarms, HOSTILE_OK },
	{ "rs.vm_requests", vm_requests, HOSTILE_OK },
	{ "rs.requests", rs_requests, HOSTILE_OK },
	{ "rs.ds_squat", ds_squat, HOSTILE_OK },
	{ "rs.pm_kill_service", pm_kill_service, HOSTILE_OK },
};
const int hostile_rs_count =
	sizeof hostile_rs_cases / sizeof hostile_rs_cases[0];

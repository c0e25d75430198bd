/*
 * Tests of RS's policy parser (servers/rs/policy.c) and of the system
 * image reader (vm/bootfs.c): a good policy gives each service the basic
 * calls plus its own and its targets; every kind of mistake is refused
 * with the line it is on and a reason; archives that lie about their
 * sizes or are cut short are refused, not overrun.
 */
#include "check.h"

#include <stdio.h>
#include <string.h>
#include "servers/rs/policy.h"
#include "vm/bootfs.h"

static struct policy pol;
static char why[96];
static int line;

static int parse(const char *text)
{
	return policy_parse(text, strlen(text), &pol, &line, why, sizeof why);
}

TEST(rs_policy, services_in_order_with_their_rights)
{
	CHECK_EQ(parse("# the services\n"
		"service ds program=ds ipc=all\n"
		"\n"
		"service demo program=demo ipc=ds,pm calls=kill,umap "
		"heartbeat=200 limit=3 args=x1   # trailing comment\n"
		"service drv program=drv vm=phys restart=never\n"), OK);
	CHECK_EQ(pol.count, 3);
	CHECK_STR(pol.svc[0].label, "ds");
	CHECK(pol.svc[0].ipc_all);
	CHECK_EQ_U(pol.svc[0].calls, policy_basic_calls());
	CHECK_EQ(pol.svc[0].limit, 5);
	CHECK_EQ(pol.svc[0].heartbeat_ms, 0);
	CHECK_STR(pol.svc[1].program, "demo");
	CHECK(!pol.svc[1].ipc_all);
	CHECK_STR(pol.svc[1].ipc[0], "ds");
	CHECK_STR(pol.svc[1].ipc[1], "pm");
	CHECK_EQ_U(pol.svc[1].calls, policy_basic_calls() |
		SYS_CALL_BIT(SYS_KILL) | SYS_CALL_BIT(SYS_UMAP));
	CHECK_EQ(pol.svc[1].heartbeat_ms, 200);
	CHECK_EQ(pol.svc[1].limit, 3);
	CHECK_STR(pol.svc[1].arg, "x1");
	CHECK_EQ_U(pol.svc[2].vm_flags, RSV_PHYS);
	CHECK_EQ(pol.svc[2].restart, RESTART_NEVER);
	/* No service gets the calls only boot drivers and servers have. */
	for (int i = 0; i < pol.count; i++)
		CHECK_EQ_U(pol.svc[i].calls & (SYS_CALL_BIT(SYS_SHUTDOWN) |
			SYS_CALL_BIT(SYS_NEWPROC) | SYS_CALL_BIT(SYS_VMCTL) |
			SYS_CALL_BIT(SYS_CLEAR) | PRIV_RECORD), 0);
}

/* text fails on line want_line, and the reason contains part. */
static void refused(const char *text, int want_line, const char *part)
{
	CHECK_EQ(parse(text), EINVAL);
	CHECK_EQ(line, want_line);
	if (strstr(why, part) == NULL) {
		fprintf(stderr, "  reason \"%s\" lacks \"%s\"\n", why, part);
		CHECK(0);
	}
}

TEST(rs_policy, mistakes_name_their_line)
{
	refused("service ds program=ds\nservice x program=y bogus=1\n", 2,
		"unknown key 'bogus'");
	refused("servce ds program=ds\n", 1, "starts with 'service'");
	refused("service ds\n", 1, "no program=");
	refused("service\n", 1, "without a label");
	refused("service ds program=ds\nservice ds program=ds\n", 2,
		"used twice");
	refused("service pm program=pm\n", 1, "is a server");
	refused("service a program=a calls=shutdown\n", 1,
		"unknown call 'shutdown'");
	refused("service a program=a calls=newproc\n", 1, "unknown call");
	refused("service a program=a ipc=b\n", 1, "no earlier service");
	refused("service a program=a\nservice b program=b ipc=a,pm,a\n", 2,
		"more than 2");
	refused("service a program=a heartbeat=5\n", 1, "heartbeat");
	refused("service a program=a heartbeat=99999999999\n", 1,
		"heartbeat");
	refused("service a program=a limit=0\n", 1, "limit");
	refused("service a program=a restart=sometimes\n", 1, "restart");
	refused("service a program=a vm=everything\n", 1, "vm right");
	refused("service a program=a nokey\n", 1, "not key=value");
	refused("service averyveryverylonglabel program=a\n", 1,
		"bad label");
	refused("service A! program=a\n", 1, "bad label");
	refused("service a program=../x\n", 1, "bad program");
	refused("service a program=a args=a_very_long_word\n", 1, "args");
	char big[400];
	memset(big, 'x', sizeof big);
	memcpy(big, "service a program=", 18);
	big[sizeof big - 1] = '\0';
	refused(big, 1, "longer than 255");
	/* A NUL inside the text is not the end of it. */
	CHECK_EQ(policy_parse("service a program=a\0x", 21, &pol, &line, why,
		sizeof why), EINVAL);
	CHECK_EQ(line, 1);
	/* Seventeen services are one too many. */
	char many[2048];
	size_t n = 0;
	for (int i = 0; i < 17; i++)
		n += (size_t)snprintf(many + n, sizeof many - n,
			"service s%d program=p\n", i);
	refused(many, 17, "more than 16");
}

/* --- the system image ---------------------------------------------------- */

static uint8_t ar[4096];

/* A ustar header for name with size at block `at`; returns the next free
 * block after its data. */
static size_t member(size_t at, const char *name, const char *data,
	size_t size, char type)
{
	uint8_t *h = ar + at * 512;

	memset(h, 0, 512);
	strcpy((char *)h, name);
	snprintf((char *)h + 124, 12, "%011o", (unsigned)size);
	h[156] = (uint8_t)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 512, data, size);
	return at + 1 + (size + 511) / 512;
}

TEST(bootfs, finds_regular_files_only)
{
	const uint8_t *d;
	size_t sz, at;

	memset(ar, 0, sizeof ar);
	at = member(0, "dir", "", 0, '5');
	at = member(at, "rs", "RSRSRS", 6, '0');
	at = member(at, "system.conf", "service", 7, '0');
	(void)at;
	CHECK(bootfs_is_archive(ar, sizeof ar));
	CHECK_EQ(bootfs_find(ar, sizeof ar, "rs", &d, &sz), OK);
	CHECK_EQ(sz, 6);
	CHECK(memcmp(d, "RSRSRS", 6) == 0);
	CHECK_EQ(bootfs_find(ar, sizeof ar, "system.conf", &d, &sz), OK);
	CHECK_EQ(sz, 7);
	CHECK_EQ(bootfs_find(ar, sizeof ar, "dir", &d, &sz), ENOENT);
	CHECK_EQ(bootfs_find(ar, sizeof ar, "r", &d, &sz), ENOENT);
	CHECK_EQ(bootfs_find(ar, sizeof ar, "nothing", &d, &sz), ENOENT);
	CHECK(!bootfs_is_archive((const uint8_t *)"\177ELF", 4));
}

TEST(bootfs, lying_archives_are_refused)
{
	const uint8_t *d;
	size_t sz;

	memset(ar, 0, sizeof ar);
	member(0, "a", "x", 1, '0');
	/* A size past the archive's end. */
	snprintf((char *)ar + 124, 12, "%011o", 0x7ffffff0u);
	CHECK_EQ(bootfs_find(ar, sizeof ar, "b", &d, &sz), EINVAL);
	CHECK_EQ(bootfs_find(ar, sizeof ar, "a", &d, &sz), EINVAL);
	/* Not a number. */
	memcpy(ar + 124, "12x4567890a", 11);
	CHECK_EQ(bootfs_find(ar, sizeof ar, "a", &d, &sz), EINVAL);
	/* A member cut short by the end of the module. */
	member(0, "a", "0123456789", 10, '0');
	CHECK_EQ(bootfs_find(ar, 512 + 5, "a", &d, &sz), EINVAL);
	/* Shorter than one header: nothing found, nothing read. */
	CHECK_EQ(bootfs_find(ar, 100, "a", &d, &sz), ENOENT);
	CHECK(!bootfs_is_archive(ar, 100));
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}

/*
 * Tests of kernel/console.c: what reaches the serial port. Only the kernel
 * and the boot's driver may start a serial line with "CAIRN "; every line
 * of another process's text starts with its tag, a record starts a line
 * of its own, and text that continues a line after something else came
 * between is marked "[...] ". The source is included with the spinlock
 * and the architecture (the serial port) stubbed: the port is a buffer
 * here.
 */
#include "check.h"

#include <stdint.h>
#include <string.h>

/* Stubs of smp/spinlock.h (one CPU, no interrupts) and of kernel/arch.h,
 * of which console.c uses only the serial port. */
#define CAIRN_SPINLOCK_H
#define CAIRN_ARCH_H
struct spinlock { uint32_t held; };
#define SPINLOCK_INIT	{ 0 }
static inline uint32_t spin_lock_irqsave(struct spinlock *l)
{
	l->held = 1;
	return 0;
}
static inline void spin_unlock_irqrestore(struct spinlock *l, uint32_t f)
{
	(void)f;
	l->held = 0;
}
static inline int spin_is_locked(const struct spinlock *l)
{
	return l->held != 0;
}

static char port[1 << 18];
static size_t port_len;

void serial_write(const char *s, unsigned n)
{
	if (port_len + n < sizeof port) {
		memcpy(port + port_len, s, n);
		port_len += n;
	}
	port[port_len] = '\0';
}

#include "kernel/console.c"

/* A fresh console and port (the file's statics). */
static void reset(int q)
{
	port_len = 0;
	port[0] = '\0';
	diag_head = diag_sent = 0;
	diag_bol = serial_bol = 1;
	diag_owner = CONSOLE_KERNEL;
	quiet = q;
}

static void from(int32_t src, const char *s)
{
	console_write_from(src, s, (unsigned)strlen(s));
}

/* Whether any line of the port starts with "CAIRN " but is not want (a
 * record line the test sent itself, or NULL). */
static int forged_line_start(const char *want)
{
	const char *p = port;

	while (p != NULL && *p) {
		if (strncmp(p, "CAIRN ", 6) == 0 &&
		    (want == NULL || strncmp(p, want, strlen(want)) != 0))
			return 1;
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return 0;
}

TEST(console, each_line_of_a_process_is_tagged)
{
	reset(0);
	from(1030, "one\nCAIRN panic cpu=0 msg=x #00000000\n");
	CHECK_STR(port, "[1030] one\n[1030] CAIRN panic cpu=0 msg=x "
		"#00000000\n");
	CHECK(!forged_line_start(NULL));
}

TEST(console, kernel_and_driver_text_is_untagged)
{
	reset(0);
	console_write("cairn: booting\n", 15);
	from(CONSOLE_UNTAGGED, "test x: pass\n");
	CHECK_STR(port, "cairn: booting\ntest x: pass\n");
}

TEST(console, a_line_goes_on_across_writes_of_one_process)
{
	reset(0);
	from(7, "abc");
	from(7, "def\n");
	CHECK_STR(port, "[7] abcdef\n");
}

TEST(console, another_writer_in_the_middle_of_a_line)
{
	reset(0);
	from(7, "abc");
	from(9, "CAIRN test name=x result=pass detail=y #00000000\n");
	from(7, "def\n");
	CHECK_STR(port, "[7] abc\n[9] CAIRN test name=x result=pass "
		"detail=y #00000000\n[7] def\n");
	/* After the kernel's partial line too. */
	reset(0);
	console_write("cpu1 ", 5);
	from(9, "CAIRN x #0\n");
	CHECK_STR(port, "cpu1 \n[9] CAIRN x #0\n");
	CHECK(!forged_line_start(NULL));
}

TEST(console, control_characters_print_as_dots)
{
	reset(0);
	from(5, "\rCAIRN done #0\x1b[2K\tx\n");
	CHECK_STR(port, "[5] .CAIRN done #0.[2K\tx\n");
}

TEST(console, a_record_starts_its_own_line)
{
	static const char rec[] = "CAIRN test name=a result=pass #00000000\n";

	reset(0);
	from(5, "half a line");
	console_write_record(rec, sizeof rec - 1);
	/* The process goes on with its line: it must not start the next
	 * serial line with its own bytes. */
	from(5, "CAIRN panic cpu=0 msg=forged #00000000\n");
	CHECK_STR(port, "[5] half a line\nCAIRN test name=a result=pass "
		"#00000000\n[...] CAIRN panic cpu=0 msg=forged #00000000\n");
	CHECK(!forged_line_start("CAIRN test name=a"));
}

TEST(console, quiet_dump_after_a_record)
{
	static const char rec[] = "CAIRN hello v=1 #0\n";

	reset(1);
	from(5, "CAIRN ");
	console_write_record(rec, sizeof rec - 1);
	CHECK_STR(port, rec);		/* quiet: records only */
	console_flush_diag();
	CHECK(strstr(port, "--- diagnostics buffer ---\n[5] CAIRN ") != NULL);
	CHECK(!forged_line_start("CAIRN hello"));
}

TEST(console, lost_start_of_a_line_is_marked)
{
	char big[DIAG_SIZE / 4];

	reset(1);
	/* One process fills the ring past its size with a single line, so
	 * the tag at its start is overwritten; the dump must not begin
	 * with the process's bytes. */
	memset(big, 'x', sizeof big);
	memcpy(big + sizeof big - 12, "CAIRN panic ", 12);
	for (int i = 0; i < 5; i++)
		console_write_from(5, big, sizeof big);
	console_flush_diag();
	CHECK(strncmp(port, "\n--- diagnostics buffer ---\n[...] ", 34) == 0);
	CHECK(!forged_line_start(NULL));
}

int main(int argc, char **argv)
{
	return check_main(argc, argv);
}

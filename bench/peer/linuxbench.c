/*
 * Cairn's user-space benchmarks (bench/user/ubench.c) as a Linux program:
 * run as /init of Debian's i386 kernel, it measures the nearest Linux
 * equivalents with Cairn's own runner, timer and records
 * (bench/user/urunner.c), then ends QEMU through isa-debug-exit.
 * The host side is bench/lab/cairn/peer.py; metric names start "linux.".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench/user/urunner.h"
#include "cairn/urecord.h"
#include "bench/peer/peer.h"

#define PAGE		4096
#define MSG_BYTES	64	/* Cairn's message */
#define MAX_LIST	12

/* --- what is measured --------------------------------------------------------- */

/* getppid through the oldest entry, as Cairn's kentry.null.int. */
static uint64_t syscall_int80(const struct ubench *b)
{
	uint64_t t0 = bench_begin();

	for (uint32_t i = 0; i < b->batch; i++) {
		long r = SYS_getppid;
		__asm__ volatile("int $0x80" : "+a"(r) : : "memory");
	}
	return bench_end() - t0;
}

/* getppid the way programs make a system call: glibc's syscall(), which
 * calls the vDSO's __kernel_vsyscall (sysenter where the CPU has it). */
static uint64_t syscall_libc(const struct ubench *b)
{
	uint64_t t0 = bench_begin();

	for (uint32_t i = 0; i < b->batch; i++)
		syscall(SYS_getppid);
	return bench_end() - t0;
}

/* A process that sends back every 64 bytes it reads: Cairn's echo server. */
struct echo {
	int to[2];		/* requests: we write [1], it reads [0] */
	int from[2];		/* replies */
	pid_t pid;
};

static struct echo echoes[2];	/* [0] on CPU 0, [1] on the last CPU */

static uint64_t pipe_round_trip(const struct ubench *b)
{
	static char msg[MSG_BYTES];
	const struct echo *e = &echoes[b->arg];
	uint64_t t0 = bench_begin();

	for (uint32_t i = 0; i < b->batch; i++)
		if (write(e->to[1], msg, sizeof msg) != sizeof msg ||
		    read(e->from[0], msg, sizeof msg) != sizeof msg)
			peer_die("pipe round trip failed");
	return bench_end() - t0;
}

/* Pages for the fault benchmarks: one per sample, warm-up included. */
static unsigned fault_pages;

static uint8_t *fresh_region(void)
{
	uint8_t *p = mmap(NULL, (size_t)fault_pages * PAGE,
		PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		peer_die("no memory for the page-fault benchmarks");
	/* 4 KiB pages, as Cairn maps: no transparent huge page. */
	madvise(p, (size_t)fault_pages * PAGE, MADV_NOHUGEPAGE);
	return p;
}

static uint8_t *fresh, *fresh_end;

/* A store to a fresh page of an anonymous mapping: Cairn's heap fault. */
static uint64_t fault_anon(const struct ubench *b)
{
	(void)b;
	if (!fresh)
		fresh_end = (fresh = fresh_region()) + (size_t)fault_pages * PAGE;
	if (fresh == fresh_end)
		peer_die("fault_anon: out of fresh pages");
	volatile uint8_t *p = fresh;
	fresh += PAGE;
	uint64_t t0 = bench_begin();
	*p = 1;
	return bench_end() - t0;
}

static uint8_t *shared, *shared_end;
static pid_t cow_holder;

/* A store to a page that a forked child still shares: copy on write. */
static uint64_t fault_cow(const struct ubench *b)
{
	(void)b;
	if (!shared) {
		shared = fresh_region();
		shared_end = shared + (size_t)fault_pages * PAGE;
		for (uint8_t *p = shared; p < shared_end; p += PAGE)
			*p = 1;
		cow_holder = fork();
		if (cow_holder < 0)
			peer_die("fault_cow: fork failed");
		if (cow_holder == 0)
			for (;;)
				pause();	/* holds the pages until killed */
	}
	if (shared == shared_end)
		peer_die("fault_cow: out of shared pages");
	volatile uint8_t *p = shared;
	shared += PAGE;
	uint64_t t0 = bench_begin();
	*p = 2;
	return bench_end() - t0;
}

static uint64_t mmap_munmap(const struct ubench *b)
{
	uint64_t t0 = bench_begin();

	for (uint32_t i = 0; i < b->batch; i++) {
		void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED || munmap(p, PAGE) != 0)
			peer_die("mmap_munmap failed");
	}
	return bench_end() - t0;
}

static uint64_t fork_exit_wait(const struct ubench *b)
{
	int status;

	(void)b;
	uint64_t t0 = bench_begin();
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		peer_die("fork_exit_wait failed");
	return bench_end() - t0;
}

/* As Cairn's proc.exec: a forked child reads the TSC and execs this
 * program (/init) with it; the new image reads the TSC first thing in
 * main and writes the difference into a pipe the parent reads. That is
 * exec alone, not the fork, exit or wait around it. */
static uint64_t exec_alone(const struct ubench *b)
{
	uint64_t t = 0;
	int fds[2], status;
	pid_t pid;

	(void)b;
	if (pipe(fds) != 0)
		peer_die("exec: pipe failed");
	pid = fork();
	if (pid == 0) {
		char fd[16], t0[17] = { 0 };
		char *argv[] = { "/init", "execd", fd, t0, NULL };
		char *envp[] = { NULL };
		uint64_t now;

		close(fds[0]);
		snprintf(fd, sizeof fd, "%d", fds[1]);
		now = bench_begin();
		for (int i = 15; i >= 0; i--, now >>= 4)
			t0[i] = "0123456789abcdef"[now & 15];
		execve("/init", argv, envp);
		_exit(1);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], &t, sizeof t) != sizeof t ||
	    waitpid(pid, &status, 0) != pid || status != 0)
		peer_die("exec failed");
	close(fds[0]);
	return t;
}

/* The new image of exec_alone: /init execd FD T0. */
static void __attribute__((noreturn)) execd(char **argv)
{
	uint64_t t1 = bench_end(), t0 = strtoull(argv[3], NULL, 16);
	uint64_t d = t1 - t0;

	_exit(write(atoi(argv[2]), &d, sizeof d) == sizeof d ? 0 : 1);
}

/* --- processes and CPUs ------------------------------------------------------ */

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof set, &set) != 0)
		peer_die("sched_setaffinity to CPU %d failed", cpu);
}

static void stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static unsigned online_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof set, &set) != 0)
		return 1;
	return (unsigned)CPU_COUNT(&set);
}

/* Brings up the CPUs that Linux left offline (the peer boots with
 * maxcpus=1). Under QEMU 7.2's icount, a vCPU that spins without `pause`
 * is given every instruction up to the next timer and the others none
 * (later QEMUs split that budget between the vCPUs); Linux 6.1's boot CPU
 * waits for a starting CPU in just such a loop (schedule() until a flag
 * is set), so a boot at -smp 2 never ends. Here a process on CPU 0 spins
 * with `pause` meanwhile, and each `pause` hands the turn on to the
 * starting CPU. */
static void online_all_cpus(void)
{
	char path[64], state;

	for (int cpu = 1; cpu < CPU_SETSIZE; cpu++) {
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/"
			"online", cpu);
		int fd = open(path, O_RDWR);
		if (fd < 0)
			break;
		if (read(fd, &state, 1) == 1 && state == '0') {
			pid_t spinner = fork();
			if (spinner == 0)
				for (;;)
					__asm__ volatile("pause");
			if (spinner < 0 || pwrite(fd, "1", 1, 0) != 1)
				peer_die("could not bring CPU %d online", cpu);
			stop(spinner);
		}
		close(fd);
	}
}

static void start_echo(struct echo *e, int cpu)
{
	char ready;

	if (pipe(e->to) != 0 || pipe(e->from) != 0)
		peer_die("no pipes for the echo server");
	e->pid = fork();
	if (e->pid < 0)
		peer_die("fork of the echo server failed");
	if (e->pid == 0) {
		char buf[MSG_BYTES];

		pin(cpu);
		if (write(e->from[1], "r", 1) != 1)
			_exit(1);
		while (read(e->to[0], buf, sizeof buf) == sizeof buf)
			if (write(e->from[1], buf, sizeof buf) != sizeof buf)
				break;
		_exit(0);
	}
	if (read(e->from[0], &ready, 1) != 1)	/* it runs on its CPU */
		peer_die("echo server on CPU %d did not start", cpu);
}

/* --- what the records say about this Linux ----------------------------------- */

static void peer_fact(const char *key, const char *text)
{
	char k[400], enc[600];

	urecord("peer", "key=%s str=%s", urecord_text(k, sizeof k, key),
		urecord_text(enc, sizeof enc, text));
}

/* The first line of a file, without its newline; "" if unreadable. */
static const char *first_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, (int)size, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* The CPU the guest sees and the TSC rate Linux calibrated. */
static void describe_cpu(void)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");
	int model = 0, mhz = 0;

	while (f && fgets(line, sizeof line, f) && !(model && mhz)) {
		char *v = strchr(line, ':');
		if (!v)
			continue;
		v += 1 + (v[1] == ' ');
		v[strcspn(v, "\n")] = '\0';
		if (!model && strncmp(line, "model name", 10) == 0) {
			peer_fact("cpu", v);
			model = 1;
		} else if (!mhz && strncmp(line, "cpu MHz", 7) == 0) {
			unsigned mhz_int = 0, frac = 0;
			sscanf(v, "%u.%3u", &mhz_int, &frac);
			urecord("clock", "tsc_khz=%u source=linux",
				mhz_int * 1000 + frac);
			mhz = 1;
		}
	}
	if (f)
		fclose(f);
}

/* Linux's own account of the speculation mitigations it runs with: they
 * are in every kernel entry and exit measured here. */
static void describe_mitigations(void)
{
	static const char dir[] = "/sys/devices/system/cpu/vulnerabilities";
	struct dirent **names;
	char path[600], key[300], text[256];
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			snprintf(path, sizeof path, "%s/%s", dir,
				names[i]->d_name);
			snprintf(key, sizeof key, "vuln.%s", names[i]->d_name);
			peer_fact(key, first_line(path, text, sizeof text));
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

static void describe_linux(unsigned cpus)
{
	struct utsname u;
	char text[1024], enc[1024];

	urecord("hello", "v=1 mode=bench cpus=%u os=linux", cpus);
	uname(&u);
	peer_fact("release", u.release);
	peer_fact("version", u.version);
	peer_fact("machine", u.machine);
	urecord("cmdline", "str=%s", urecord_text(enc, sizeof enc,
		first_line("/proc/cmdline", text, sizeof text)));
	describe_cpu();
	describe_mitigations();
	peer_fact("syscall_path", getauxval(AT_SYSINFO) ?
		"vdso __kernel_vsyscall" : "int 0x80 (no AT_SYSINFO)");
}

/* --- the run ------------------------------------------------------------------- */

/* key=value from the kernel command line: Linux hands the words it does
 * not know to init, with '=' as environment, without as arguments. */
static const char *param(int argc, char **argv, const char *key,
	const char *d)
{
	size_t n = strlen(key);
	const char *v = getenv(key);

	for (int i = 1; i < argc && !v; i++)
		if (strncmp(argv[i], key, n) == 0 && argv[i][n] == '=')
			v = argv[i] + n + 1;
	return v ? v : d;
}

static unsigned number(const char *s)
{
	return (unsigned)strtoul(s, NULL, 10);
}

static unsigned measure(struct ubench *list, unsigned cpus)
{
	unsigned n = 0;

	list[n++] = (struct ubench){ .name = "linux.syscall.int80",
		.desc = "getppid() through int $0x80: kernel entry and exit "
		"with the smallest system call", .batch = 64,
		.sample = syscall_int80 };
	list[n++] = (struct ubench){ .name = "linux.syscall.libc",
		.desc = "getppid() through glibc's syscall(), which enters "
		"through the vDSO's __kernel_vsyscall (sysenter)", .batch = 64,
		.sample = syscall_libc };
	list[n++] = (struct ubench){ .name = "linux.pipe.same_cpu",
		.desc = "64 bytes written to a pipe and read back from a "
		"second pipe, echoed by a process on the same CPU",
		.batch = 16, .sample = pipe_round_trip };
	if (cpus > 1)
		list[n++] = (struct ubench){ .name = "linux.pipe.cross_cpu",
			.desc = "the same round trip with the echoing process "
			"on another CPU (both CPUs' instructions under "
			"icount)", .batch = 16, .sample = pipe_round_trip,
			.arg = 1 };
	list[n++] = (struct ubench){ .name = "linux.mmap_munmap",
		.desc = "mmap of one anonymous private page, then munmap of it "
		"(never touched)", .batch = 16, .sample = mmap_munmap };
	/* Before the fault benchmarks touch their pages: fork copies the
	 * page table entries of touched anonymous memory. */
	list[n++] = (struct ubench){ .name = "linux.fork_exit_wait",
		.desc = "fork() of this small static process, the child "
		"_exit(0)s, waitpid() reaps it; both on one CPU", .batch = 1,
		.sample = fork_exit_wait };
	list[n++] = (struct ubench){ .name = "linux.exec",
		.desc = "execve() of this static program by a forked child, "
		"from the call to the new image's main (fork, exit and wait "
		"not counted)", .batch = 1, .sample = exec_alone };
	list[n++] = (struct ubench){ .name = "linux.fault.anon",
		.desc = "store to a fresh page of an anonymous private "
		"mapping: fault, zeroed page allocated and mapped, retry",
		.batch = 1, .sample = fault_anon };
	list[n++] = (struct ubench){ .name = "linux.fault.cow",
		.desc = "store to a page shared copy-on-write with a forked "
		"child: fault, page copied and mapped writable, retry",
		.batch = 1, .sample = fault_cow };
	return n;
}

int main(int argc, char **argv)
{
	static struct ubench list[MAX_LIST];
	unsigned samples = number(param(argc, argv, "samples", "30"));
	unsigned warmup = number(param(argc, argv, "warmup", "5"));
	const char *only = param(argc, argv, "bench", "");

	if (argc == 4 && strcmp(argv[1], "execd") == 0)
		execd(argv);	/* first: exec_alone's clock runs */
	/* Kernel messages would cut records in the middle: emergencies
	 * only from here on. */
	klogctl(8 /* SYSLOG_ACTION_CONSOLE_LEVEL */, NULL, 1);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);

	online_all_cpus();
	unsigned cpus = online_cpus();
	describe_linux(cpus);

	pin(0);			/* measure on CPU 0, as Cairn's main */
	start_echo(&echoes[0], 0);
	if (cpus > 1)
		start_echo(&echoes[1], (int)cpus - 1);
	fault_pages = (samples < 200 ? samples : 200) + warmup + 1;

	unsigned n = measure(list, cpus), kept = 0;
	for (unsigned i = 0; i < n; i++)	/* bench=PREFIX, as Cairn's */
		if (strncmp(list[i].name, only, strlen(only)) == 0)
			list[kept++] = list[i];
	ubench_run(list, kept, samples, warmup);

	stop(echoes[0].pid);
	stop(echoes[1].pid);
	stop(cow_holder);
	urecord("done", "mode=bench tests=0 failed=0");
	peer_leave(PEER_EXIT_SUCCESS);
}

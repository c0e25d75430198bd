/*
 * Hostile cases: kernel entries with odd EFLAGS (issue 11). Whatever flags
 * a program enters with (TF, NT, AC, DF, IOPL, RF, all of them), through
 * int, sysenter or syscall, the kernel runs with clean ones and gives the
 * program back its own, minus what a user may not set (IF on, IOPL 0, NT
 * and VM off). A single-step with no debugger to take it kills the
 * program alone, with EDEBUG.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cairn/ipclib.h"
#include "cairn/syslib.h"
#include "tests/user/hostile.h"

#define F_CF	0x00000001u
#define F_PF	0x00000004u
#define F_AF	0x00000010u
#define F_ZF	0x00000040u
#define F_SF	0x00000080u
#define F_TF	0x00000100u
#define F_IF	0x00000200u
#define F_DF	0x00000400u
#define F_OF	0x00000800u
#define F_IOPL	0x00003000u
#define F_NT	0x00004000u
#define F_RF	0x00010000u
#define F_VM	0x00020000u
#define F_AC	0x00040000u
#define F_ID	0x00200000u
#define F_BASE	0x00000202u	/* IF and the reserved bit 1 */
/* Every bit a popfl in ring 3 may try (the CPU ignores IOPL there, and
 * VM and RF for popfl; TF is added only where a case wants it). */
#define F_ALL	(F_CF | F_PF | F_AF | F_ZF | F_SF | F_DF | F_OF | F_IOPL | \
	F_NT | F_RF | F_AC | F_ID)
/* What must come back as the program set it. */
#define F_OWN	(F_CF | F_PF | F_AF | F_ZF | F_SF | F_DF | F_OF | F_AC | F_ID)

/*
 * int hostile_entry_trap(int style, int op, endpoint_t ep, message *m,
 *                        uint32_t eflags, uint32_t *back):
 * one kernel entry by style (ENTRY_*) with EFLAGS loaded by the instruction just before it. The flags it came back
 * with go to *back; then sane flags return before anything else runs.
 */
int hostile_entry_trap(int style, int op, endpoint_t ep, message *m,
	uint32_t eflags, uint32_t *back);
__asm__(
	"	.text\n"
	"	.p2align 4\n"
	"	.globl	hostile_entry_trap\n"
	"	.type	hostile_entry_trap, @function\n"
	"hostile_entry_trap:\n"
	"	pushl	%ebp\n"
	"	movl	%esp, %ebp\n"
	"	pushl	%ebx\n"
	"	pushl	%esi\n"
	"	pushl	%edi\n"
	"	movl	12(%ebp), %eax\n"	/* op */
	"	movl	16(%ebp), %ebx\n"	/* ep */
	"	movl	20(%ebp), %esi\n"	/* m */
	"	movl	8(%ebp), %edi\n"	/* style */
	"	pushl	24(%ebp)\n"		/* eflags, for popfl */
	"	cmpl	$1, %edi\n"
	"	je	2f\n"
	"	cmpl	$2, %edi\n"
	"	je	3f\n"
	"	popfl\n"
	"	int	$0x80\n"
	"	jmp	9f\n"
	"2:	leal	4(%esp), %ecx\n"	/* sysexit's stack after popfl */
	"	movl	$9f, %edx\n"
	"	popfl\n"
	"	sysenter\n"
	"3:	leal	4(%esp), %edx\n"	/* syscall: the stack in %edx */
	"	popfl\n"
	"	syscall\n"
	"	jmp	9f\n"
	"9:	pushfl\n"
	"	pushl	$0x202\n"
	"	popfl\n"
	"	popl	%ecx\n"
	"	movl	28(%ebp), %edi\n"
	"	movl	%ecx, (%edi)\n"
	"	popl	%edi\n"
	"	popl	%esi\n"
	"	popl	%ebx\n"
	"	popl	%ebp\n"
	"	ret\n"
	"	.size	hostile_entry_trap, . - hostile_entry_trap\n");

static const char *const style_name[] = { "int", "sysenter", "syscall" };

/* Whether this CPU (and kernel) has the entry; says so when it does not. */
static int have(int style, const char *why)
{
	if (style == ENTRY_INT || (h_info.entry_mask & (1u << style)))
		return 1;
	printf("hostile: %s: SKIPPED: no %s on this CPU (entry mask 0x%x)\n",
		why, style_name[style], h_info.entry_mask);
	return 0;
}

/* What popfl in ring 3 accepts of f, read back without the kernel. */
static uint32_t accepted(uint32_t f)
{
	uint32_t got;

	__asm__ volatile("pushl %1\n\tpopfl\n\tpushfl\n\tpopl %0\n\t"
		"pushl $0x202\n\tpopfl" : "=r"(got) : "r"(f) : "cc");
	return got;
}

/* --- single-step: the program alone dies, with EDEBUG ----------------------- */

static int step_style;
static uint32_t step_flags;

static int step_child(void)
{
	uint32_t back;
	int r = hostile_entry_trap(step_style, IPC_NULL, NONE, NULL,
		step_flags, &back);

	/* Not reached: the trap after the first user instruction kills. */
	printf("hostile: a %s entry with flags 0x%x came back (%d, flags "
		"0x%x) and was not killed\n", style_name[step_style],
		step_flags, r, back);
	return 1;
}

/* 1 + 1 on the x87: after the debug task's task switches (which set
 * CR0.TS), the FPU must still be there for everyone, the attacker
 * included (a #NM would kill it). */
static int fpu_sum(void)
{
	int32_t two = 0;

	__asm__ volatile("fld1\n\tfld1\n\tfaddp\n\tfistpl %0" : "=m"(two));
	return two;
}

static int stepped(int style, uint32_t flags, const char *what)
{
	int ok;

	if (!have(style, what))
		return HOSTILE_OK;
	step_style = style;
	step_flags = flags;
	ok = h_expect(what, h_child_status(step_child), EDEBUG);
	ok &= h_expect("the x87 after the kill", fpu_sum(), 2);
	return ok ? HOSTILE_OK : 1;
}

static int tf_int(void)
{
	return stepped(ENTRY_INT, F_BASE | F_TF, "TF through int $0x80");
}

static int tf_sysenter(void)
{
	return stepped(ENTRY_SYSENTER, F_BASE | F_TF, "TF through sysenter");
}

static int tf_syscall(void)
{
	return stepped(ENTRY_SYSCALL, F_BASE | F_TF, "TF through syscall");
}

/* TF with every other bit too (NT, AC, DF, IOPL, RF, ...). */
static int all_with_tf(void)
{
	int bad = 0;

	for (int s = ENTRY_INT; s <= ENTRY_SYSCALL; s++) {
		char what[64];

		snprintf(what, sizeof what, "every flag and TF through %s",
			style_name[s]);
		bad |= stepped(s, F_BASE | F_ALL | F_TF, what);
	}
	return bad;
}

/* The task-gate vectors (#DB, NMI, #DF) are not a program's to raise:
 * int $n on them is a #GP, which kills the program (EFAULT). */
static int int_1(void)
{
	__asm__ volatile("int $1");
	return 1;
}

static int int_2(void)
{
	__asm__ volatile("int $2");
	return 1;
}

static int int_8(void)
{
	__asm__ volatile("int $8");
	return 1;
}

static int task_vectors(void)
{
	int ok = 1;

	ok &= h_expect("int $1 (#DB's task gate)", h_child_status(int_1),
		EFAULT);
	ok &= h_expect("int $2 (NMI's task gate)", h_child_status(int_2),
		EFAULT);
	ok &= h_expect("int $8 (#DF's task gate)", h_child_status(int_8),
		EFAULT);
	return ok ? HOSTILE_OK : 1;
}

/* --- flags without TF: the call works, the program's flags come back ------ */

/* Blocking calls (SENDREC to PM, which answers getpid) and a null call
 * with flags through style, n times each; then the flags that came back:
 * the program's own bits as it set them, IF on, and none of IOPL, NT,
 * VM (nor TF, never set here). */
static int flags_call(int style, uint32_t flags, const char *what)
{
	uint32_t want = accepted(flags) & F_OWN, back;
	int ok = 1;

	if (!have(style, what))
		return HOSTILE_OK;
	for (int i = 0; i < 4 && ok; i++) {
		message m;
		int r;

		memset(&m, 0, sizeof m);
		m.m_type = PM_GETPID;
		r = hostile_entry_trap(style, IPC_SENDREC, PM_ENDPOINT, &m,
			flags, &back);
		ok &= h_expect(what, r, OK);
		ok &= h_expect("PM's status", m.u.reply.status, OK);
		ok &= h_expect("getpid through PM", m.u.reply.value[0],
			h_info.self);
		ok &= h_expect("flags back (own bits) after SENDREC",
			(int)(back & (F_OWN | F_IF | F_IOPL | F_NT | F_VM |
			F_TF)), (int)(want | F_IF));
		r = hostile_entry_trap(style, IPC_NULL, NONE, NULL, flags,
			&back);
		ok &= h_expect("null call", r, OK);
		ok &= h_expect("flags back (own bits) after the null call",
			(int)(back & (F_OWN | F_IF | F_IOPL | F_NT | F_VM |
			F_TF)), (int)(want | F_IF));
	}
	if (!ok)
		printf("hostile: %s: flags 0x%x, popfl accepts 0x%x, came "
			"back 0x%x\n", what, flags, accepted(flags), back);
	return ok ? HOSTILE_OK : 1;
}

static int nt_int(void)
{
	return flags_call(ENTRY_INT, F_BASE | F_NT, "NT, SENDREC via int");
}

static int nt_sysenter(void)
{
	return flags_call(ENTRY_SYSENTER, F_BASE | F_NT,
		"NT, SENDREC via sysenter");
}

static int nt_syscall(void)
{
	return flags_call(ENTRY_SYSCALL, F_BASE | F_NT,
		"NT, SENDREC via syscall");
}

static int each_style(uint32_t flags, const char *what)
{
	int bad = 0;

	for (int s = ENTRY_INT; s <= ENTRY_SYSCALL; s++) {
		char w[80];

		snprintf(w, sizeof w, "%s via %s", what, style_name[s]);
		bad |= flags_call(s, flags, w);
	}
	return bad;
}

static int ac_df_iopl(void)
{
	return each_style(F_BASE | F_AC | F_DF | F_IOPL, "AC DF IOPL=3");
}

static int rf(void)
{
	return each_style(F_BASE | F_RF, "RF");
}

static int all_but_tf(void)
{
	return each_style(F_BASE | F_ALL, "every flag but TF");
}

/* --- an entry the CPU or the kernel lacks, used anyway ---------------------- */

/* sysenter or syscall absent from the entry mask (a Pentium has neither,
 * qemu32 no syscall): the instruction faults, #UD, or #GP for a sysenter
 * whose MSRs the kernel never set, and kills the program alone. */
static int absent_style;

static int absent_child(void)
{
	uint32_t back;
	int r = hostile_entry_trap(absent_style, IPC_NULL, NONE, NULL,
		F_BASE, &back);

	printf("hostile: %s, absent from entry mask 0x%x, came back (%d)\n",
		style_name[absent_style], h_info.entry_mask, r);
	return 1;
}

static int absent_entries(void)
{
	int ok = 1, tried = 0;

	for (int s = ENTRY_SYSENTER; s <= ENTRY_SYSCALL; s++) {
		if (h_info.entry_mask & (1u << s))
			continue;
		absent_style = s;
		tried++;
		ok &= h_expect(style_name[s], h_child_status(absent_child),
			EFAULT);
	}
	if (!tried)
		printf("hostile: absent entries: SKIPPED: this CPU has every "
			"entry (mask 0x%x)\n", h_info.entry_mask);
	return ok ? HOSTILE_OK : 1;
}

const struct hostile_case hostile_entry_cases[] = {
	{ "entry.tf_int", tf_int, HOSTILE_OK },
	{ "entry.tf_sysenter", tf_sysenter, HOSTILE_OK },
	{ "entry.tf_syscall", tf_syscall, HOSTILE_OK },
	{ "entry.nt_int", nt_int, HOSTILE_OK },
	{ "entry.nt_sysenter", nt_sysenter, HOSTILE_OK },
	{ "entry.nt_syscall", nt_syscall, HOSTILE_OK },
	{ "entry.ac_df_iopl", ac_df_iopl, HOSTILE_OK },
	{ "entry.rf", rf, HOSTILE_OK },
	{ "entry.all_but_tf", all_but_tf, HOSTILE_OK },
	{ "entry.all_with_tf", all_with_tf, HOSTILE_OK },
	{ "entry.task_vectors", task_vectors, HOSTILE_OK },
	{ "entry.absent_kills", absent_entries, HOSTILE_OK },
};
const int hostile_entry_count = sizeof hostile_entry_cases /
	sizeof hostile_entry_cases[0];

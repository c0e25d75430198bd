/*
 * panic(): stop every CPU, say why with a stack trace, flush the
 * diagnostics buffer, and leave. machine_exit() lives here too.
 */
#include <stdarg.h>
#include "kernel/kernel.h"
#include "kernel/console.h"
#include "kernel/cpulocal.h"
#include "kernel/record.h"
#include "kernel/arch.h"
#include "kernel/lib/format.h"
#include "smp/smp.h"

static volatile uint32_t panicking;

void machine_exit(int code)
{
	outl(0xf4, (uint32_t)code);	/* QEMU isa-debug-exit */
	cpu_halt_forever();
}

void panic(const char *fmt, ...)
{
	char msg[256], enc[512];
	va_list ap;

	intr_disable();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL)) {
		/* Another CPU is already panicking: let it speak. */
		cpu_halt_forever();
	}
	smp_halt_others();
	console_break_lock();

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);

	kprintf("\npanic on cpu %u: %s\n", smp_ready() ? cpu_self() : 0, msg);
	/* From panic's caller on: its address, then its caller's frame. */
	stack_trace_print((uint32_t)__builtin_return_address(0),
		*(const uint32_t *)__builtin_frame_address(0));
	console_flush_diag();
	record("panic", "cpu=%u msg=%s", smp_ready() ? cpu_self() : 0,
		record_text(enc, sizeof enc, msg));
	machine_exit(EXIT_PANIC);
}

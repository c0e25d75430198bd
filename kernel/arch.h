/*
 * The architecture as generic code sees it: the one header kernel/, smp/,
 * bench/kern/ and tests/guest/ include for anything i386 (CPU registers and
 * port I/O, traps and vectors, descriptors, paging and the kernel's
 * layout, FPU state, clocks, the local APIC and the 8259s, the serial
 * port, fast entry, foreign-memory windows, a process's first context, the
 * AP trampoline). Everything it names lives under kernel/arch/i386/.
 * tools/circles.py fails when a file outside kernel/arch/ includes an
 * i386 header itself.
 */
#ifndef CAIRN_ARCH_H
#define CAIRN_ARCH_H

#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/trap.h"
#include "kernel/arch/i386/gdt.h"
#include "kernel/arch/i386/paging.h"
#include "kernel/arch/i386/fpu.h"
#include "kernel/arch/i386/clock.h"
#include "kernel/arch/i386/lapic.h"
#include "kernel/arch/i386/pic.h"
#include "kernel/arch/i386/serial.h"
#include "kernel/arch/i386/fastentry.h"
#include "kernel/arch/i386/window.h"
#include "kernel/arch/i386/userctx.h"
#include "kernel/arch/i386/trampoline.h"

#endif /* CAIRN_ARCH_H */

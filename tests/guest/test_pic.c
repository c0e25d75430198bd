/*
 * In-guest test that the legacy 8259s are masked. Left as the BIOS set
 * them up, they raised interrupts that QEMU delivered as vector -1 (a #GP)
 * when booted with more CPUs than the kernel starts.
 */
#include "kernel/ktest.h"
#include "kernel/arch.h"

KTEST(pic_masked)
{
	uint8_t m1 = inb(0x21), m2 = inb(0xa1);

	ktest_result("pic.masked", m1 == 0xff && m2 == 0xff,
		"8259 masks 0x%02x 0x%02x", m1, m2);
}

/*
 * COM1 at 115200 baud, 8N1, polled. Polled output keeps the console usable
 * from panic and exception paths with interrupts off.
 */
#include "kernel/arch/i386/serial.h"
#include "kernel/arch/i386/cpu.h"

#define COM1		0x3f8
#define REG_DATA	0
#define REG_IER		1
#define REG_FCR		2
#define REG_LCR		3
#define REG_MCR		4
#define REG_LSR		5
#define LSR_THRE	0x20	/* transmit holding register empty */

static int serial_ready;

void serial_init(void)
{
	outb(COM1 + REG_IER, 0x00);	/* no interrupts */
	outb(COM1 + REG_LCR, 0x80);	/* divisor latch */
	outb(COM1 + REG_DATA, 0x01);	/* 115200 baud */
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, 0x03);	/* 8N1 */
	outb(COM1 + REG_FCR, 0xc7);	/* FIFOs on and cleared */
	outb(COM1 + REG_MCR, 0x03);	/* DTR, RTS */
	serial_ready = 1;
}

static void serial_putc(char c)
{
	/* Bounded, so a missing UART on real hardware cannot hang us. */
	for (int spins = 0; spins < 100000; spins++) {
		if (inb(COM1 + REG_LSR) & LSR_THRE)
			break;
		cpu_pause();
	}
	outb(COM1 + REG_DATA, (uint8_t)c);
}

void serial_write(const char *s, unsigned n)
{
	if (!serial_ready)
		return;
	for (unsigned i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

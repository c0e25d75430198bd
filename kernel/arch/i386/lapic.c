/*
 * Local APIC access. Its registers sit in DEVICE_AREA, identity-mapped and
 * uncached by paging_init.
 */
#include "kernel/arch/i386/lapic.h"
#include "kernel/arch/i386/cpu.h"
#include "kernel/arch/i386/vectors.h"
#include "kernel/arch/i386/vm_layout.h"
#include "kernel/kernel.h"

#define MSR_APIC_BASE	0x1b
#define APIC_BASE_EN	(1u << 11)

#define REG_ID		0x020
#define REG_TPR		0x080
#define REG_EOI		0x0b0
#define REG_SVR		0x0f0
#define REG_ESR		0x280
#define REG_ICR_LO	0x300
#define REG_ICR_HI	0x310
#define REG_LVT_TIMER	0x320
#define REG_LVT_LINT0	0x350
#define REG_LVT_LINT1	0x360
#define REG_LVT_ERROR	0x370
#define REG_TIMER_INIT	0x380
#define REG_TIMER_CUR	0x390
#define REG_TIMER_DIV	0x3e0

#define SVR_ENABLE	0x100
#define LVT_MASKED	0x10000
#define LVT_PERIODIC	0x20000
#define ICR_PENDING	0x1000
#define ICR_LEVEL_ASSERT 0x4000
#define ICR_INIT	0x500
#define ICR_STARTUP	0x600
#define ICR_NMI		0x400
#define ICR_ALL_BUT_SELF 0xc0000

static volatile uint32_t *lapic;

static inline uint32_t rd(uint32_t reg)
{
	return lapic[reg / 4];
}

static inline void wr(uint32_t reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

int lapic_present(void)
{
	return lapic != 0;
}

int lapic_init_boot(uint32_t madt_lapic_addr)
{
	uint32_t a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	if (!(d & (1u << 9)))
		return 0;
	uint32_t base = (uint32_t)rdmsr(MSR_APIC_BASE) & 0xfffff000u;
	if (madt_lapic_addr && madt_lapic_addr != base)
		kprintf("lapic: MADT says 0x%08x, MSR says 0x%08x; using MSR\n",
			madt_lapic_addr, base);
	if (base < DEVICE_AREA || base >= DEVICE_AREA + BIGPAGE_SIZE)
		panic("local APIC at 0x%08x is outside the device area", base);
	lapic = (volatile uint32_t *)base;
	lapic_init_cpu();
	return 1;
}

void lapic_init_cpu(void)
{
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EN);
	wr(REG_SVR, SVR_ENABLE | VEC_SPURIOUS);
	wr(REG_TPR, 0);
	wr(REG_LVT_TIMER, LVT_MASKED);
	wr(REG_LVT_LINT0, LVT_MASKED);
	wr(REG_LVT_LINT1, LVT_MASKED);
	wr(REG_LVT_ERROR, LVT_MASKED);
	wr(REG_ESR, 0);
	wr(REG_EOI, 0);
}

uint32_t lapic_id(void)
{
	return lapic ? rd(REG_ID) >> 24 : 0;
}

void lapic_eoi(void)
{
	if (lapic)
		wr(REG_EOI, 0);
}

static void icr_wait(void)
{
	while (rd(REG_ICR_LO) & ICR_PENDING)
		cpu_pause();
}

static void icr_send(uint32_t apic_id, uint32_t lo)
{
	icr_wait();
	wr(REG_ICR_HI, apic_id << 24);
	wr(REG_ICR_LO, lo);
	icr_wait();
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	icr_send(apic_id, vector);
}

void lapic_send_init(uint32_t apic_id)
{
	icr_send(apic_id, ICR_INIT | ICR_LEVEL_ASSERT);
}

void lapic_send_startup(uint32_t apic_id, uint32_t trampoline_phys)
{
	icr_send(apic_id, ICR_STARTUP | (trampoline_phys >> 12));
}

void lapic_send_nmi_others(void)
{
	if (lapic)
		icr_send(0, ICR_NMI | ICR_ALL_BUT_SELF);
}

void lapic_timer_oneshot(uint32_t count, uint8_t vector, int masked)
{
	wr(REG_TIMER_DIV, 0x3);		/* divide by 16 */
	wr(REG_LVT_TIMER, vector | (masked ? LVT_MASKED : 0));
	wr(REG_TIMER_INIT, count);
}

void lapic_timer_periodic(uint32_t count, uint8_t vector)
{
	wr(REG_TIMER_DIV, 0x3);
	wr(REG_LVT_TIMER, vector | LVT_PERIODIC);
	wr(REG_TIMER_INIT, count);
}

void lapic_timer_stop(void)
{
	wr(REG_LVT_TIMER, LVT_MASKED);
	wr(REG_TIMER_INIT, 0);
}

uint32_t lapic_timer_current(void)
{
	return rd(REG_TIMER_CUR);
}

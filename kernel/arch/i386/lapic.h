/*
 * The local APIC (xAPIC, memory-mapped): identity, end of interrupt,
 * inter-processor interrupts and the timer.
 */
#ifndef CAIRN_LAPIC_H
#define CAIRN_LAPIC_H

#include <stdint.h>

/* Maps and enables the boot CPU's local APIC; 0 if there is none. */
int lapic_init_boot(uint32_t madt_lapic_addr);
void lapic_init_cpu(void);	/* enable on this CPU */
int lapic_present(void);
uint32_t lapic_id(void);
void lapic_eoi(void);

void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_init(uint32_t apic_id);
void lapic_send_startup(uint32_t apic_id, uint32_t trampoline_phys);
void lapic_send_nmi_others(void);

/* Timer, divide-by-16 input clock. */
void lapic_timer_oneshot(uint32_t count, uint8_t vector, int masked);
void lapic_timer_periodic(uint32_t count, uint8_t vector);
void lapic_timer_stop(void);
uint32_t lapic_timer_current(void);

#endif /* CAIRN_LAPIC_H */

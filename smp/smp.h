/*
 * CPUs: discovery through the ACPI MADT (else the MP table), start-up of the application
 * processors, cross-CPU work and halting them all on panic.
 */
#ifndef CAIRN_SMP_H
#define CAIRN_SMP_H

#include <stdint.h>
#include "kernel/cpulocal.h"
#include "smp/acpi.h"
#include "smp/mptable.h"

/* Where the CPU list came from. */
#define SMP_SRC_NONE	0	/* neither table: the boot CPU alone */
#define SMP_SRC_MADT	1	/* the ACPI MADT */
#define SMP_SRC_MP	2	/* the Intel MP table */

/* How discovery went, for people and for the tests. */
struct smp_discovery {
	int source;		/* SMP_SRC_* */
	int madt_status;	/* 0 or an ACPI_E* error */
	uint32_t madt_phys;
	int mp_status;		/* 0 or an ACPI_E* error; tried without a MADT */
	struct mp_where mp;
	int cpus_listed;	/* usable CPUs the table lists */
	int siblings_tried;	/* MP table: unlisted logical CPUs of listed
				   packages (CPUID), tried after them */
	int siblings_started;
	int cpus_dropped;	/* listed but beyond the CPU limit */
	int cpu_limit;		/* CONFIG_MAX_CPUS, or less by maxcpus= */
	int ioapics;
	int overrides;
};

extern struct smp_discovery smp_discovery;
extern struct madt_info smp_madt;

/* Sets up the boot CPU as CPU 0 (GDT, TSS, CPU-local area, IDT). */
void smp_init_boot_cpu(uint32_t kstack_top);
/* Finds the other CPUs and starts them; each goes on with then() (the
 * scheduler's idle loop, which runs queued work) once online. Returns how
 * many CPUs are online. */
typedef void __attribute__((noreturn)) (*smp_then_fn)(void);
unsigned smp_start_aps(smp_then_fn then);
unsigned smp_cpus_online(void);
int smp_ready(void);	/* CPU-local data usable on this CPU */

/* Runs fn(arg) on the given CPU from its idle loop and waits for it to
 * finish; on the calling CPU it simply calls fn. */
void smp_call_on(unsigned cpu, cpu_work_fn fn, void *arg);
/* Runs fn(arg) on every online CPU (the caller included) and waits. */
void smp_call_all(cpu_work_fn fn, void *arg);

/* Stops every other CPU (NMI); used by panic. */
void smp_halt_others(void);
/* Runs the work queued for this CPU, if any (idle loop). */
void smp_run_queued_work(void);

/* Emits the ACPI tables and the MP table used for discovery as `acpi`
 * records. */
void smp_dump_acpi(void);

#endif /* CAIRN_SMP_H */

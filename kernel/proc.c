/*
 * The process table: slots and endpoints with generations. The run-state
 * transitions, which move processes on and off their CPU's run queues,
 * are the scheduler's (sched.c).
 */
#include "kernel/proc.h"
#include "kernel/cpulocal.h"
#include "kernel/lib/string.h"

struct proc proc_table[NR_PROCS];

_Static_assert(NR_PROCS <= ENDPOINT_MAX_SLOTS, "slots fit an endpoint");
_Static_assert(NR_SCHED_QUEUES == CPU_SCHED_QUEUES, "one queue per priority");
_Static_assert(__builtin_offsetof(struct proc, p_reg) == 0,
	"the entry stubs save the user context at the start of struct proc");

void proc_init(void)
{
	for (int i = 0; i < NR_PROCS; i++) {
		struct proc *p = &proc_table[i];

		memset(p, 0, sizeof(*p));
		p->p_nr = i;
		p->p_rts_flags = RTS_SLOT_FREE;
		p->p_endpoint = NONE;
	}
}

struct proc *proc_alloc(void)
{
	for (int i = 0; i < NR_PROCS; i++) {
		struct proc *p = &proc_table[i];

		if (!(p->p_rts_flags & RTS_SLOT_FREE))
			continue;
		uint32_t gen = p->p_generation;
		memset(p, 0, sizeof(*p));
		p->p_nr = i;
		/* Every use of a slot gets the next generation; generation 0
		 * is never handed out, so endpoint 0 names nobody. */
		p->p_generation = (gen % ENDPOINT_MAX_GEN) + 1;
		p->p_endpoint = make_endpoint(p->p_generation, i);
		p->p_rts_flags = RTS_SLOT_FREE;	/* caller makes it live */
		p->p_sendto_e = p->p_getfrom_e = NONE;
		p->p_priority = USER_Q;
		p->p_ticks_left = QUANTUM_TICKS;
		fpu_proc_init(p);
		return p;
	}
	return 0;
}

void proc_free(struct proc *p)
{
	fpu_proc_drop(p);
	p->p_rts_flags = RTS_SLOT_FREE;
	p->p_endpoint = NONE;
}

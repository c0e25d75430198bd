/*
 * The reincarnation server's table of services (service.c) and its
 * clock. One entry per policy line, in start order.
 */
#ifndef CAIRN_RS_H
#define CAIRN_RS_H

#include <stdint.h>
#include "cairn/ipc.h"
#include "servers/rs/policy.h"

struct service {
	const struct policy_service *pol;
	endpoint_t ep;		/* the instance serving (or starting); NONE */
	endpoint_t old_ep;	/* a stopped one kept until ep is ready */
	int state;		/* RSS_* */
	uint32_t in_a_row;	/* restarts without a healthy second */
	uint32_t restarts;	/* in all */
	uint32_t started_ms;	/* when ep was started */
	uint32_t restart_ms;	/* RSS_WAITING: when to start again */
	uint32_t backoff_ms;	/* the next wait after a death */
	uint32_t ping_ms;	/* heartbeat: when the last ping went */
	int ping_open;		/* ... and it has no answer yet */

	/* A live update (update.c): UPD_* phase, the new instance, who
	 * asked (answered at the end), the program, the deadline. */
	int upd;
	endpoint_t upd_ep;
	endpoint_t upd_by;
	char upd_program[RS_PROGRAM_LEN];
	uint32_t upd_deadline;
	uint32_t updates;	/* done, in all */
};

#define UPD_NONE	0
#define UPD_PREPARE	1	/* RS_PREPARE to send to the old one */
#define UPD_QUIESCE	2	/* sent; waiting for its RS_QUIESCENT */
#define UPD_STARTING	3	/* old one waits; new one initialising */
#define UPD_SWAP	4	/* new one ready; swap when both wait */
#define UPD_MS		3000	/* the longest an update may take */

/* Asks VM (SENDREC): the IPC error, or VM's status; the reply in m. */
int rs_ask_vm(message *m);

/* Answers a process waiting in SENDREC for RS alone, at once (not with
 * the next receive, cairn/serverloop.h). */
void rs_answer(endpoint_t to, int status);

/* Milliseconds since RS started (the TSC and the kernel's rate). */
uint32_t rs_now(void);

/* Starts every service of pol, in order (boot). */
void svc_start_all(const struct policy *pol);

/* The service whose current or old instance is ep, or NULL. */
struct service *svc_by_ep(endpoint_t ep);
struct service *svc_by_label(const char *label);

/* ep stopped (how: KSIG_*, status): its manager's part. */
void svc_stopped(endpoint_t ep, uint32_t how, int status);

/* A service said it is ready / answered a ping. */
void svc_ready(struct service *s);
void svc_pong(struct service *s);

/* Is every service past starting (ready, stopped or given up)? */
int svc_all_started(void);

/* The alarm rang: heartbeats and restarts that are due; sets the next
 * alarm. */
void svc_tick(void);

/* Starts an instance of program for s (a live update's new one: not
 * yet s's); OK and *ep. */
int svc_start_program(struct service *s, const char *program,
	endpoint_t *ep);
/* Has VM end a stopped or replaced instance. */
void svc_end_instance(endpoint_t ep, int status);

/* Live update (update.c). RS_UPDATE from who: answered at the end. */
void upd_request(const message *m);
/* Events of an update in progress: the old instance is quiescent, the
 * new one ready or dead; the tick drives the rest. Each returns 1 if
 * the event was the update's. */
int upd_quiescent(struct service *s, endpoint_t from);
int upd_ready(struct service *s, endpoint_t from);
int upd_stopped(struct service *s, endpoint_t ep, int status);
/* Work due now; returns ms until the update wants the next tick (0:
 * none). */
uint32_t upd_tick(struct service *s, uint32_t now);

#endif /* CAIRN_RS_H */

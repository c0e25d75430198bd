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
};

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

#endif /* CAIRN_RS_H */

/*
 * Talking to the reincarnation server (servers/rs): finding a service by
 * label, and a service's side (ready, heartbeat).
 */
#ifndef CAIRN_RSLIB_H
#define CAIRN_RSLIB_H

#include "cairn/ipc.h"

/* The endpoint of the service called label now: OK; EAGAIN while it is
 * being restarted; ENOENT no such service; EDEADSRCDST given up. */
int rs_lookup(const char *label, endpoint_t *ep);

/* rs_lookup, retried while the service restarts (at most tries times,
 * a few milliseconds apart). */
int rs_find(const char *label, endpoint_t *ep, int tries);

/* Waits (blocked, a few milliseconds at a time) until every service RS
 * starts at boot is ready, at most about 5 s: what a test or benchmark
 * driver does before it measures anything (free pages, times). OK, or
 * the error: a boot without RS gets it at once. */
int rs_wait_booted(void);

/* A service tells RS it is initialised and serving. */
int rs_ready(void);

/* A service RS asked to prepare for a live update (RS_PREPARE), with
 * its state saved: tells RS it is quiescent and waits. Returns only if
 * the update was called off; the service then goes on as before. */
int rs_quiescent(void);

/* In a service's loop: is m RS's heartbeat ping? If so it is answered
 * here (a notification back) and the caller ignores m. */
int rs_heartbeat(const message *m);

#endif /* CAIRN_RSLIB_H */

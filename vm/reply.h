/*
 * Answers to requests: VM never blocks on a process, so every reply goes
 * as SENDNB does (a requester waits in SENDREC, or loses the answer),
 * with VM's next receive (REPLYRECV, cairn/serverloop.h).
 */
#ifndef CAIRN_VM_REPLY_H
#define CAIRN_VM_REPLY_H

#include "cairn/ipc.h"

/* u.reply with status (also in m_type) and two values. */
void reply_to(endpoint_t to, int status, uint32_t v0, uint32_t v1);

/* A prepared reply (u.reply filled in); its status goes into m_type. */
void reply_msg(endpoint_t to, message *reply);

/* 1 if m comes from PM; otherwise answers EPERM and returns 0. For the
 * requests only PM may make (VM_FORK, VM_SPAWN, VM_GETEXIT). */
int reply_unless_pm(const message *m);

#endif /* CAIRN_VM_REPLY_H */

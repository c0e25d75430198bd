/*
 * Answering a request. VM never blocks on a process: the requester waits
 * in SENDREC, or the reply is lost (and said so).
 */
#ifndef CAIRN_VM_REPLY_H
#define CAIRN_VM_REPLY_H

#include "cairn/ipc.h"

/* u.reply.status = m_type = status, value[0] = value. */
void reply_to(endpoint_t ep, int status, uint32_t value);

/* A prepared reply; status goes into m_type as well. */
void reply_msg(endpoint_t ep, message *reply);

#endif /* CAIRN_VM_REPLY_H */

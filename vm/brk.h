/*
 * VM_BRK: moving a process's break, the end of its heap region.
 */
#ifndef CAIRN_VM_BRK_H
#define CAIRN_VM_BRK_H

#include "cairn/ipc.h"

/* Serves the request and replies: u.reply.status is OK, EINVAL (below
 * the heap's start, or not a process VM knows), or ENOMEM (it would run
 * into the next region); u.reply.value[0] is the break afterwards. */
void brk_request(const message *m);

#endif /* CAIRN_VM_BRK_H */

/*
 * VM's part in RS's work (service.c): the live update's swap, and the
 * service rights VM keeps for each process.
 */
#ifndef CAIRN_VM_SERVICE_H
#define CAIRN_VM_SERVICE_H

#include "cairn/ipc.h"

/* VM_RS_UPDATE (RS only): u.update.old_ep and new_ep, both services RS
 * manages, swap address spaces, here and in the kernel (SYS_UPDATE);
 * EAGAIN (either not blocked receiving yet), ESRCH, EPERM. */
void rs_update_request(const message *m);

/* VM_RIGHTS: u.exit.ep's RSV_* rights (value[0]); ESRCH unknown. */
void rights_request(const message *m);

#endif /* CAIRN_VM_SERVICE_H */

/* Starting the VM server from boot module 0. */
#ifndef CAIRN_VMBOOT_H
#define CAIRN_VMBOOT_H

void vm_boot(void);

#endif /* CAIRN_VMBOOT_H */

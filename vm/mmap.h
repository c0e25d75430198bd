/*
 * VM_MMAP and VM_MUNMAP: regions of any memory type made and taken away
 * on a process's request.
 */
#ifndef CAIRN_VM_MMAP_H
#define CAIRN_VM_MMAP_H

#include "cairn/ipc.h"

void mmap_request(const message *m);
void munmap_request(const message *m);

#endif /* CAIRN_VM_MMAP_H */

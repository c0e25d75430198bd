/*
 * Basic types shared by the kernel, VM, servers and user programs.
 */
#ifndef CAIRN_TYPES_H
#define CAIRN_TYPES_H

#include <stdint.h>

typedef uint32_t phys_bytes;	/* a physical address or size */
typedef uint32_t vir_bytes;	/* a virtual address or size */
typedef int32_t endpoint_t;	/* a process as IPC names it */

#endif /* CAIRN_TYPES_H */

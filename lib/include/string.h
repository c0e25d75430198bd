/*
 * The string functions of user programs are the kernel's own
 * (kernel/lib/string.c, compiled into libcairn.a from the same source).
 */
#ifndef CAIRN_LIBC_STRING_H
#define CAIRN_LIBC_STRING_H

#include "kernel/lib/string.h"

#endif /* CAIRN_LIBC_STRING_H */

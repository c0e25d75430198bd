/*
 * The program break, moved by the VM server (VM_BRK). The first break is
 * the end of bss (the linker's _end) rounded up to a page.
 */
#ifndef CAIRN_LIBC_UNISTD_H
#define CAIRN_LIBC_UNISTD_H

#include <stdint.h>

/* Sets the break to addr: OK, or a negative code (ENOMEM, ...). */
int brk(void *addr);
/* Moves the break by incr bytes and returns the old one, or (void *)-1. */
void *sbrk(intptr_t incr);

#endif /* CAIRN_LIBC_UNISTD_H */

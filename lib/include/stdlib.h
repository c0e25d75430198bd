/*
 * Cairn's minimal stdlib: exit through the process manager, a first-fit
 * malloc over sbrk, and panic() (a Cairn extension, formatted like printf).
 */
#ifndef CAIRN_LIBC_STDLIB_H
#define CAIRN_LIBC_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS	0
#define EXIT_FAILURE	1
/* The status of a process that panicked (or failed an assert). */
#define EXIT_PANIC	0xdead

/* Flushes standard output and tells PM (PM_EXIT) that this process is
 * done with status; PM has VM tear it down and keeps the status for the
 * parent's wait. Without PM, VM_EXIT to VM directly. */
__attribute__((noreturn)) void exit(int status);
__attribute__((noreturn)) void abort(void);
/* Prints "panic: <message>" and exits with EXIT_PANIC. */
__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

/* A Cairn extension: when set to a byte (before the first malloc), free
 * memory is kept filled with it and checked when handed out again, so
 * that a write after free fails an assertion. -1 (the default): off. */
extern int malloc_junk;
/* A Cairn extension: when set (before the first malloc), the heap grows
 * by whole pages as needed, and malloc_release() gives the whole free
 * pages at its top back to sbrk (VM's own heap, after every request).
 * 0 (the default): it grows in big steps, never given back, and
 * malloc_release() does nothing. */
extern int malloc_give_back;
void malloc_release(void);

/* The value of name in the environment (environ, unistd.h), or NULL. */
char *getenv(const char *name);

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);

#endif /* CAIRN_LIBC_STDLIB_H */

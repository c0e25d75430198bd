/*
 * Diagnostics that any process can provoke at will in a server (a refused
 * request, a message of an unknown type, a bad buffer): each call site
 * prints its first COMPLAIN_BURST lines, then only its 2^k-th with the
 * count so far. A hostile process that repeats a bad request can then
 * not fill the console, whose output is slow (a serial port), nor slow
 * the server down for everyone else; a developer still sees every kind
 * of complaint and how often it came.
 */
#ifndef CAIRN_COMPLAIN_H
#define CAIRN_COMPLAIN_H

#include <stdint.h>
#include <stdio.h>

#define COMPLAIN_BURST	8

static inline int complain_due(uint32_t n)
{
	return n <= COMPLAIN_BURST || (n & (n - 1)) == 0;
}

/* printf() of one line (fmt ends in "\n") under the call site's limit. */
#define complain(fmt, ...) do {						\
	static uint32_t complaints_;					\
									\
	if (complain_due(++complaints_)) {				\
		printf(fmt, __VA_ARGS__);				\
		if (complaints_ > COMPLAIN_BURST)			\
			printf("  (%u such lines here so far; "	\
				"most are not shown)\n",		\
				complaints_);				\
	}								\
} while (0)

#endif /* CAIRN_COMPLAIN_H */

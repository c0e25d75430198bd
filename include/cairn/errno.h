/*
 * Status codes of IPC and kernel calls: 0 is success, errors are negative.
 * Each kind of bad input has its own code, so a caller (and a test) can
 * tell exactly what the kernel refused.
 */
#ifndef CAIRN_ERRNO_H
#define CAIRN_ERRNO_H

#define OK		0
#define EPERM		(-1)	/* kernel call not allowed for this caller */
#define ENOENT		(-2)	/* no such entry (a forgotten cache block) */
#define ESRCH		(-3)	/* no such thing (no pending request, ...) */
#define E2BIG		(-7)	/* a count or size beyond what is served */
#define ENOEXEC		(-8)	/* exec: not a program that can be loaded */
#define ECHILD		(-10)	/* wait: no such child */
#define EAGAIN		(-11)	/* not now: try again */
#define ENOMEM		(-12)	/* out of memory */
#define EFAULT		(-14)	/* bad address in the caller's buffer */
#define EBUSY		(-16)
#define EEXIST		(-17)	/* already there (a cache id in use) */
#define EINVAL		(-22)	/* bad argument */
#define ENOSYS		(-38)	/* no such kernel call */
#define EOVERFLOW	(-75)	/* a count would overflow (references) */
#define EBADEPT		(-301)	/* not an endpoint, or a stale one */
#define EDEADSRCDST	(-302)	/* the peer is dead or exits */
#define ECALLDENIED	(-303)	/* IPC to that endpoint not allowed */
#define ELOCKED		(-304)	/* blocking would deadlock */
#define ENOTREADY	(-305)	/* SENDNB: the receiver is not waiting */
#define EBADCALL	(-306)	/* not an IPC operation */
#define EBADSRCDST	(-307)	/* ANY/NONE/SELF where a real peer is needed */
#define EDEBUG		(-308)	/* killed: a debug trap with no debugger */

#endif /* CAIRN_ERRNO_H */

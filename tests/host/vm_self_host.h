/*
 * What the host's stand-in for VM's page area (vm_self_host.c) lets a
 * test see and steer.
 */
#ifndef CAIRN_TESTS_VM_SELF_HOST_H
#define CAIRN_TESTS_VM_SELF_HOST_H

extern unsigned host_self_pages;	/* pages handed out and not back */
extern int host_self_fail;		/* > 0: that many next runs fail */

#endif

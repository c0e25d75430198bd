/*
 * The data store's request loop (ds.c). A process becomes a data store
 * by calling ds_main: servers/ds/main.c as the program ds.elf, or a test
 * or benchmark program spawned in a role that serves as its own private
 * store (no new boot module needed).
 */
#ifndef CAIRN_DS_H
#define CAIRN_DS_H

__attribute__((noreturn)) void ds_main(void);

#endif /* CAIRN_DS_H */

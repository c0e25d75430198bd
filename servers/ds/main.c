/* The data store as a program of its own (ds.elf). */
#include "servers/ds/ds.h"
#include "cairn/ipclib.h"

int main(void)
{
	ipc_init();
	ds_main();
}

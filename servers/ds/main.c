/* The data store as a program of its own (ds.elf): a service RS starts
 * from the system image, which it tells when it is ready to serve. */
#include "servers/ds/ds.h"
#include "cairn/ipclib.h"
#include "cairn/rslib.h"

int main(void)
{
	ipc_init();
	rs_ready();
	ds_main();
}

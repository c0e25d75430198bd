/*
 * Physical-block records and their reference counts. The frame goes back
 * to the allocator with the last reference.
 */
#include <stdlib.h>
#include "vm/physblock.h"
#include "vm/frame.h"
#include "cairn/errno.h"

static uint32_t live_blocks;

struct phys_block *pb_new(phys_bytes phys, uint16_t flags)
{
	struct phys_block *pb = malloc(sizeof(*pb));

	if (pb == NULL)
		return NULL;
	pb->phys = phys;
	pb->refs = 1;
	pb->flags = flags;
	live_blocks++;
	return pb;
}

int pb_ref(struct phys_block *pb)
{
	if (pb->refs == PB_REFS_MAX)
		return EOVERFLOW;
	pb->refs++;
	return OK;
}

void pb_unref(struct phys_block *pb)
{
	if (pb->refs == 0)
		panic("vm: block of frame 0x%x released with no reference",
			pb->phys);
	if (--pb->refs > 0)
		return;
	frame_free(pb->phys);
	free(pb);
	live_blocks--;
}

uint32_t pb_count(void)
{
	return live_blocks;
}

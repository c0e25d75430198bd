/* Boot-time physical memory: carving runs out of kinfo's free list. */
#include "kernel/bootmem.h"
#include "kernel/lib/memlist.h"

struct kinfo kinfo;

static phys_bytes bootmem_take_aligned_below(uint32_t bytes, uint32_t align,
	uint64_t limit);

phys_bytes bootmem_take(uint32_t bytes, uint32_t align)
{
	return bootmem_take_aligned_below(bytes, align, 0x100000000ull);
}

phys_bytes bootmem_take_below(uint32_t bytes, uint64_t limit)
{
	return bootmem_take_aligned_below(bytes, MEMLIST_PAGE, limit);
}

static phys_bytes bootmem_take_aligned_below(uint32_t bytes, uint32_t align,
	uint64_t limit)
{
	bytes = (bytes + MEMLIST_PAGE - 1) & ~(MEMLIST_PAGE - 1);
	if (align < MEMLIST_PAGE)
		align = MEMLIST_PAGE;
	/* From the top of memory, so low memory stays for what needs it. */
	for (int i = (int)kinfo.mem_count - 1; i >= 0; i--) {
		uint64_t end = kinfo.mem[i].base + kinfo.mem[i].len;

		if (end > limit)
			end = limit;
		if (end < bytes)
			continue;
		uint64_t start = (end - bytes) & ~(uint64_t)(align - 1);
		if (start < kinfo.mem[i].base)
			continue;
		if (memlist_remove(&kinfo, start, bytes) != 0)
			return 0;
		return (phys_bytes)start;
	}
	return 0;
}

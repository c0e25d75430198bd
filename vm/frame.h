/*
 * VM's physical frames: the one page allocator, filled from kinfo with all
 * RAM below 4 GiB, every frame handed out zeroed; and how VM reaches a
 * frame's contents: the direct map below phys_direct_end, the frame window
 * above it.
 */
#ifndef CAIRN_VM_FRAME_H
#define CAIRN_VM_FRAME_H

#include "cairn/types.h"
#include "kernel/kinfo.h"
#include "vm/pmem.h"
#include "vm/zeropool.h"
#include "vm/layout.h"
#include "vm/arch/i386/page.h"

/* The frame window: this many page slots at VM_WINDOW_BASE (one page
 * table), filled in turn and all emptied at once, with one invalidation,
 * when the last is taken. */
#define FRAME_WINDOW_SLOTS	1024u
#define FRAME_WINDOW_SIZE	(FRAME_WINDOW_SLOTS * 4096u)

/* Takes over the free memory kinfo lists; page tables will come from
 * below ki->mapped_end. Sets up the frame window when some of that
 * memory lies above phys_direct_end. */
void frame_init(const struct kinfo *ki);

/* The window's halves of frame_map and frame_copy. */
void *frame_map_window(phys_bytes pa);
void frame_copy_window(phys_bytes dst, phys_bytes src);

/* Where VM sees physical address pa (any page below 4 GiB): the direct
 * map, or a window slot. A window pointer stays valid until the next
 * frame_map, frame_zero or frame_copy, and covers pa's page only. */
static inline void *frame_map(phys_bytes pa)
{
	return pa < phys_direct_end ? phys_ptr(pa) : frame_map_window(pa);
}

/* Zeroes npages frames from pa. */
void frame_zero(phys_bytes pa, uint32_t npages);

/* Copies the whole frame src to the frame dst (a copy on write: the
 * direct case inline). */
static inline void frame_copy(phys_bytes dst, phys_bytes src)
{
	if (dst < phys_direct_end && src < phys_direct_end)
		arch_copy_words(phys_ptr(dst), phys_ptr(src), 4096);
	else
		frame_copy_window(dst, src);
}

/* Window slots filled and window rounds (invalidations) so far. */
void frame_window_stats(uint32_t *maps, uint32_t *rounds);

/* A zeroed frame for the given use, or 0 when memory is out: from the
 * pool of zeroed frames when it has one (none of its frames may come
 * back with data in it), else a free frame zeroed now. Under memory
 * pressure every allocation takes the pool's frames, then makes the
 * block cache give memory back (user frames), before giving up. */
phys_bytes frame_alloc(enum pmem_use use);

/* The same without zeroing: the caller fills the whole frame. Takes the
 * pool's frames only when free memory has none left. */
phys_bytes frame_alloc_dirty(enum pmem_use use);

/* The pool of zeroed frames (zeropool.h): frames that count as free
 * memory (frame_stats) but were zeroed when VM's CPU had nothing else
 * to do (vmctl_idle_notify), so that a zero-fill fault does not zero. */
#define FRAME_POOL_TARGET	ZEROPOOL_MAX
/* Frames zeroed per idle notification: a request arriving meanwhile
 * waits for at most this many pages' zeroing. */
#define FRAME_POOL_BATCH	16u

struct frame_pool_stats {
	uint32_t pooled, target;
	uint32_t taken;		/* frame_alloc served from the pool */
	uint32_t empty;		/* frame_alloc that found it empty */
	uint32_t zeroed;	/* frames zeroed into it */
	uint32_t given;		/* frames it gave back under pressure */
};

/* Zeroes up to max free frames into the pool (not past its target, and
 * only while free memory has them without pressure); how many. */
uint32_t frame_pool_fill(uint32_t max);

/* Every pool frame back to free memory; how many. */
uint32_t frame_pool_drain(void);

/* 1 when the pool is short of its target and VM has not yet asked the
 * kernel for an idle notification: the caller asks now (with its
 * CLEAR_PAGEFAULT, or vmctl_idle_notify). */
int frame_pool_want_idle(void);

/* The call that asked for it failed: ask again next time. */
void frame_pool_idle_lost(void);

/* The idle notification came: one batch of frames zeroed; how many. */
uint32_t frame_pool_idle(void);

void frame_pool_stats(struct frame_pool_stats *st);

/* fn on each frame in the pool (the sanity build's owner map). */
void frame_pool_walk(void (*fn)(phys_bytes pa));

/* npages zeroed contiguous frames starting at a multiple of align pages
 * (0 or 1: any), ending at or below limit (0: anywhere); 0 when none. */
phys_bytes frame_alloc_run(uint32_t npages, uint32_t align, phys_bytes limit);

/* 1 if any page of [pa, +len) is RAM: what kinfo.ram lists (all RAM
 * the loader reported), VM's free list, the kernel image or a module.
 * Direct physical mappings are for device ranges only, whoever asks. */
int frame_range_is_ram(phys_bytes pa, uint32_t len);

/* Gives back a frame frame_alloc returned; panics on a frame that is not
 * allocated (a broken invariant of VM's own bookkeeping). */
void frame_free(phys_bytes pa);

void frame_stats(struct pmem_stats *st);

/* 1 if the frame holding pa is free (unmanaged memory is not). */
int frame_is_free(phys_bytes pa);

/* The end of the physical memory VM knows of: managed pages, and the
 * kernel's mapped_end, lie below it. */
phys_bytes frame_top(void);

/* pmem_check of the allocator: 0, or its negative code. */
int frame_check(void);

#endif /* CAIRN_VM_FRAME_H */

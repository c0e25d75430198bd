/*
 * Starting VM: the kernel builds VM's address space itself (VM cannot page
 * fault to itself) from boot module 0 with the ELF loader it shares with
 * VM, and tells VM which of its own mappings every address space needs.
 *
 * VM's space: its ELF segments, a stack below VM_STACK_TOP, and physical
 * [0, mapped_end) at VM_PHYS_BASE, the part the kernel maps for itself,
 * which holds every page table, page directory and boot module: VM edits
 * page tables and reads modules there, and reaches the frames above it
 * through a window of its own (vm/frame.c).
 */
#include "kernel/vmboot.h"
#include "kernel/bootmem.h"
#include "kernel/proc.h"
#include "kernel/record.h"
#include "kernel/lib/memlist.h"
#include "kernel/sched.h"
#include "kernel/system.h"
#include "kernel/arch.h"
#include "kernel/lib/string.h"
#include "lib/elf/elf.h"

/* A zeroed frame the kernel can reach (below mapped_end). */
static phys_bytes frame(void)
{
	phys_bytes f = bootmem_take_below(PAGE_SIZE, kinfo.mapped_end);

	if (!f)
		panic("vm boot: out of memory below 0x%08x", kinfo.mapped_end);
	memset(kphystov(f), 0, PAGE_SIZE);
	return f;
}

static void map_page(uint32_t *pd, vir_bytes va, phys_bytes f, uint32_t flags)
{
	uint32_t *pde = &pd[PDE_INDEX(va)];

	if (!(*pde & PTE_P))
		*pde = frame() | PTE_P | PTE_W | PTE_U;
	uint32_t *pt = kphystov(*pde & PTE_FRAME);
	pt[PTE_INDEX(va)] = f | PTE_P | PTE_U | flags;
}

static void load_segment(uint32_t *pd, const uint8_t *image,
	const struct elf_segment *s)
{
	vir_bytes start = s->vaddr & ~(PAGE_SIZE - 1);
	uint32_t flags = (s->flags & ELF_SEG_W) ? PTE_W : 0;

	for (vir_bytes va = start; va < s->vaddr + s->memsz; va += PAGE_SIZE) {
		phys_bytes f = frame();
		uint8_t *dst = kphystov(f);

		/* The part of [va, va+4K) that comes from the file. */
		for (uint32_t i = 0; i < PAGE_SIZE; i++) {
			vir_bytes a = va + i;
			if (a >= s->vaddr && a < s->vaddr + s->filesz)
				dst[i] = image[s->offset + (a - s->vaddr)];
		}
		map_page(pd, va, f, flags);
	}
}

/* All RAM the loader's map lists below 4 GiB. */
static uint64_t ram_below_4g(void)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < kinfo.ram_count; i++)
		sum += kinfo.ram[i].len;
	return sum;
}

void vm_boot(void)
{
	struct elf_image ei;
	const struct kinfo_mod *mod = &kinfo.mods[0];

	if (kinfo.mod_count == 0)
		panic("vm boot: no boot modules (module 0 must be VM)");
	const uint8_t *image = kphystov(mod->start);
	int r = elf_parse(image, mod->end - mod->start, &ei);
	if (r != 0)
		panic("vm boot: module 0 is not a usable ELF: %s",
			elf_strerror(r));

	phys_bytes pgdir = frame();
	uint32_t *pd = kphystov(pgdir);
	for (uint32_t i = 0;; i++) {
		phys_bytes ph;
		uint32_t len, fl;
		vir_bytes va;
		if (kern_physmap(i, &ph, &len, &va, &fl) != OK)
			break;
		for (uint32_t off = 0; off < len; off += BIGPAGE_SIZE)
			pd[PDE_INDEX(va + off)] = kernel_pgdir[PDE_INDEX(va + off)];
	}
	for (uint32_t s = 0; s < ei.nsegs; s++)
		load_segment(pd, image, &ei.seg[s]);
	for (uint32_t i = 1; i <= VM_STACK_PAGES; i++)
		map_page(pd, VM_STACK_TOP - i * PAGE_SIZE, frame(), PTE_W);
	for (uint64_t pa = 0; pa < kinfo.mapped_end; pa += BIGPAGE_SIZE)
		pd[PDE_INDEX(VM_PHYS_BASE + pa)] = (uint32_t)pa | PTE_P | PTE_W |
			PTE_U | PTE_PS;

	struct proc *p = proc_alloc();
	if (!p || p->p_endpoint != VM_ENDPOINT)
		panic("vm boot: slot 0 is not free");
	/* crt0 finds argc, argv and envp at %esp: 0, NULL, NULL (the
	 * stack pages are zeroed). */
	proc_setup_user(p, pgdir, ei.entry, VM_STACK_TOP - 16);
	strlcpy(p->p_name, "vm", sizeof(p->p_name));
	/* Every call, but no records: VM prints what others send it (a
	 * spawn's command), so its lines are tagged like anyone's. */
	p->p_priv.calls = ~0u & ~PRIV_RECORD;
	p->p_priv.ipc_all = 1;
	p->p_misc_flags |= MF_PRIV_VM;
	p->p_cpu = 0;
	p->p_priority = SYSTEM_Q;	/* VM before the processes it serves */
	p->p_rts_flags = 0;
	sched_enqueue(p);
	/* What VM is given against what the loader's map lists, for the
	 * host to compare with VM's own count (tests/run.py). */
	record("mem", "ram_kib=%llu vm_kib=%llu above4g_kib=%llu",
		ram_below_4g() >> 10, memlist_total(&kinfo) >> 10,
		kinfo.ram_above_4g >> 10);
	kprintf("vm: started from module 0 (%u segments, entry 0x%08x), "
		"physical memory up to 0x%08x at 0x%08x\n", ei.nsegs, ei.entry,
		kinfo.mapped_end, VM_PHYS_BASE);
}

/*
 * The i386 paging formats the kernel and VM both read and write: page
 * directory and page table entries, and the page-fault error code the
 * kernel passes on to VM in a fault message. The CPU defines them; this
 * is their one copy (tools/check_contract.py keeps it so).
 */
#ifndef CAIRN_ARCH_I386_MMU_H
#define CAIRN_ARCH_I386_MMU_H

#define PAGE_SIZE	0x1000
#define BIGPAGE_SIZE	0x400000	/* one 4 MiB PSE page per PDE */
#define PT_ENTRIES	1024		/* entries in a directory or table */

/* Entry bits, the same in a directory and a page table but PTE_PS. */
#define PTE_P		0x001
#define PTE_W		0x002
#define PTE_U		0x004
#define PTE_PWT		0x008
#define PTE_PCD		0x010
#define PTE_PS		0x080	/* in a PDE: 4 MiB page */
#define PTE_G		0x100
#define PTE_FRAME	0xfffff000

#define PDE_INDEX(va)	((uint32_t)(va) >> 22)
#define PTE_INDEX(va)	(((uint32_t)(va) >> 12) & 0x3ff)

/* The page-fault error code (pushed by the CPU, passed to VM as is). */
#define PF_ERR_P	0x1	/* present: a protection fault */
#define PF_ERR_W	0x2	/* the access was a write */

#endif /* CAIRN_ARCH_I386_MMU_H */

/*
 * The benchmarks' page area: TLB_MAX_PAGES ordinary 4 KiB kernel pages in
 * BENCH_AREA, each on its own frame. The TLB self-tests use it too.
 */
#ifndef CAIRN_TLB_AREA_H
#define CAIRN_TLB_AREA_H

#include <stdint.h>

int tlb_area_setup(void);	/* 0, or -1 when memory is short */
volatile uint32_t *tlb_area_page(uint32_t i);
uint32_t *tlb_area_pte(uint32_t i);

#endif /* CAIRN_TLB_AREA_H */

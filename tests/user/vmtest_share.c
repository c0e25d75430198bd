/*
 * vmtest: memory seen by more than one owner: two pages granted to the
 * peer (each side sees the other's writes; revoking, bad and foreign
 * grants, read-only grants), and the block cache (yield, get back,
 * unknown ids, yield and get in one request, an id in use).
 */
#include <stdint.h>
#include <sys/mman.h>
#include "cairn/urecord.h"
#include "cairn/vmlib.h"
#include "tests/user/vmtest.h"

/* Block-cache ids: distinct per test. */
#define ID_A		0x1001
#define ID_B		0x1002
#define ID_C		0x1003
#define ID_DUP		0x1004
#define ID_UNKNOWN	0x7777777

/* Two pages granted to the peer: each side sees the other's writes. */
void vt_test_shared(void)
{
	uint32_t id = 0, id_other = 0, id_ro = 0, first = 0;
	int r, mapped;
	uint8_t *p;

	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	if (p == MAP_FAILED) {
		vt_expect("vm.grant.create", vm_errno, OK);
		return;
	}
	*vt_word(p, 0, 0) = 0x5a5a0001;
	*vt_word(p, 1, 0) = 0;
	r = vm_grant(p, 2 * PAGE, vt_peer_ep, PROT_READ | PROT_WRITE, &id);
	utest_result("vm.grant.create", r == OK, "grant id %u: %d", id, r);
	/* The peer touches slot 0 only while it has it mapped: a bad
	 * access would kill it. */
	mapped = vt_peer_map(id, 2 * PAGE, PROT_READ | PROT_WRITE, 0, &first);
	utest_result("vm.shared.map", mapped == OK, "the peer mapped grant "
		"%u: %d", id, mapped);
	utest_result("vm.shared.peer_sees_owner", mapped == OK &&
		first == 0x5a5a0001, "the peer read 0x%x", first);
	if (mapped == OK)
		vt_peer_write(0, PAGE, 0x7e7e0002);
	utest_result("vm.shared.owner_sees_peer", mapped == OK &&
		*vt_word(p, 1, 0) == 0x7e7e0002, "the owner read 0x%x",
		*vt_word(p, 1, 0));
	*vt_word(p, 0, 1) = 0x5a5a0003;
	first = mapped == OK ? vt_peer_read(0, 4) : 0;
	utest_result("vm.shared.later_writes", first == 0x5a5a0003,
		"a write after the mapping: the peer read 0x%x", first);

	vt_expect("vm.revoke", vm_revoke(id), OK);
	r = vt_peer_map(id, 2 * PAGE, PROT_READ | PROT_WRITE, 1, &first);
	vt_expect_error("vm.revoke.no_new_mappings", r);
	if (r == OK)
		vt_peer_unmap(1);
	*vt_word(p, 0, 2) = 0x5a5a0004;
	first = mapped == OK ? vt_peer_read(0, 8) : 0;
	utest_result("vm.revoke.mapped_stays", first == 0x5a5a0004,
		"through the earlier mapping the peer read 0x%x", first);
	vt_expect("vm.shared.peer_unmap", vt_peer_unmap(0), OK);

	r = vt_peer_map(0x0dead123, PAGE, PROT_READ, 1, &first);
	vt_expect_error("vm.grant.bad_id", r);
	if (r == OK)
		vt_peer_unmap(1);

	/* Granted to main, not to the peer. */
	r = vm_grant(p, PAGE, vt_main_ep, PROT_READ, &id_other);
	r = r == OK ? vt_peer_map(id_other, PAGE, PROT_READ, 1, &first) : OK;
	vt_expect_error("vm.grant.not_grantee", r);
	if (r == OK)
		vt_peer_unmap(1);

	r = vm_grant(p, PAGE, vt_peer_ep, PROT_READ, &id_ro);
	if (r == OK) {
		int w = vt_peer_map(id_ro, PAGE, PROT_READ | PROT_WRITE, 2,
			&first);
		vt_expect_error("vm.grant.read_only_refuses_write", w);
		if (w == OK)
			vt_peer_unmap(2);
		r = vt_peer_map(id_ro, PAGE, PROT_READ, 3, &first);
	}
	utest_result("vm.grant.read_only_maps_read", r == OK &&
		first == 0x5a5a0001, "read-only grant: %d, the peer read 0x%x",
		r, first);
	for (uint32_t s = 0; s < PEER_SLOTS; s++)
		vt_peer_unmap(s);
	vm_revoke(id_other);
	vm_revoke(id_ro);
	vt_expect("vm.shared.owner_unmap", munmap(p, 2 * PAGE), OK);
}

void vt_test_cache(void)
{
	uint32_t cached0 = vt_stat1(VMS_CACHED);
	void *got = NULL, *q;
	uint8_t *p, *s;
	int r;

	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	if (p == MAP_FAILED) {
		vt_expect("vm.cache.yield", vm_errno, OK);
		return;
	}
	vt_fill(p, 2 * PAGE, ID_A);
	vt_expect("vm.cache.yield", vm_cache_yield(p, 2 * PAGE, ID_A, 0, NULL,
		NULL), OK);
	utest_result("vm.cache.counted", vt_stat1(VMS_CACHED) == cached0 + 1,
		"blocks in the cache: %u before, %u after", cached0,
		vt_stat1(VMS_CACHED));
	utest_result("vm.cache.yield_leaves_zero", vt_all_zero(p, 2 * PAGE),
		"the yielded range reads 0");
	r = vm_cache_get(NULL, PAGE, ID_A, &got);
	vt_expect("vm.cache.get_wrong_length", r, EINVAL);
	if (r == OK)
		munmap(got, PAGE);
	r = vm_cache_get(NULL, 2 * PAGE, ID_A, &got);
	vt_expect("vm.cache.get", r, OK);
	utest_result("vm.cache.get_intact", r == OK && vt_filled(got, 2 * PAGE,
		ID_A), "the block came back at 0x%x with its data",
		r == OK ? (uint32_t)(uintptr_t)got : 0);
	if (r == OK)
		munmap(got, 2 * PAGE);
	vt_expect("vm.cache.unknown_id", vm_cache_get(NULL, PAGE, ID_UNKNOWN,
		&got), ENOENT);

	/* Yield one block and get another back in the same request. */
	vt_fill(p, 2 * PAGE, ID_B);
	r = vm_cache_yield(p, 2 * PAGE, ID_B, 0, NULL, NULL);
	s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_ANON);
	if (r == OK && s != MAP_FAILED) {
		vt_fill(s, 2 * PAGE, ID_C);
		r = vm_cache_yield(s, 2 * PAGE, ID_C, ID_B, NULL, &got);
	}
	vt_expect("vm.cache.yield_and_get", r, OK);
	utest_result("vm.cache.yield_and_get_intact", r == OK &&
		vt_filled(got, 2 * PAGE, ID_B) && vt_all_zero(s, 2 * PAGE),
		"block %u came back, the yielded range reads 0", ID_B);
	if (r == OK)
		munmap(got, 2 * PAGE);
	r = vm_cache_get(NULL, 2 * PAGE, ID_C, &q);
	utest_result("vm.cache.second_block_intact", r == OK &&
		vt_filled(q, 2 * PAGE, ID_C), "block %u: %d", ID_C, r);
	if (r == OK)
		munmap(q, 2 * PAGE);
	if (s != MAP_FAILED)
		munmap(s, 2 * PAGE);

	/* A second yield under an id in use is refused (errno.h: EEXIST, "a
	 * cache id in use"); the first block stays as it was. */
	vt_fill(p, PAGE, ID_DUP);
	vm_cache_yield(p, PAGE, ID_DUP, 0, NULL, NULL);
	vt_fill(p, PAGE, ID_DUP + 1);
	r = vm_cache_yield(p, PAGE, ID_DUP, 0, NULL, NULL);
	vt_expect("vm.cache.id_in_use", r, EEXIST);
	r = vm_cache_get(NULL, PAGE, ID_DUP, &q);
	utest_result("vm.cache.id_in_use_keeps_first", r == OK &&
		vt_filled(q, PAGE, ID_DUP), "block %u: %d, %s", ID_DUP, r,
		r != OK ? "gone" : vt_filled(q, PAGE, ID_DUP) ? "the first "
		"block's data" : "not the first block's data");
	if (r == OK)
		munmap(q, PAGE);
	munmap(p, 2 * PAGE);
	utest_result("vm.cache.all_taken", vt_stat1(VMS_CACHED) == cached0,
		"blocks in the cache: %u (%u before the tests)",
		vt_stat1(VMS_CACHED), cached0);
}

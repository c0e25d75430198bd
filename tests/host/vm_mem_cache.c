/*
 * The block cache: yield, get and forget, and blocks owned by a process.
 */
#include "check.h"
#include "tests/host/vm_space.h"

/* A cache request naming owner's id space (0: the caller's own). */
static int cache_call_as(struct vmproc *vmp, int type, endpoint_t owner,
	vir_bytes addr, uint32_t len, uint32_t id, uint32_t get_id,
	vir_bytes *at)
{
	message m = { 0 };
	const struct mess_reply *r;

	m.m_type = type;
	m.u.vm_cache = (struct vm_cache){ addr, len, id, get_id, 0, owner };
	r = vm_request(vmp->ep, &m, type == VM_CACHE_YIELD ? cache_yield_request
						       : cache_get_request);
	if (at != NULL)
		*at = r->value[0];
	return r->status;
}

static int cache_call(struct vmproc *vmp, int type, vir_bytes addr,
	uint32_t len, uint32_t id, uint32_t get_id, vir_bytes *at)
{
	return cache_call_as(vmp, type, 0, addr, len, id, get_id, at);
}

TEST(vm_mem, block_cache_yield_get_forget)
{
	struct vmproc *vmp = boot_one("utest");
	vir_bytes a, got;
	uint32_t frame, before = free_now();

	CHECK_EQ(do_mmap(vmp, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_ANON,
		&a), OK);
	pagefault(vmp, a, 0x6);
	user_ptr(vmp, a)[7] = 0x77;
	frame = frame_of(vmp, a);
	/* Yielded: gone from the process, which reads zero there now. */
	CHECK_EQ(cache_call(vmp, VM_CACHE_YIELD, a, PG, 42, 0, NULL), OK);
	CHECK(user_ptr(vmp, a) == NULL);
	pagefault(vmp, a, 0x4);
	CHECK_EQ(user_ptr(vmp, a)[7], 0);
	/* Back, with its bytes, in a region of its own. */
	CHECK_EQ(cache_call(vmp, VM_CACHE_GET, 0, PG, 42, 0, &got), OK);
	CHECK_EQ_U(frame_of(vmp, got), frame);
	CHECK_EQ(user_ptr(vmp, got)[7], 0x77);
	CHECK_EQ(region_lookup(&vmp->regions, got)->type, MT_CACHE);
	CHECK_EQ(cache_call(vmp, VM_CACHE_GET, 0, PG, 42, 0, NULL), ENOENT);
	CHECK_EQ(cache_call(vmp, VM_CACHE_GET, 0, PG, 43, 0, NULL), ENOENT);
	/* An id in use keeps its first block. */
	CHECK_EQ(cache_call(vmp, VM_CACHE_YIELD, got, PG, 7, 0, NULL), OK);
	CHECK_EQ(cache_call(vmp, VM_CACHE_YIELD, a, PG, 7, 0, NULL), EEXIST);
	CHECK_EQ(cache_call(vmp, VM_CACHE_GET, 0, PG, 7, 0, &got), OK);
	CHECK_EQ(user_ptr(vmp, got)[7], 0x77);
	/* Yield and get in one call. */
	CHECK_EQ(cache_call(vmp, VM_CACHE_YIELD, got, PG, 7, 0, NULL), OK);
	CHECK_EQ(cache_call(vmp, VM_CACHE_YIELD, a, PG, 8, 7, &got), OK);
	CHECK_EQ(user_ptr(vmp, got)[7], 0x77);
	/* Memory short: the cache goes first, and says so. */
	CHECK_EQ(cache_blocks(), 1);
	CHECK_EQ(cache_reclaim(1), 1);
	CHECK_EQ(cache_forgotten(), 1);
	CHECK_EQ(cache_call(vmp, VM_CACHE_GET, 0, PG, 8, 0, NULL), ENOENT);
	CHECK_EQ(cache_call(vmp, VM_CACHE_YIELD, a + 1, PG, 9, 0, NULL),
		EINVAL);
	CHECK_EQ(cache_call(vmp, VM_CACHE_YIELD, 0x1000, PG, 9, 0, NULL),
		EFAULT);
	(void)before;
	exit_and_check(vmp);
}

/* Ids are the yielder's own; nobody else reaches its blocks; an exit
 * takes them all; untouched pages cost nothing. */
TEST(vm_mem, block_cache_owned)
{
	struct vmproc *a = boot_one("utest");
	struct vmproc *b = fork_of(a);
	uint32_t before = free_now(), blocks = cache_blocks();
	vir_bytes pa, pb, got;

	CHECK_EQ(do_mmap(a, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_ANON,
		&pa), OK);
	CHECK_EQ(do_mmap(b, 0, 2 * PG, PROT_READ | PROT_WRITE, MAP_ANON,
		&pb), OK);
	pagefault(a, pa, 0x6);
	user_ptr(a, pa)[3] = 0xa1;
	pagefault(b, pb, 0x6);
	user_ptr(b, pb)[3] = 0xb2;
	CHECK_EQ(cache_call(a, VM_CACHE_YIELD, pa, PG, 5, 0, NULL), OK);
	/* b: a's id is not in b's space; naming a's space is refused. */
	CHECK_EQ(cache_call(b, VM_CACHE_GET, 0, PG, 5, 0, NULL), ENOENT);
	CHECK_EQ(cache_call_as(b, VM_CACHE_GET, a->ep, 0, PG, 5, 0, NULL),
		EPERM);
	CHECK_EQ(cache_call_as(b, VM_CACHE_YIELD, a->ep, pb, PG, 6, 0, NULL),
		EPERM);
	CHECK_EQ(cache_call_as(b, VM_CACHE_YIELD, 0, pb, PG, 9, 5, NULL),
		ENOENT);	/* yields 9; a 5 of its own there is not */
	/* b's own id 5: no squatting on a's. */
	CHECK_EQ(cache_call(b, VM_CACHE_GET, 0, PG, 9, 0, &got), OK);
	CHECK_EQ(user_ptr(b, got)[3], 0xb2);
	CHECK_EQ(cache_call(b, VM_CACHE_YIELD, got, PG, 5, 0, NULL), OK);
	CHECK_EQ(cache_blocks(), blocks + 2);
	/* a gets its own 5 back, naming itself or nobody. */
	CHECK_EQ(cache_call_as(a, VM_CACHE_GET, SELF, 0, PG, 5, 0, &got), OK);
	CHECK_EQ(user_ptr(a, got)[3], 0xa1);
	/* Never-touched pages: nothing kept, nothing allocated. */
	{
		uint32_t f = free_now();

		for (uint32_t id = 100; id < 200; id++)
			CHECK_EQ(cache_call(a, VM_CACHE_YIELD, pa + PG, PG, id,
				0, NULL), OK);
		CHECK_EQ(free_now(), f);
		CHECK_EQ(cache_blocks(), blocks + 1);
		CHECK_EQ(cache_call(a, VM_CACHE_GET, 0, PG, 100, 0, NULL),
			ENOENT);
	}
	/* Ranges in the kernel's part, wrapping, or at page 0. */
	CHECK_EQ(cache_call(a, VM_CACHE_YIELD, 0xEFFFF000u, 2 * PG, 7, 0,
		NULL), EINVAL);
	CHECK_EQ(cache_call(a, VM_CACHE_YIELD, 0xFFFFF000u, 2 * PG, 7, 0,
		NULL), EINVAL);
	CHECK_EQ(cache_call(a, VM_CACHE_YIELD, pa, 0xFFFFF000u, 7, 0, NULL),
		EINVAL);
	pagefault(a, pa, 0x6);
	CHECK_EQ(cache_call(a, VM_CACHE_YIELD, pa, PG, 7, 0, NULL), OK);
	CHECK_EQ(cache_call(a, VM_CACHE_GET, 0xF0000000u, PG, 7, 0, NULL),
		EINVAL);
	CHECK_EQ(cache_call(a, VM_CACHE_GET, 0xFFFFF000u, PG, 7, 0, NULL),
		EINVAL);
	CHECK_EQ(cache_call(a, VM_CACHE_GET, 0xEFFFF000u, PG, 7, 0, NULL),
		OK);	/* the last user page: fine */
	CHECK_EQ(cache_call(a, VM_CACHE_YIELD, 0xEFFFF000u, PG, 7, 0, NULL),
		OK);
	CHECK_EQ(cache_call(a, VM_CACHE_GET, 0, PG, 7, 0, NULL), OK);
	/* b's exit drops b's block, a's exit a's. */
	pagefault(a, pa, 0x6);
	CHECK_EQ(cache_call(a, VM_CACHE_YIELD, pa, PG, 8, 0, NULL), OK);
	CHECK_EQ(cache_blocks(), blocks + 2);
	exit_proc(b);
	CHECK_EQ(cache_blocks(), blocks + 1);
	(void)before;
	exit_and_check(a);
	CHECK_EQ(cache_blocks(), blocks);
}

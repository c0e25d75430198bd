/*
 * The caller's grant table (cairn/grantlib.h): an array of struct
 * grant_entry in anonymous memory, present from the start so the kernel
 * never finds a slot missing, doubled when full. Free slots are chained
 * through their addr field; a slot whose generation is used up is never
 * handed out again, so no id repeats.
 */
#include <string.h>
#include <sys/mman.h>
#include "cairn/grantlib.h"
#include "cairn/ipclib.h"
#include "cairn/vmlib.h"

#define TABLE_FIRST	128		/* slots: one page */
#define PAGE		4096u
#define NO_SLOT		0xffffffffu

static struct grant_entry *table;
static uint32_t slots, live, free_head = NO_SLOT;

static int grow(void)
{
	uint32_t n = slots ? slots * 2 : TABLE_FIRST;
	struct grant_entry *t;
	uint32_t old_head = free_head;
	int r;

	if (slots >= GRANT_SLOTS_MAX)
		return ENOMEM;
	t = mmap(NULL, n * sizeof(*t), PROT_READ | PROT_WRITE,
		MAP_ANON | MAP_PREALLOC);
	if (t == MAP_FAILED)
		return ENOMEM;
	if (slots)
		memcpy(t, table, slots * sizeof(*t));
	/* New slots go on the free list lowest first. */
	for (uint32_t i = n; i-- > slots;) {
		t[i].flags = 0;
		t[i].gen = 0;
		t[i].addr = free_head;
		free_head = i;
	}
	if ((r = sys_setgrant((vir_bytes)t, n)) != OK) {
		munmap(t, n * sizeof(*t));
		free_head = old_head;	/* the old table is untouched */
		return r;
	}
	if (slots)
		munmap(table, slots * sizeof(*table));
	table = t;
	slots = n;
	return OK;
}

/* A free slot with its next generation, or a negative code. */
static int take_slot(uint32_t *slot)
{
	int r;

	if (free_head == NO_SLOT && (r = grow()) != OK)
		return r;
	*slot = free_head;
	free_head = table[*slot].addr;
	return OK;
}

/* Fills slot and makes it live: flags last, so the kernel never sees a
 * live entry with half its fields. */
static cp_grant_id_t publish(uint32_t slot, const struct grant_entry *e)
{
	struct grant_entry *t = &table[slot];
	uint32_t gen = t->gen + 1;

	t->gen = gen;
	t->grantee = e->grantee;
	t->len = e->len;
	t->addr = e->addr;
	t->from = e->from;
	t->from_id = e->from_id;
	t->from_off = e->from_off;
	__asm__ volatile("" ::: "memory");
	t->flags = e->flags | GF_USED;
	live++;
	return make_grant_id(gen, slot);
}

cp_grant_id_t cpf_grant_direct(endpoint_t grantee, vir_bytes addr,
	uint32_t len, uint32_t access)
{
	struct grant_entry e = { 0 };
	uint32_t slot;
	int r;

	if ((access & ~(GF_ACCESS | GF_MAP)) || !(access & GF_ACCESS))
		return EINVAL;
	if (len != 0 && len - 1 > 0xffffffffu - addr)
		return EINVAL;
	if ((access & GF_MAP) && (addr % PAGE || len % PAGE || len == 0))
		return EINVAL;
	if ((r = take_slot(&slot)) != OK)
		return r;
	e.flags = access;
	e.grantee = grantee;
	e.len = len;
	e.addr = addr;
	return publish(slot, &e);
}

cp_grant_id_t cpf_grant_indirect(endpoint_t grantee, endpoint_t from,
	cp_grant_id_t id, uint32_t offset, uint32_t len, uint32_t access)
{
	struct grant_entry e = { 0 };
	uint32_t slot;
	int r;

	if ((access & ~(GF_ACCESS | GF_MAP)) || !(access & GF_ACCESS) ||
	    id < 0)
		return EINVAL;
	if ((r = take_slot(&slot)) != OK)
		return r;
	e.flags = access | GF_INDIRECT;
	e.grantee = grantee;
	e.len = len;
	e.from = from;
	e.from_id = id;
	e.from_off = offset;
	return publish(slot, &e);
}

int cpf_revoke(cp_grant_id_t id)
{
	uint32_t slot = grant_id_slot(id);
	struct grant_entry *t = &table[slot];

	if (id < 0 || slot >= slots || !(t->flags & GF_USED) ||
	    t->gen != grant_id_gen(id))
		return EINVAL;
	t->flags = 0;
	__asm__ volatile("" ::: "memory");
	live--;
	if (t->gen < GRANT_GEN_MAX) {	/* else retired for good */
		t->addr = free_head;
		free_head = slot;
	}
	return OK;
}

uint32_t cpf_count(uint32_t *room)
{
	if (room)
		*room = slots;
	return live;
}

void cpf_forget_after_fork(void)
{
	if (table)
		munmap(table, slots * sizeof(*table));
	table = NULL;
	slots = live = 0;
	free_head = NO_SLOT;
}

int cpf_reset(void)
{
	int r = table ? sys_setgrant(0, 0) : OK;

	if (r == OK)
		cpf_forget_after_fork();
	return r;
}

int sys_setgrant(vir_bytes t, uint32_t n)
{
	message m = { 0 };

	m.u.setgrant.addr = t;
	m.u.setgrant.slots = n;
	return kernel_call(SYS_SETGRANT, &m);
}

static int safecopy(int call, endpoint_t granter, cp_grant_id_t id,
	uint32_t offset, vir_bytes addr, uint32_t bytes)
{
	message m = { 0 };

	m.u.safecopy.granter = granter;
	m.u.safecopy.grant = id;
	m.u.safecopy.offset = offset;
	m.u.safecopy.addr = addr;
	m.u.safecopy.bytes = bytes;
	return kernel_call(call, &m);
}

int sys_safecopyfrom(endpoint_t granter, cp_grant_id_t id, uint32_t offset,
	void *to, uint32_t bytes)
{
	return safecopy(SYS_SAFECOPYFROM, granter, id, offset, (vir_bytes)to,
		bytes);
}

int sys_safecopyto(endpoint_t granter, cp_grant_id_t id, uint32_t offset,
	const void *from, uint32_t bytes)
{
	return safecopy(SYS_SAFECOPYTO, granter, id, offset,
		(vir_bytes)from, bytes);
}

/* Worth asking VM to share pages: page-aligned on both sides, whole
 * pages, and enough of them that sharing beats copying. */
static int cow_fits(uint32_t offset, vir_bytes addr, uint32_t bytes)
{
	return bytes >= SAFECOPY_COW_MIN && addr % PAGE == 0 &&
		bytes % PAGE == 0 && offset % PAGE == 0;
}

int safecopyfrom(endpoint_t granter, cp_grant_id_t id, uint32_t offset,
	void *to, uint32_t bytes)
{
	if (cow_fits(offset, (vir_bytes)to, bytes) &&
	    vm_cowcopy(granter, id, offset, to, bytes) == OK)
		return OK;
	return sys_safecopyfrom(granter, id, offset, to, bytes);
}

int safecopyto(endpoint_t granter, cp_grant_id_t id, uint32_t offset,
	const void *from, uint32_t bytes)
{
	if (cow_fits(offset, (vir_bytes)from, bytes) &&
	    vm_cowcopy_to(granter, id, offset, from, bytes) == OK)
		return OK;
	return sys_safecopyto(granter, id, offset, from, bytes);
}

int sys_vsafecopy(const struct vscp_vec *vec, uint32_t count,
	uint32_t *done)
{
	message m = { 0 };
	int r;

	m.u.vsafecopy.vec = (vir_bytes)vec;
	m.u.vsafecopy.count = count;
	r = kernel_call(SYS_VSAFECOPY, &m);
	if (done)
		*done = m.u.vsafecopy.done;
	return r;
}

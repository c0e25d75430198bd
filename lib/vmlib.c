/*
 * Requests to the VM server (see cairn/vmlib.h): each fills the named
 * payload of a zeroed message, sends it to VM with SENDREC and reads the
 * u.reply VM answers every request with.
 */
#include "cairn/vmlib.h"

#include "cairn/ipclib.h"
#include "cairn/grant.h"

/* One request and its reply: the IPC status, else VM's. */
static int vm_request(int type, message *m)
{
	int r;

	m->m_type = type;
	r = ipc_sendrec(VM_ENDPOINT, m);
	if (r != OK)
		return r;
	return m->u.reply.status;
}

/* A request whose reply value[0] is an address. */
static int vm_request_addr(int type, message *m, void **addr)
{
	int r = vm_request(type, m);

	if (r == OK && addr != NULL)
		*addr = (void *)(uintptr_t)m->u.reply.value[0];
	return r;
}

int vm_mmap(const struct vm_mmap *req, void **addr)
{
	message m = { 0 };

	m.u.vm_mmap = *req;
	return vm_request_addr(VM_MMAP, &m, addr);
}

int vm_safemap(endpoint_t granter, int32_t id, uint32_t offset, size_t len,
	int prot, void **addr)
{
	struct vm_mmap req = {
		.len = len,
		.prot = (uint32_t)prot,
		.flags = MAP_SHARED | MAP_GRANT,
		.owner = granter,
		.grant = (uint32_t)id,
		.offset = offset,
	};

	return vm_mmap(&req, addr);
}

int vm_saferevmap(int32_t id, uint32_t *removed)
{
	message m = { 0 };
	int r;

	m.u.vm_grant.id = (uint32_t)id;
	r = vm_request(VM_SAFEREVMAP, &m);
	if (r == OK && removed != NULL)
		*removed = m.u.reply.value[0];
	return r;
}

static int cowcopy(endpoint_t granter, int32_t id, uint32_t offset,
	vir_bytes addr, size_t len, uint32_t dir)
{
	message m = { 0 };

	m.u.vm_cowcopy.granter = granter;
	m.u.vm_cowcopy.grant = id;
	m.u.vm_cowcopy.offset = offset;
	m.u.vm_cowcopy.addr = addr;
	m.u.vm_cowcopy.len = len;
	m.u.vm_cowcopy.dir = dir;
	return vm_request(VM_COWCOPY, &m);
}

int vm_cowcopy(endpoint_t granter, int32_t id, uint32_t offset, void *addr,
	size_t len)
{
	return cowcopy(granter, id, offset, (vir_bytes)addr, len, VSCP_FROM);
}

int vm_cowcopy_to(endpoint_t granter, int32_t id, uint32_t offset,
	const void *addr, size_t len)
{
	return cowcopy(granter, id, offset, (vir_bytes)addr, len, VSCP_TO);
}

int vm_mmap_contig(size_t len, uint32_t align, int flags, void **addr)
{
	struct vm_mmap req = {
		.len = len,
		.prot = PROT_READ | PROT_WRITE,
		.flags = MAP_CONTIG | ((uint32_t)flags & ~MAP_TYPE_MASK),
		.align = align,
	};

	return vm_mmap(&req, addr);
}

int vm_mmap_phys(phys_bytes phys, size_t len, int prot, int flags,
	void **addr)
{
	struct vm_mmap req = {
		.len = len,
		.prot = (uint32_t)prot,
		.flags = MAP_PHYS | ((uint32_t)flags & ~MAP_TYPE_MASK),
		.phys = phys,
	};

	return vm_mmap(&req, addr);
}

int vm_mmap_shared(endpoint_t owner, uint32_t grant, size_t len, int prot,
	void **addr)
{
	struct vm_mmap req = {
		.len = len,
		.prot = (uint32_t)prot,
		.flags = MAP_SHARED,
		.owner = owner,
		.grant = grant,
	};

	return vm_mmap(&req, addr);
}

int vm_grant(void *addr, size_t len, endpoint_t grantee, int prot,
	uint32_t *id)
{
	message m = { 0 };
	int r;

	m.u.vm_grant.addr = (vir_bytes)addr;
	m.u.vm_grant.len = len;
	m.u.vm_grant.grantee = grantee;
	m.u.vm_grant.prot = (uint32_t)prot;
	r = vm_request(VM_GRANT, &m);
	if (r == OK && id != NULL)
		*id = m.u.reply.value[0];
	return r;
}

int vm_revoke(uint32_t id)
{
	message m = { 0 };

	m.u.vm_grant.id = id;
	return vm_request(VM_REVOKE, &m);
}

int vm_cache_yield(void *addr, size_t len, uint32_t id, uint32_t get_id,
	void *get_addr, void **got)
{
	message m = { 0 };

	m.u.vm_cache.addr = (vir_bytes)addr;
	m.u.vm_cache.len = len;
	m.u.vm_cache.id = id;
	m.u.vm_cache.get_id = get_id;
	m.u.vm_cache.get_addr = (vir_bytes)get_addr;
	return vm_request_addr(VM_CACHE_YIELD, &m, get_id ? got : NULL);
}

int vm_cache_get(void *addr, size_t len, uint32_t id, void **got)
{
	message m = { 0 };

	m.u.vm_cache.addr = (vir_bytes)addr;
	m.u.vm_cache.len = len;
	m.u.vm_cache.id = id;
	return vm_request_addr(VM_CACHE_GET, &m, got);
}

int vm_stats(uint32_t v[VM_STATS_COUNT])
{
	message m = { 0 };
	int r = vm_request(VM_STATS, &m);

	if (r == OK)
		for (int i = 0; i < VM_STATS_COUNT; i++)
			v[i] = m.u.reply.value[i];
	return r;
}

int vm_zeropool(uint32_t op, uint32_t count, uint32_t v[VM_ZEROPOOL_COUNT])
{
	message m = { 0 };
	int r;

	m.u.vm_zeropool.op = op;
	m.u.vm_zeropool.count = count;
	r = vm_request(VM_ZEROPOOL, &m);
	if (r == OK && v != NULL)
		for (int i = 0; i < VM_ZEROPOOL_COUNT; i++)
			v[i] = m.u.reply.value[i];
	return r;
}

int vm_lookupbench(uint32_t count, uint32_t seed, struct vm_lookup_times *t)
{
	message m = { 0 };
	int r;

	m.u.vm_lookupbench.count = count;
	m.u.vm_lookupbench.seed = seed;
	r = vm_request(VM_LOOKUPBENCH, &m);
	if (r == OK) {
		const uint32_t *v = m.u.reply.value;

		t->lookups = (uint64_t)v[1] << 32 | v[0];
		t->overhead = (uint64_t)v[3] << 32 | v[2];
		t->hits = v[4];
	}
	return r;
}

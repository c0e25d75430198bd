/*
 * Copies to and from the current address space (usercopy.h).
 */
#include "kernel/usercopy.h"

uint32_t copy_from_current(void *dst, vir_bytes src, uint32_t len)
{
	return user_range(src, len) ? copy_user(dst, (const void *)src, len) : 1;
}

uint32_t copy_to_current(vir_bytes dst, const void *src, uint32_t len)
{
	return user_range(dst, len) ? copy_user((void *)dst, src, len) : 1;
}

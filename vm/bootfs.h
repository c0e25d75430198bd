/*
 * The system image: boot module 2, a POSIX ustar archive (made by GNU tar
 * at build time) of the programs and files RS needs: rs itself, the
 * services, and the policy (system.conf). One module holds them all, so
 * the boot stays within iPXE's eight modules. Only regular files are
 * read; a name is the member's path as stored ("ds", "system.conf").
 */
#ifndef CAIRN_VM_BOOTFS_H
#define CAIRN_VM_BOOTFS_H

#include <stddef.h>
#include <stdint.h>

/* Is [ar, +len) a ustar archive (its first header says so)? */
int bootfs_is_archive(const uint8_t *ar, size_t len);

/* The regular file called name: OK and *data, *size; ENOENT when there
 * is none; EINVAL when the archive is damaged before it is found (a
 * size that runs past its end, a bad number). */
int bootfs_find(const uint8_t *ar, size_t len, const char *name,
	const uint8_t **data, size_t *size);

#endif /* CAIRN_VM_BOOTFS_H */

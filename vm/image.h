/*
 * A program image made into an address space, the same way at boot, for
 * VM_SPAWN and for VM_EXEC: its ELF segments with their bytes, an empty
 * heap after them, a demand-zero stack with argc, argv and envp on its
 * top page (lib's crt0).
 */
#ifndef CAIRN_VM_IMAGE_H
#define CAIRN_VM_IMAGE_H

#include <stdint.h>
#include "cairn/types.h"
#include "lib/elf/elf.h"
#include "vm/vmproc.h"

/* What the new stack carries: argc strings, then envc strings. */
struct image_args {
	int argc;
	char *const *argv;
	int envc;
	char *const *envp;
};

/* The ELF program in [bytes, +size), checked for VM to load into user
 * space below the stack: OK and *img, or ENOEXEC (reported with
 * name). */
int image_parse(const char *name, const uint8_t *bytes, uint32_t size,
	struct elf_image *img);

/* 1 if a's strings and pointers fit the stack's top page. */
int image_args_fit(const struct image_args *a);

/* Builds the whole space of img (bytes: its file) into vmp, which has
 * an empty region set and no directory: OK and the initial stack
 * pointer in *sp, or ENOMEM (E2BIG when a does not fit). On failure
 * vmp may hold part of it: image_discard frees that. */
int image_build(struct vmproc *vmp, const uint8_t *bytes,
	const struct elf_image *img, const struct image_args *a,
	vir_bytes *sp);

/* Frees what image_build made in vmp (all of it or part). */
void image_discard(struct vmproc *vmp);

#endif /* CAIRN_VM_IMAGE_H */

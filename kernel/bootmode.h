/*
 * Boot modes that live outside the kernel proper, such as mode=bench (the
 * in-kernel benchmarks, bench/kern/): each registers itself with
 * BOOT_MODE(), and kernel/main.c runs the one the command line names
 * without including anything of the part it belongs to.
 */
#ifndef CAIRN_BOOTMODE_H
#define CAIRN_BOOTMODE_H

struct boot_mode {
	const char *name;	/* the mode= word */
	void (*run)(void);	/* runs before user space starts, if any */
};

#define BOOT_MODE(var, mode_name, fn) \
	static const struct boot_mode var \
		__attribute__((section(".bootmodes"), used, aligned(4))) = \
		{ mode_name, fn }

#endif /* CAIRN_BOOTMODE_H */

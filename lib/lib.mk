# User space: libcairn.a (IPC stubs, kernel-call wrappers, VM calls,
# minimal libc with mmap, result records, the ELF loader core) and the
# user_program function that links a program against it. Included by the
# top-level Makefile after it sets BUILD and CC.
#
#   $(eval $(call user_program,NAME,SOURCES[,EXTRA_CFLAGS]))
#       builds $(BUILD)/user/NAME.elf from SOURCES (.c and .S) with
#       lib/user.ld, crt0, libcairn.a and libgcc, and adds it to
#       USER_PROGRAMS. EXTRA_CFLAGS apply to that program's own objects.
#       Use $(USER_PROGRAMS) only after every fragment declared its
#       programs (prerequisite lists expand when a rule is read).
#
# User objects live under $(BUILD)/user-obj/, apart from the kernel's
# $(BUILD)/%.c.o, because the same source (kernel/lib/string.c, ...) is
# compiled with USER_CFLAGS here and KCFLAGS there.

BUILD    ?= build
CC       ?= gcc

USER_OBJ := $(BUILD)/user-obj
LIBCAIRN := $(BUILD)/lib/libcairn.a

# The kernel's flags (top-level Makefile), plus the user headers.
USER_CFLAGS := $(KCFLAGS) -Ilib/include
USER_ASFLAGS := $(KASFLAGS) -Ilib/include
USER_LIBGCC  := $(shell $(CC) -m32 -print-libgcc-file-name)
USER_LDFLAGS := -m32 -nostdlib -static -no-pie -T lib/user.ld \
	-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--build-id=none

# The library. format.c, string.c and crc32.c are the kernel's own
# sources, compiled again for user space; so is cmdwords.c (VM splits
# module strings and spawn commands by the kernel's rules).
LIBCAIRN_SRCS := \
	lib/arch/i386/ipc_int.S lib/arch/i386/ipc_sysenter.S \
	lib/arch/i386/ipc_syscall.S \
	lib/ipc.c lib/syslib.c lib/vmlib.c lib/grant.c lib/ds.c lib/record.c lib/utest.c \
	lib/serverloop.c lib/rslib.c \
	lib/libc/stdio.c lib/libc/exit.c lib/libc/panic.c lib/libc/brk.c \
	lib/libc/malloc.c lib/libc/proc.c lib/libc/mman.c lib/libc/args.c \
	lib/elf/elf.c \
	kernel/lib/format.c kernel/lib/string.c kernel/lib/crc32.c \
	kernel/lib/record_text.c kernel/lib/cmdwords.c
LIBCAIRN_OBJS := $(patsubst %,$(USER_OBJ)/%.o,$(LIBCAIRN_SRCS))
USER_CRT0     := $(USER_OBJ)/lib/arch/i386/crt0.S.o

USER_PROGRAMS :=

$(USER_OBJ)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC-USER,$<)
	$(Q)$(CC) $(USER_CFLAGS) $(USER_EXTRA_CFLAGS) -c $< -o $@

$(USER_OBJ)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(call say,AS-USER,$<)
	$(Q)$(CC) $(USER_ASFLAGS) $(USER_EXTRA_CFLAGS) -c $< -o $@

$(LIBCAIRN): $(LIBCAIRN_OBJS)
	@mkdir -p $(dir $@)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# $(call user_link,NAME,SOURCES[,EXTRA_CFLAGS]): the link of
# $(BUILD)/user/NAME.elf alone; user_program also lists it. The group lets
# libgcc (64-bit division in printf) and libcairn refer to each other.
define user_link
USER_OBJS_$(1) := $(patsubst %,$(USER_OBJ)/%.o,$(2))
$$(USER_OBJS_$(1)): USER_EXTRA_CFLAGS := $(3)
$(BUILD)/user/$(1).elf: $$(USER_OBJS_$(1)) $(USER_CRT0) $(LIBCAIRN) lib/user.ld
	@mkdir -p $$(dir $$@)
	$$(call say,LD-USER,$$@)
	$$(Q)$$(CC) $$(USER_LDFLAGS) -o $$@ $(USER_CRT0) $$(USER_OBJS_$(1)) \
		-Wl,--start-group $(LIBCAIRN) $(USER_LIBGCC) -Wl,--end-group
endef

define user_program
USER_PROGRAMS += $(BUILD)/user/$(1).elf
$(call user_link,$(1),$(2),$(3))
endef

# The demo: proves the library and the link layout.
$(eval $(call user_program,hello,lib/demo/hello.c))

# libcairn's own test, not a boot program: linked with the fake kernel of
# tests/libcairn/ and run as a 32-bit Linux process (tests/host/host.mk
# makes it build/host/test_libcairn).
$(eval $(call user_link,test_libcairn,tests/libcairn/test_libcairn.c \
	tests/libcairn/linux_kernel.c bench/user/urunner.c))

-include $(shell find $(USER_OBJ) -name '*.d' 2>/dev/null)

# Host unit tests: the kernel's pure C (format, string, crc32, memlist,
# mb_parse, acpi) built natively with ASan and UBSan from the very same
# source files, one test binary per tests/host/test_<name>.c.
# Included by the top-level Makefile; `make host-tests-run` runs them all.

HOSTCC     ?= cc
BUILD      ?= build
HOST_BUILD := $(BUILD)/host

HOST_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror $(HOST_SAN) -I. -Iinclude -MMD -MP

HOST_TESTS     := format string memlist mb_parse acpi cmdwords calib rs_policy
HOST_TEST_BINS := $(patsubst %,$(HOST_BUILD)/test_%,$(HOST_TESTS))

# The library sources each test links beside its own test_<name>.c.
HOST_LIBS_format   := kernel/lib/format.c
HOST_LIBS_string   := kernel/lib/string.c kernel/lib/crc32.c
HOST_LIBS_memlist  := kernel/lib/memlist.c
HOST_LIBS_mb_parse := boot/mb_parse.c kernel/lib/memlist.c
HOST_LIBS_acpi     := smp/acpi.c smp/mptable.c kernel/lib/crc32.c
HOST_LIBS_cmdwords := kernel/lib/cmdwords.c kernel/cmdline.c kernel/lib/format.c
HOST_LIBS_calib    := kernel/arch/i386/calib.c
HOST_LIBS_rs_policy := servers/rs/policy.c vm/bootfs.c

# string.c defines memcpy & co. under their standard names, which would
# replace libc's (and ASan's) in a host binary. test_string and its copy
# of string.o are built with every name renamed to kstr_*, in their own
# object directory; the other tests use libc's versions.
HOST_KSTR_NAMES := memcpy memmove memset memcmp strlen strnlen strcmp \
	strncmp strlcpy
HOST_KSTR_DEFS  := $(foreach f,$(HOST_KSTR_NAMES),-D$(f)=kstr_$(f))
HOST_KSTR_SRCS  := tests/host/test_string.c kernel/lib/string.c

host_obj = $(if $(filter $(HOST_KSTR_SRCS),$(2)),$(HOST_BUILD)/kstr/$(2:.c=.o),$(HOST_BUILD)/obj/$(2:.c=.o))
host_objs = $(foreach s,tests/host/test_$(1).c $(HOST_LIBS_$(1)),$(call host_obj,$(1),$(s)))

HOST_OBJS := $(sort $(foreach t,$(HOST_TESTS),$(call host_objs,$(t))))

# test_acpi finds the QEMU fixtures here wherever it is run from
# (CAIRN_FIXTURE_DIR in the environment overrides it).
$(HOST_BUILD)/obj/tests/host/test_acpi.o: \
	HOST_DEFS := -DCAIRN_FIXTURE_DIR='"$(CURDIR)/tests/fixtures"'

$(HOST_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(HOST_DEFS) -c $< -o $@

$(HOST_BUILD)/kstr/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(HOST_KSTR_DEFS) -c $< -o $@

define host_test_rule
$(HOST_BUILD)/test_$(1): $(call host_objs,$(1))
	$$(HOSTCC) $$(HOST_SAN) -o $$@ $$^
endef
$(foreach t,$(HOST_TESTS),$(eval $(call host_test_rule,$(t))))

.PHONY: host-tests host-tests-run
host-tests: $(HOST_TEST_BINS)

# Runs every binary, even after one fails; fails if any did.
host-tests-run: $(HOST_TEST_BINS)
	@status=0; for t in $(HOST_TEST_BINS); do $$t || status=1; done; \
	exit $$status

-include $(HOST_OBJS:.o=.d)

# --- VM: allocator, AVL tree, regions, and its address-space code on host -
# Appended after the rest has been expanded, so this block adds its tests
# to each list itself and instantiates their rules.
VM_HOST_TESTS       := vm_pmem vm_avl vm_region vm_space
HOST_LIBS_vm_pmem   := vm/pmem.c
HOST_LIBS_vm_avl    := vm/avl.c
HOST_LIBS_vm_region := vm/region.c vm/avl.c
# test_vm_space: everything of VM but main.c and self.c, the kernel calls
# stubbed in the test, host memory standing in for RAM.
# Its cases are spread by topic over tests/host/vm_space_*.c and
# vm_mem_*.c, on the harness tests/host/vm_space_harness.c.
HOST_LIBS_vm_space  := $(sort $(wildcard tests/host/vm_space_*.c tests/host/vm_mem_*.c)) \
	$(filter-out vm/main.c vm/self.c,$(wildcard vm/*.c)) \
	tests/host/vm_self_host.c lib/elf/elf.c kernel/lib/cmdwords.c
# VM's sources include lib/'s headers (cairn/syslib.h, panic() in
# stdlib.h): after the host's own, so that libc keeps its headers.
VM_HOST_DEFS := -idirafter lib/include -include lib/include/stdlib.h
$(HOST_BUILD)/obj/vm/%.o: HOST_DEFS := $(VM_HOST_DEFS)
$(HOST_BUILD)/obj/tests/host/test_vm_space.o \
$(HOST_BUILD)/obj/tests/host/vm_space_%.o \
$(HOST_BUILD)/obj/tests/host/vm_mem_%.o: HOST_DEFS := $(VM_HOST_DEFS)
VM_HOST_BINS := $(patsubst %,$(HOST_BUILD)/test_%,$(VM_HOST_TESTS))
VM_HOST_OBJS := $(sort $(foreach t,$(VM_HOST_TESTS),$(call host_objs,$(t))))
HOST_TESTS     += $(VM_HOST_TESTS)
HOST_TEST_BINS += $(VM_HOST_BINS)
HOST_OBJS      += $(VM_HOST_OBJS)
$(foreach t,$(VM_HOST_TESTS),$(eval $(call host_test_rule,$(t))))
host-tests: $(VM_HOST_BINS)
host-tests-run: $(VM_HOST_BINS)
-include $(VM_HOST_OBJS:.o=.d)

# --- lib/: the ELF loader core, user record formatting, malloc -------------
# Appended like the block above: adds its tests to each list itself.
LIB_HOST_TESTS     := elf urecord malloc
HOST_LIBS_elf      := lib/elf/elf.c
HOST_LIBS_urecord  := lib/record.c kernel/record.c kernel/lib/record_text.c \
	kernel/lib/format.c \
	kernel/lib/crc32.c
HOST_LIBS_malloc   :=	# test_malloc.c includes lib/libc/malloc.c itself
LIB_HOST_BINS := $(patsubst %,$(HOST_BUILD)/test_%,$(LIB_HOST_TESTS)) \
	$(HOST_BUILD)/test_libcairn
LIB_HOST_OBJS := $(sort $(foreach t,$(LIB_HOST_TESTS),$(call host_objs,$(t))))
HOST_TESTS     += $(LIB_HOST_TESTS)
HOST_TEST_BINS += $(LIB_HOST_BINS)
HOST_OBJS      += $(LIB_HOST_OBJS)
$(foreach t,$(LIB_HOST_TESTS),$(eval $(call host_test_rule,$(t))))
host-tests: $(LIB_HOST_BINS)
host-tests-run: $(LIB_HOST_BINS)

# test_elf also parses a real program linked by lib/lib.mk (which the
# top-level Makefile includes too).
# The prerequisite names the file as its rule does (relative): make
# takes an absolute path for another target and has no rule for it.
HOST_SAMPLE_ELF := $(BUILD)/user/hello.elf
$(HOST_BUILD)/obj/tests/host/test_elf.o: \
	HOST_DEFS := -DCAIRN_SAMPLE_ELF='"$(abspath $(HOST_SAMPLE_ELF))"'
$(HOST_BUILD)/test_elf: | $(HOST_SAMPLE_ELF)

# lib/'s headers are found for quoted includes only: lib/include also
# holds the user libc's <stdio.h> & co., which must not replace the host's.
$(HOST_BUILD)/obj/lib/record.o $(HOST_BUILD)/obj/tests/host/test_urecord.o: \
	HOST_DEFS := -iquote lib/include
-include $(LIB_HOST_OBJS:.o=.d)

# libcairn end to end: a user program linked by lib/lib.mk with a fake
# kernel (tests/libcairn/), which runs as a 32-bit Linux process.
$(HOST_BUILD)/test_libcairn: $(BUILD)/user/test_libcairn.elf
	@mkdir -p $(dir $@)
	cp $< $@

# --- VM's slab allocator, plain and as the sanity build has it ------------
# test_vm_slab and test_vm_slab_sanity are the same sources, the second
# compiled with -DVM_SANITY (write-protected pages, junk) into its own
# object directory. Both get their pages from tests/host/vm_self_host.c.
SLAB_HOST_SRCS := tests/host/test_vm_slab.c vm/slab.c tests/host/vm_self_host.c
HOST_LIBS_vm_slab := vm/slab.c tests/host/vm_self_host.c
$(HOST_BUILD)/obj/tests/host/test_vm_slab.o \
$(HOST_BUILD)/obj/tests/host/vm_self_host.o: HOST_DEFS := $(VM_HOST_DEFS)
SLAB_SANITY_OBJS := $(patsubst %.c,$(HOST_BUILD)/sanity/%.o,$(SLAB_HOST_SRCS))
$(HOST_BUILD)/sanity/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(VM_HOST_DEFS) -DVM_SANITY -c $< -o $@
$(HOST_BUILD)/test_vm_slab_sanity: $(SLAB_SANITY_OBJS)
	$(HOSTCC) $(HOST_SAN) -o $@ $^
SLAB_HOST_BINS := $(HOST_BUILD)/test_vm_slab $(HOST_BUILD)/test_vm_slab_sanity
HOST_TESTS     += vm_slab
HOST_TEST_BINS += $(SLAB_HOST_BINS)
HOST_OBJS      += $(call host_objs,vm_slab)
$(eval $(call host_test_rule,vm_slab))
host-tests: $(SLAB_HOST_BINS)
host-tests-run: $(SLAB_HOST_BINS)
-include $(patsubst %.o,%.d,$(call host_objs,vm_slab)) $(SLAB_SANITY_OBJS:.o=.d)

# --- kernel/console.c: whose lines the serial port shows how -------------
# test_console.c includes the source with the spinlock and the serial
# port stubbed; the formatter is the kernel's own.
HOST_LIBS_console := kernel/lib/format.c
HOST_TESTS     += console
HOST_TEST_BINS += $(HOST_BUILD)/test_console
HOST_OBJS      += $(call host_objs,console)
$(eval $(call host_test_rule,console))
host-tests: $(HOST_BUILD)/test_console
host-tests-run: $(HOST_BUILD)/test_console
-include $(patsubst %.o,%.d,$(call host_objs,console))

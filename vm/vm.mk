# The VM server: every vm/*.c linked with the user library (lib/lib.mk's
# user_program). Its portable core (pmem.c, avl.c, region.c, slab.c, sanity.c)
# is also built for the host by tests/host/host.mk.
#
# SANITY=1 (top-level Makefile) compiles VM with -DVM_SANITY. The flags
# are kept in a file the objects depend on, so that a build directory
# used both ways rebuilds VM instead of mixing objects.
VM_CFLAGS := $(if $(filter 1,$(SANITY)),-DVM_SANITY)
VM_CFLAGS_FILE := $(BUILD)/vm-cflags
$(eval $(call user_program,vm,$(wildcard vm/*.c),$(VM_CFLAGS)))
$(USER_OBJS_vm): $(VM_CFLAGS_FILE)

# Rewritten only when the flags change, so the objects stay up to date.
.PHONY: vm-cflags-check
$(VM_CFLAGS_FILE): vm-cflags-check
	@mkdir -p $(dir $@)
	@echo '$(VM_CFLAGS)' | cmp -s - $@ || echo '$(VM_CFLAGS)' > $@

# The VM server: every vm/*.c linked with the user library (lib/lib.mk's
# user_program). Its portable core (pmem.c, avl.c, region.c) is also
# built for the host by tests/host/host.mk.
$(eval $(call user_program,vm,$(wildcard vm/*.c)))

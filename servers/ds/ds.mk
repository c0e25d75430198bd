# The data store: servers/ds/*.c linked with the user library (ds.elf).
# Its request loop (everything but main.c) is also linked into the
# programs that spawn a private store of their own (hostile, ubench).
DS_SERVE_SRCS := servers/ds/ds.c servers/ds/store.c servers/ds/subs.c
$(eval $(call user_program,ds,$(wildcard servers/ds/*.c)))

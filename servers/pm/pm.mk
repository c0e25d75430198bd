# The process manager: servers/pm/*.c linked with the user library
# (lib/lib.mk's user_program). It boots as module 1, right after VM.
$(eval $(call user_program,pm,$(wildcard servers/pm/*.c)))

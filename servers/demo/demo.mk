# The demo service (servers/demo): a program of the system image that RS
# starts and restarts; the recovery tests and benchmarks use it.
$(eval $(call user_program,demo,servers/demo/demo.c))

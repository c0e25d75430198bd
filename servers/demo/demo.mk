# The demo service (servers/demo): programs of the system image that RS
# starts, restarts and updates; the recovery tests and benchmarks use
# them. demo_v2 and demo_bad are the same source as later versions.
$(eval $(call user_program,demo,servers/demo/demo.c))
$(eval $(call user_program,demo_v2,servers/demo/demo_v2.c))
$(eval $(call user_program,demo_bad,servers/demo/demo_bad.c))

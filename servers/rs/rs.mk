# The reincarnation server: servers/rs/*.c linked with the user library.
# It is not a module of its own: it lives in the system image (below),
# and VM starts it from there as the boot's third process.
$(eval $(call user_program,rs,$(wildcard servers/rs/*.c)))
# `update LABEL PROGRAM`: asks RS for a live update (also in the image).
$(eval $(call user_program,update,servers/rs/update/update.c))

/* The demo service, version 2: what a live update installs. */
#define DEMO_VERSION_NUMBER	2
#include "servers/demo/demo.c"

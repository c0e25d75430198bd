/* The demo service, a broken version 3: it dies before it is ready, so
 * a live update to it must roll back to the running version. */
#define DEMO_VERSION_NUMBER	3
#define DEMO_BROKEN
#include "servers/demo/demo.c"

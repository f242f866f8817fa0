#include "util/version.h"

#ifndef MUE_VERSION_NUMBER
#define MUE_VERSION_NUMBER "0.2.0"
#endif
#ifndef MUE_COMMIT
#define MUE_COMMIT "unknown"
#endif

const char *mue_version(void) { return MUE_VERSION_NUMBER; }
const char *mue_version_commit(void) { return MUE_COMMIT[0] ? MUE_COMMIT : "unknown"; }

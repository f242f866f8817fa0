/* What this build of mue is: its version, the commit it was built from, and the
 * backends compiled in (the Makefile passes the first two to version.c). */
#ifndef MUE_VERSION_H
#define MUE_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

/* "0.2.0" */
const char *mue_version(void);
/* the git commit ("unknown" outside a checkout) */
const char *mue_version_commit(void);

#ifdef __cplusplus
}
#endif

#endif

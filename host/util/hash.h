/* FNV-1a, 64 bits: the hash of a run's identity (run/settings.h) and of what the MPI
 * ranks must share (vegas/comm.h). Not cryptographic: it catches mistakes, not forgers. */
#ifndef MUE_HASH_H
#define MUE_HASH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MUE_HASH_INIT 0xcbf29ce484222325ull
/* n bytes, continuing from h (start: MUE_HASH_INIT) */
uint64_t mue_hash_bytes(uint64_t h, const void *p, size_t n);
/* a string with its terminator, so that "ab","c" and "a","bc" differ */
uint64_t mue_hash_str(uint64_t h, const char *s);

#ifdef __cplusplus
}
#endif

#endif

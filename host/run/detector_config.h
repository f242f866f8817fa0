/* The detector model as the command line sets it: `--detector KEY=VALUE,...` (or
 * `--detector default`), checked key by key, and its one-line description. */
#ifndef MUE_DETECTOR_CONFIG_H
#define MUE_DETECTOR_CONFIG_H

#include <stddef.h>

#include "mue/detector.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MUE_ECAL_SIZE_MAX 5.0  /* m: no ECAL in the MUonE hall is wider (the LoI's: ~1 m) */
#define MUE_ECAL_DIST_MAX 100.0 /* m: the 40 stations span about 40 m */

/* Applies spec ("default", or comma-separated KEY=VALUE) to d and enables it. 0, or
 * nonzero with a one-line reason in why naming the key. */
int mue_detector_parse(const char *spec, mue_detector *d, char *why, size_t len);
/* The ranges every field must lie in; 0, or nonzero with the reason. */
int mue_detector_validate(const mue_detector *d, char *why, size_t len);
/* "sigma_E/E = 2.8%/sqrt(E) (+) 3.5% (+) 0.128 GeV/E, ..." into buf */
const char *mue_detector_describe(const mue_detector *d, char *buf, size_t len);
/* Every key as KEY=VALUE, comma-separated, doubles to 17 digits: the text that
 * mue_detector_parse reads back to the same model (the run's identity). */
const char *mue_detector_canonical(const mue_detector *d, char *buf, size_t len);
/* The keys and what they mean, for --help */
extern const char mue_detector_help[];

#ifdef __cplusplus
}
#endif

#endif

/* The beam and target model as the command line sets it: `--beam-model KEY=VALUE,...`
 * (or `--beam-model default`), checked key by key (run/keyvals.h), its canonical text
 * (the run's identity) and its one-line description. */
#ifndef MUE_BEAM_CONFIG_H
#define MUE_BEAM_CONFIG_H

#include <stddef.h>

#include "mue/beam.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Applies spec ("default", or comma-separated KEY=VALUE) to b and enables it. 0, or
 * nonzero with a one-line reason in why naming the key. */
int mue_beam_model_parse(const char *spec, mue_beam_model *b, char *why, size_t len);
/* The ranges every key must lie in, and a spread that keeps every muon above m_mu at
 * the beam energy e_beam; 0, or nonzero with the reason. */
int mue_beam_model_validate(const mue_beam_model *b, double e_beam, double m_mu, char *why, size_t len);
const char *mue_beam_model_describe(const mue_beam_model *b, char *buf, size_t len);
const char *mue_beam_model_canonical(const mue_beam_model *b, char *buf, size_t len);
extern const char mue_beam_model_help[];

#ifdef __cplusplus
}
#endif

#endif

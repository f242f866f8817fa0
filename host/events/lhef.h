/* Les Houches Event Files, version 3.0 (Alwall et al., hep-ph/0609017; Andersen et al.,
 * arXiv:1405.1067): the header and <init>, one <event> block per event (the beams as
 * incoming lines, the final state in the lab frame, GeV), the closing tag. */
#ifndef MUE_LHEF_H
#define MUE_LHEF_H

#include <stddef.h>
#include <stdint.h>

#include "events/evfile.h"
#include "mue/unweight.h"

#ifdef __cplusplus
extern "C" {
#endif

/* <LesHouchesEvents>, <header> and <init> as one string (malloc'd); NULL out of memory. */
char *mue_lhef_header(const mue_evfile_info *f);
/* An event block (mue_ew_format_fn; fctx: the mue_evfile_info). */
char *mue_lhef_event(const void *fctx, char *p, const mue_gen_event *e, double w, uint64_t number);
/* The run summary as a comment, then the closing tag (malloc'd). */
char *mue_lhef_trailer(const char *summary);

#ifdef __cplusplus
}
#endif

#endif

/* HepMC3 ASCII files ("Asciiv3", the format of HepMC3's WriterAscii), written directly
 * in the documented format (no C++ library in the build): the run header (tool, weight
 * name, run attributes), per event the units (GeV, mm), the weight, the cross section,
 * the two beams (status 4) into one vertex, the final state (status 1) out of it, lab
 * frame. */
#ifndef MUE_HEPMC3_WRITER_H
#define MUE_HEPMC3_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "events/evfile.h"
#include "mue/unweight.h"

#ifdef __cplusplus
extern "C" {
#endif

char *mue_hepmc3_header(const mue_evfile_info *f);
char *mue_hepmc3_event(const void *fctx, char *p, const mue_gen_event *e, double w, uint64_t number);
char *mue_hepmc3_trailer(void);

#ifdef __cplusplus
}
#endif

#endif

/* The process table as the host reads it: names for the command line and the files,
 * the model inputs each process uses, and the observables it histograms. Generated
 * from include/mue/processes.h, like the physics dispatch. */
#ifndef MUE_PROCESS_TABLE_H
#define MUE_PROCESS_TABLE_H

#include <stddef.h>

#include "mue/process.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    mue_process_id id;
    const char *name, *summary;
    int uses; /* MUE_USES_MASS | MUE_USES_COUPLING */
    int ndim;
    int nobs;
    const mue_obs_def *obs;
} mue_process_info;

extern const mue_process_info mue_process_table[MUE_NPROC];

/* The entry of id; NULL if there is none. */
const mue_process_info *mue_process_info_of(mue_process_id id);
/* The entry named name; NULL if there is none. */
const mue_process_info *mue_process_find(const char *name);
const char *mue_process_name(mue_process_id id);
/* "elastic, zprime": the names, for messages, into buf; returns buf. */
const char *mue_process_names(char *buf, size_t len);
/* Index of the observable called name in the process's list, or -1. */
int mue_process_obs_index(const mue_process_info *p, const char *name);
/* Neutrino flavours (MUE_USES_FLAVOURS): "e,mu,tau" <-> bits MUE_NU_E | MUE_NU_MU |
 * MUE_NU_TAU. Parse returns the bits, or 0 for an empty, unknown or repeated name. */
int mue_nu_flavours_parse(const char *list);
const char *mue_nu_flavours_str(int bits, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif

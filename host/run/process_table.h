/* The process table as the host reads it: names for the command line and the files,
 * the model inputs each process declares, its final state, its observables and, for a
 * signal, its benchmark points. Generated from include/mue/processes.h, like the
 * physics dispatch: nothing on the host names a process. */
#ifndef MUE_PROCESS_TABLE_H
#define MUE_PROCESS_TABLE_H

#include <stddef.h>

#include "mue/process.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One model input of a process (processes.h, MUE_<ID>_INPUTS). */
typedef struct {
    int slot;          /* in mue_params.input */
    const char *option; /* its option, without "--" */
    int kind;          /* MUE_INPUT_* */
    const char *def;   /* default as command-line text; NULL: required */
    double lo, hi;     /* bounds (MASS: hi is the kinematic limit; ENERGY hi 0: the beam) */
    const char *label, *json, *help;
} mue_input_def;

typedef struct {
    const char *key, *label, *settings; /* "10MeV", "10 MeV, g = 5e-4", "mass=10MeV,..." */
} mue_benchmark_def;

#define MUE_PROC_MAX_PARTICLES 8
#define MUE_PROC_MAX_BENCHMARKS 8

typedef struct {
    mue_process_id id;
    const char *name, *summary, *title;
    int flags; /* MUE_PROC_* */
    unsigned long long points_min; /* MUE_<ID>_POINTS_MIN */
    int ndim;
    int nobs;
    const mue_obs_def *obs;
    int ninputs;
    const mue_input_def *inputs;
    int nparticles;
    const mue_particle_def *particles;
    int nbenchmarks;
    const mue_benchmark_def *benchmarks;
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
/* The process's input of kind (MUE_INPUT_MASS, ...), NULL if it has none. */
const mue_input_def *mue_process_input_of_kind(const mue_process_info *p, int kind);
/* Does its final state hold a particle with this PDG id? */
int mue_process_has_particle(const mue_process_info *p, int pid);
/* "mu- (13), e- (11), Z' (invisible) (9900023)" into buf; returns buf. */
const char *mue_process_final_state(const mue_process_info *p, char *buf, size_t len);
/* Neutrino flavours (MUE_INPUT_FLAVOURS): "e,mu,tau" <-> bits MUE_NU_E | MUE_NU_MU |
 * MUE_NU_TAU. Parse returns the bits, or 0 for an empty, unknown or repeated name. */
int mue_nu_flavours_parse(const char *list);
const char *mue_nu_flavours_str(int bits, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif

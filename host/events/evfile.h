/* What an event file says about its run, whatever the format (lhef.h, hepmc3_writer.h):
 * beams, process, cross section, weight convention, and the run's settings and survey
 * results as key/value pairs for the header. */
#ifndef MUE_EVFILE_H
#define MUE_EVFILE_H

#include <stdint.h>
#include <stdio.h>

#include "mue/beam.h"
#include "mue/collision.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MUE_EVFILE_MAXKV 128
#define MUE_EVFILE_MAXWEIGHTS 9 /* the nominal weight and up to 8 more */

typedef struct {
    char process[32];   /* its name in the process table */
    int process_id;     /* LHEF LPRUP: its row in the table, from 1 */
    mue_collision col;  /* CM <-> lab */
    double e_beam;      /* lab muon energy, GeV; the electron is at rest */
    double m_mu, m_e;
    double alpha;
    double sigma_pb, err_pb; /* the grid run's cross section */
    double xmax_pb;     /* the largest weight an event can be expected to carry */
    int idwtup;         /* LHEF weight strategy: 3 equal weights, 4 weights averaging sigma */
    int beam_pid;       /* the beam muon's PDG id (13: mu-) */
    int zprime_decays;  /* the Z' is written decayed to its invisible channel (record.h) */
    uint64_t seed;      /* the run's: the decays draw from each point's stream */
    int decay_draw;     /* the number of a point's first draw for its decays */
    mue_beam_model bm;  /* bm.enabled: each event has its own muon and vertex (record.h) */
    int beam_draw;      /* the number of a point's first beam draw (its muon's energy) */
    /* the weights each event carries, by name: [0] is "nominal", the others are it times
     * their scale (another coupling: (g_k / g)^2) */
    int nweights;
    char wname[MUE_EVFILE_MAXWEIGHTS][32];
    double wscale[MUE_EVFILE_MAXWEIGHTS];
    int nkv;
    char *key[MUE_EVFILE_MAXKV]; /* malloc'd, whole: a header is never cut short */
    char *val[MUE_EVFILE_MAXKV];
    int full;                    /* an entry was lost (more than MUE_EVFILE_MAXKV, or memory) */
} mue_evfile_info;

/* Adds one header entry (printf format for the value). */
void mue_evfile_kv(mue_evfile_info *f, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void mue_evfile_free(mue_evfile_info *f);

/* s as text every reader takes: valid UTF-8 as it is, any other byte and every control
 * character (a tab but for the XML of LHEF... none kept) as the four characters \xNN;
 * with xml, also <, > and & as entities. */
void mue_evfile_text(FILE *m, const char *s, int xml);

/* The lab momenta of the beams: mu along +z, e at rest. */
void mue_evfile_beams(const mue_evfile_info *f, mue_p4 *mu, mue_p4 *e);

#ifdef __cplusplus
}
#endif

#endif

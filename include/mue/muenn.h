/* The Standard Model background unit, mu(p1) e(p2) -> mu(p3) e(p4) nu_l(k1) nubar_l(k2),
 * l = e, mu, tau (summed or selected): the same visible final state as the signal.
 * Map: muenn_ps.h (two channels); |M|^2: muenn_amp.h. docs/physics.md, section 13. */
#ifndef MUE_MUENN_H
#define MUE_MUENN_H

#include "mue/muenn_amp.h"
#include "mue/muenn_ps.h"

#define MUE_MUENN_NDIM MUE_MUENN_PS_NDIM
#define MUE_MUENN_OBSERVABLES MUE_MUONE_OBSERVABLES

/* What the run description and the outputs know of the process (processes.h; the
 * input's slot is named in muenn_ps.h). */
#define MUE_MUENN_INPUTS(P)                                                                        \
    P(MUE_MUENN_FLAVOURS, "flavours", MUE_INPUT_FLAVOURS, "e,mu,tau", 0.0, 0.0, "nu flavours",    \
      "nu_flavours", "neutrino flavours to sum, a comma list of distinct e, mu, tau")
#define MUE_MUENN_TITLE "mu e -> mu e nu nubar"
#define MUE_MUENN_PARTICLES                                                                        \
    {13, "mu-"}, {11, "e-"}, {12, "nu_l (12, 14 or 16: the flavour selected; 12 for a sum)"},    \
        {-12, "nubar_l (-12, -14 or -16)"}
#define MUE_MUENN_FLAGS MUE_PROC_MU_PLUS /* the mu+ line: mue_muenn_line */
#define MUE_MUENN_BENCHMARKS(B)
/* The fewest points per iteration whose errors are honest (docs/physics.md, checks;
 * tests/test_error_honesty.c): measured: 30 seeds of 2e3 points per iteration gave pulls of rms
 * 0.84. */
#define MUE_MUENN_POINTS_MIN 2000
#define MUE_MUENN_DERIVED(D)

typedef struct {
    mue_muenn_ps_unit ps;
    double weight_norm; /* fb/GeV^2 x flux */
} mue_muenn_unit;

typedef mue_muenn_ps_point mue_muenn_inv;

MUE_FN int mue_muenn_prepare(const mue_params *p, const mue_collision *c, mue_muenn_unit *u,
                             const char **why)
{
    const int fl = mue_muenn_flavours(p);
    if (!(fl & MUE_NU_ALL) || (fl & ~MUE_NU_ALL)) {
        *why = "muenn: no neutrino flavour selected (--flavours e,mu,tau)";
        return 0;
    }
    mue_muenn_ps_prepare(p, c, &u->ps);
    u->weight_norm = MUE_GEV2_TO_FB * c->flux;
    return 1;
}

MUE_FN double mue_muenn_phase_space(const mue_params *p, const mue_collision *c,
                                    const mue_muenn_unit *u, const double *x, mue_event *ev,
                                    mue_muenn_inv *inv)
{
    (void)p;
    (void)c;
    return mue_muenn_ps_map(&u->ps, x, ev, inv);
}

/* flux x <|M|^2> x the share of the point's channel, docs/physics.md Eq. (13.4): the
 * share |A|^2/(|A|^2 + |B|^2) (muon channel) or |B|^2/(...) (electron channel) adds up
 * to 1 over the two channels, so their sum is the cross section. */
MUE_FN double mue_muenn_weight(const mue_params *p, const mue_collision *c, const mue_muenn_unit *u,
                               const mue_muenn_inv *v)
{
    mue_muenn_kin K;
    mue_muenn_kin_make(&K, p->alpha, p->m_mu, p->m_e, c->p1, c->p2, v->p3, v->p4, v->k1, v->k2,
                       v->t_mu, v->t_e, p->beam_plus);
    double msq, part[2];
    mue_muenn_msq(&K, mue_muenn_flavours(p), &msq, part);
    double all = part[0] + part[1];
    return all > 0.0 ? u->weight_norm * msq * (part[v->channel] / all) : 0.0;
}

#endif

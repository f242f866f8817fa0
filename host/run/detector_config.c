#include "run/detector_config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run/keyvals.h"

const char mue_detector_help[] =
    "detector model (--detector default, or KEY=VALUE,... over the defaults; may repeat):\n"
    "  ecal_a=A          ECAL stochastic term, GeV^1/2: sigma/E = A/sqrt(E) (+) B (+) C/E [0.028]\n"
    "  ecal_b=B          constant term [0.035: sigma/E = 3.5 % at 40 GeV, inside the\n"
    "                    2-5 % the paper quotes from the MUonE LoI]\n"
    "  ecal_c=C          noise term, GeV [0.128]\n"
    "  tail_frac=F       share of clusters measured with a wider Gaussian [0]\n"
    "  tail_scale=K      its width over the core's [3]\n"
    "  ecal_size=S       side of the square ECAL face, m [1], at most 5\n"
    "  ecal_dist=D       target to ECAL face, m [1], at most 100\n"
    "  cluster_dtheta=A  e and gamma closer than A are one cluster (summed energy) [1mrad]\n"
    "  theta_mu_res=A    muon angle resolution [0.01mrad]\n"
    "  veto_emin=E       a separate photon cluster above E vetoes the event (iii) [1GeV]\n"
    "  veto_ineff=P      probability that the veto misses it [1e-3]\n"
    "  mode=M            sample (one smearing per point, from its random stream) or\n"
    "                    expect (the probability to pass as the weight) [sample]\n"
    "  cuts=C            i, i+ii or i+ii+iii: the cuts applied [i+ii+iii]\n"
    "  gen_sigmas=Z      generate beyond each cut edge by Z widths [38: exact in double]\n";

#define F(field) offsetof(mue_detector, field)
static const mue_keyval_def keys[] = {
    {"ecal_a", MUE_UNIT_NONE, F(ecal_a), 0.0, 1.0, "a resolution term in [0, 1] GeV^1/2"},
    {"ecal_b", MUE_UNIT_NONE, F(ecal_b), 0.0, 1.0, "a resolution term in [0, 1]"},
    {"ecal_c", MUE_UNIT_ENERGY, F(ecal_c), 0.0, 10.0, "a noise term in [0, 10] GeV"},
    {"tail_frac", MUE_UNIT_NONE, F(tail_frac), 0.0, 1.0, "a fraction in [0, 1]"},
    {"tail_scale", MUE_UNIT_NONE, F(tail_scale), 1.0, 100.0, "a width ratio in [1, 100]"},
    {"ecal_size", MUE_UNIT_NONE, F(ecal_size), 1e-3, MUE_ECAL_SIZE_MAX,
     "a side in m from 1e-3 up to 5 (larger than any ECAL that fits the MUonE hall)"},
    {"ecal_dist", MUE_UNIT_NONE, F(ecal_dist), 1e-2, MUE_ECAL_DIST_MAX,
     "a distance in m from 0.01 up to 100 (the apparatus is about 40 m long)"},
    {"cluster_dtheta", MUE_UNIT_ANGLE, F(cluster_dtheta), 0.0, 0.1, "an angle in [0, 0.1] rad"},
    {"theta_mu_res", MUE_UNIT_ANGLE, F(theta_mu_res), 0.0, 1e-3,
     "a resolution in [0, 1] mrad (cut (i) is at 1.5 mrad)"},
    {"veto_emin", MUE_UNIT_ENERGY, F(veto_emin), 0.0, 1e6, "an energy in [0, 1e6] GeV"},
    {"veto_ineff", MUE_UNIT_NONE, F(veto_ineff), 0.0, 1.0, "a probability in [0, 1]"},
    {"gen_sigmas", MUE_UNIT_NONE, F(gen_sigmas), 3.0, 40.0, "a number of widths in [3, 40]"},
};
#undef F

/* mode= and cuts=, the keys that are words */
static int set_word(const char *key, const char *val, void *model, int *rc, char *why, size_t len)
{
    mue_detector *d = model;
    *rc = 0;
    if (strcmp(key, "mode") == 0) {
        if (strcmp(val, "sample") == 0)
            d->mode = MUE_DET_SAMPLE;
        else if (strcmp(val, "expect") == 0)
            d->mode = MUE_DET_EXPECT;
        else
            *rc = 1, snprintf(why, len, "--detector mode=%s: sample or expect", val);
        return 1;
    }
    if (strcmp(key, "cuts") != 0)
        return 0;
    if (strcmp(val, "i") == 0)
        d->cuts = MUE_DET_CUT_I;
    else if (strcmp(val, "i+ii") == 0)
        d->cuts = MUE_DET_CUT_I | MUE_DET_CUT_II;
    else if (strcmp(val, "i+ii+iii") == 0)
        d->cuts = MUE_DET_CUT_ALL;
    else
        *rc = 1, snprintf(why, len, "--detector cuts=%s: i, i+ii or i+ii+iii", val);
    return 1;
}

static const mue_keyval_table table = {"--detector", keys, sizeof keys / sizeof keys[0], set_word,
                                       "mode, cuts"};

int mue_detector_parse(const char *spec, mue_detector *d, char *why, size_t len)
{
    d->enabled = 1;
    if (strcmp(spec, "default") == 0)
        return 0;
    if (mue_keyvals_parse(&table, spec, d, why, len))
        return 1;
    return mue_detector_validate(d, why, len);
}

int mue_detector_validate(const mue_detector *d, char *why, size_t len)
{
    if (mue_keyvals_validate(&table, d, why, len))
        return 1;
    if (d->mode != MUE_DET_SAMPLE && d->mode != MUE_DET_EXPECT)
        return snprintf(why, len, "--detector mode: sample or expect"), 1;
    if (d->cuts != MUE_DET_CUT_I && d->cuts != (MUE_DET_CUT_I | MUE_DET_CUT_II) &&
        d->cuts != MUE_DET_CUT_ALL)
        return snprintf(why, len, "--detector cuts: i, i+ii or i+ii+iii"), 1;
    return 0;
}

const char *mue_detector_describe(const mue_detector *d, char *buf, size_t len)
{
    int n = snprintf(buf, len,
                     "ECAL sigma/E = %.3g/sqrt(E) (+) %.3g (+) %.3g GeV/E (%.2f %% at 40 GeV)",
                     d->ecal_a, d->ecal_b, d->ecal_c, 100.0 * mue_ecal_sigma(d, 40.0) / 40.0);
    if (d->tail_frac > 0.0 && n >= 0 && (size_t)n < len)
        n += snprintf(buf + n, len - n, ", tail %.3g x%.3g wider", d->tail_frac, d->tail_scale);
    if (n >= 0 && (size_t)n < len)
        snprintf(buf + n, len - n,
                 "; %.3g x %.3g m^2 at %.3g m; clusters merge below %.3g mrad; theta_mu res "
                 "%.3g mrad; veto above %.3g GeV, inefficiency %.3g; %s; cuts %s",
                 d->ecal_size, d->ecal_size, d->ecal_dist, 1e3 * d->cluster_dtheta,
                 1e3 * d->theta_mu_res, d->veto_emin, d->veto_ineff,
                 d->mode == MUE_DET_SAMPLE ? "sampled smearing" : "smearing as expectation",
                 d->cuts == MUE_DET_CUT_I ? "(i)" : d->cuts == MUE_DET_CUT_ALL ? "(i)+(ii)+(iii)" : "(i)+(ii)");
    return buf;
}

const char *mue_detector_canonical(const mue_detector *d, char *buf, size_t len)
{
    size_t n = mue_keyvals_canonical(&table, d, buf, len);
    snprintf(buf + n, len - n, "mode=%s,cuts=%s", d->mode == MUE_DET_EXPECT ? "expect" : "sample",
             d->cuts == MUE_DET_CUT_I ? "i" : d->cuts == MUE_DET_CUT_ALL ? "i+ii+iii" : "i+ii");
    return buf;
}

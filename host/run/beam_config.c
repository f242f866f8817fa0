#include "run/beam_config.h"

#include <stdio.h>
#include <string.h>

#include "run/keyvals.h"

const char mue_beam_model_help[] =
    "beam and target model (--beam-model default, or KEY=VALUE,... over the defaults; may\n"
    "repeat). Each event gets its own muon and vertex; sigma is the average over the beam,\n"
    "the cuts are taken against the event's own muon, the event is written in the lab:\n"
    "  spread=R          relative rms of the beam energy, Gaussian [0], at most 0.1\n"
    "  div_x=A, div_y=A  rms of the muon's angle to the beam axis in x and y [0], up to 10 mrad\n"
    "  spot_x=D, spot_y=D  rms of the vertex across the beam, m [0], up to 0.5\n"
    "  target_z=Z        centre of the target along the beam, m [0]\n"
    "  target_len=L      target thickness, m; the vertex is uniform in it [0.015: one MUonE\n"
    "                    station's 15 mm of beryllium]\n"
    "  (no M2 spread, divergence or spot is assumed: give the measured ones)\n";

#define F(field) offsetof(mue_beam_model, field)
static const mue_keyval_def keys[] = {
    {"spread", MUE_UNIT_NONE, F(spread), 0.0, MUE_BEAM_SPREAD_MAX, "a relative rms in [0, 0.1]"},
    {"div_x", MUE_UNIT_ANGLE, F(div_x), 0.0, 0.01, "an angle in [0, 10] mrad"},
    {"div_y", MUE_UNIT_ANGLE, F(div_y), 0.0, 0.01, "an angle in [0, 10] mrad"},
    {"spot_x", MUE_UNIT_NONE, F(spot_x), 0.0, 0.5, "a size in m in [0, 0.5]"},
    {"spot_y", MUE_UNIT_NONE, F(spot_y), 0.0, 0.5, "a size in m in [0, 0.5]"},
    {"target_z", MUE_UNIT_NONE, F(target_z), -100.0, 100.0, "a position in m in [-100, 100]"},
    {"target_len", MUE_UNIT_NONE, F(target_len), 0.0, 1.0, "a thickness in m in [0, 1]"},
};
#undef F

static const mue_keyval_table table = {"--beam-model", keys, sizeof keys / sizeof keys[0], NULL, NULL};

int mue_beam_model_parse(const char *spec, mue_beam_model *b, char *why, size_t len)
{
    b->enabled = 1;
    if (strcmp(spec, "default") == 0)
        return 0;
    return mue_keyvals_parse(&table, spec, b, why, len);
}

int mue_beam_model_validate(const mue_beam_model *b, double e_beam, double m_mu, char *why, size_t len)
{
    if (mue_keyvals_validate(&table, b, why, len))
        return 1;
    /* the lowest energy a point can draw (beam.h) stays above the muon mass */
    if (b->enabled && !(e_beam * (1.0 - MUE_BEAM_Z_MAX * b->spread) > m_mu))
        return snprintf(why, len,
                        "--beam-model spread=%g: at --beam-energy %g GeV a %.1f-sigma muon would "
                        "be below the muon mass; give a smaller spread",
                        b->spread, e_beam, MUE_BEAM_Z_MAX),
               1;
    return 0;
}

const char *mue_beam_model_describe(const mue_beam_model *b, char *buf, size_t len)
{
    snprintf(buf, len,
             "energy spread %.3g %% rms; divergence %.3g x %.3g mrad rms; spot %.3g x %.3g mm rms; "
             "vertex uniform in %.3g mm of target centred at z = %.4g m",
             100.0 * b->spread, 1e3 * b->div_x, 1e3 * b->div_y, 1e3 * b->spot_x, 1e3 * b->spot_y,
             1e3 * b->target_len, b->target_z);
    return buf;
}

const char *mue_beam_model_canonical(const mue_beam_model *b, char *buf, size_t len)
{
    size_t n = mue_keyvals_canonical(&table, b, buf, len);
    if (n > 0 && buf[n - 1] == ',')
        buf[n - 1] = 0;
    return buf;
}

/* `mue g2`: the Z' contribution to the muon's g-2 and its pull against the presets. */
#include <math.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "physics1d/g2.h"
#include "run/integrate.h"
#include "mue/defs.h"
#include "run/output.h"
#include "util/version.h"

static const char usage_g2[] =
    "usage: mue g2 --mass M --coupling G [--json FILE]\n"
    "\n"
    "M from 1 keV to 10 TeV (1e-6 .. 1e4 GeV), G from 1e-20 to 10.\n"
    "\n"
    "Delta a_mu = g^2/(8 pi^2) int_0^1 dx 2 m_mu^2 x^2 (1-x) / (x^2 m_mu^2 + (1-x) M^2),\n"
    "and its pull against the measured excess of each preset:\n"
    "  wp20: (251 +- 59) x 1e-11, the value the paper used\n"
    "  wp25: (38 +- 63) x 1e-11, 2025 Theory Initiative update with the final E989 average\n";

int mue_cmd_g2(int argc, char **argv)
{
    static const struct option opts[] = {{"mass", 1, 0, O_MASS}, {"coupling", 1, 0, O_COUPLING},
                                         {"json", 1, 0, O_JSON}, {"help", 0, 0, O_HELP},
                                         {0, 0, 0, 0}};
    double m = NAN, g = NAN;
    const char *json = 0;
    int rc = 0;
    optind = 1;
    opterr = 0;
    for (int o; (o = getopt_long(argc, argv, "", opts, 0)) != -1;) {
        switch (o) {
        case O_MASS: rc = mue_cli_quantity("--mass", optarg, MUE_UNIT_ENERGY, &m); break;
        case O_COUPLING: rc = mue_cli_quantity("--coupling", optarg, MUE_UNIT_NONE, &g); break;
        case O_JSON: json = optarg; break;
        case O_HELP: fputs(usage_g2, stdout); return 0;
        default: return mue_cli_bad_option(argv, "g2");
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return mue_cli_fail("g2: unexpected argument '%s'", argv[optind]);
    if (isnan(m))
        return mue_cli_fail("--mass: missing; g2 needs --mass and --coupling");
    if (isnan(g))
        return mue_cli_fail("--coupling: missing; g2 needs --mass and --coupling");
    if (!(m > 0.0))
        return mue_cli_fail("--mass: the Z' mass must be positive");
    if (!(m >= MUE_MASS_MIN && m <= 1e4))
        return mue_cli_fail("--mass: %g GeV is outside %g .. 1e4 GeV (README, Input ranges)", m,
                            MUE_MASS_MIN);
    if (!(g > 0.0))
        return mue_cli_fail("--coupling: must be positive");
    if (!(g >= MUE_COUPLING_MIN && g <= MUE_COUPLING_MAX))
        return mue_cli_fail("--coupling: %g is outside %g .. %g (Delta a_mu is proportional to g^2: "
                            "scale a result inside the range)",
                            g, MUE_COUPLING_MIN, MUE_COUPLING_MAX);
    if (json && !mue_path_writable(json))
        return mue_cli_fail("--json: cannot write '%s'", json);
    double err, da = mue_g2_delta_amu(m, g, MUE_M_MU, &err);
    if (!isfinite(da) || !(da > 0.0))
        return mue_cli_fail("g2: the quadrature gave no Delta a_mu (%g) at m = %g GeV, g = %g", da,
                            m, g);
    printf("m_Z' = %.6g GeV  g = %.4g\n  Delta a_mu = %.6e\n", m, g, da);
    for (const mue_g2_preset *p = mue_g2_presets; p->name; p++)
        printf("  %s: excess (%.0f +- %.0f) x 1e-11, Z' gives %+.2f sigma from it (%s)\n", p->name,
               p->central * 1e11, p->sigma * 1e11, (da - p->central) / p->sigma, p->note);
    if (json) {
        mue_afile a;
        if (mue_afile_open(&a, json))
            return mue_cli_fail("--json: cannot write '%s'", json);
        fprintf(a.f, "{\"mass_gev\": ");
        mue_json_num(a.f, m);
        fprintf(a.f, ", \"coupling\": ");
        mue_json_num(a.f, g);
        fprintf(a.f, ", \"delta_amu\": ");
        mue_json_num(a.f, da);
        for (const mue_g2_preset *p = mue_g2_presets; p->name; p++) {
            fprintf(a.f, ", \"pull_%s\": ", p->name);
            mue_json_num(a.f, (da - p->central) / p->sigma);
        }
        fprintf(a.f, ", \"version\": \"%s\"}\n", MUE_VERSION);
        if (mue_afile_commit(&a))
            return mue_cli_fail("--json: writing '%s' failed", json);
    }
    return 0;
}

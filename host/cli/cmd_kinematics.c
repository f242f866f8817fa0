/* `mue kinematics`: the paper's Fig. 1, E_e^min of elastic events against the muon-angle
 * threshold. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "run/integrate.h"
#include "physics1d/kinematic_limits.h"
#include "mue/elastic.h"
#include "run/output.h"
#include "util/version.h"

static const char usage_kinematics[] =
    "usage: mue kinematics [--beam-energy E] [--n N] [--csv FILE]\n"
    "\n"
    "Paper Fig. 1: the smallest lab electron energy of elastic mu e -> mu e events with\n"
    "theta_mu above a threshold, for thresholds from 0 to theta_mu^max (Eqs. 1-3); the\n"
    "same curve bounds E_e + E_gamma in mu e -> mu e gamma.\n"
    "\n"
    "  --beam-energy E      lab muon energy [150 GeV], above m_mu and up to 1e6 GeV\n"
    "  --n N                points on the curve [200], 2 .. 1000000\n"
    "  --csv FILE           write the curve to FILE instead of standard output\n";

int mue_cmd_kinematics(int argc, char **argv)
{
    static const struct option opts[] = {{"beam-energy", 1, 0, O_BEAM}, {"n", 1, 0, O_N},
                                         {"csv", 1, 0, O_CSV}, {"help", 0, 0, O_HELP},
                                         {0, 0, 0, 0}};
    double e_beam = 150.0;
    uint64_t npts = 200;
    const char *csv = 0;
    int rc = 0;
    optind = 1;
    opterr = 0;
    for (int o; (o = getopt_long(argc, argv, "", opts, 0)) != -1;) {
        switch (o) {
        case O_BEAM: rc = mue_cli_quantity("--beam-energy", optarg, MUE_UNIT_ENERGY, &e_beam); break;
        case O_N: rc = mue_cli_count("--n", optarg, &npts, 1000000); break;
        case O_CSV: csv = optarg; break;
        case O_HELP: fputs(usage_kinematics, stdout); return 0;
        default: return mue_cli_bad_option(argv, "kinematics");
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return mue_cli_fail("kinematics: unexpected argument '%s'", argv[optind]);
    if (!(e_beam > MUE_M_MU))
        return mue_cli_fail("--beam-energy: must exceed the muon mass");
    if (!(e_beam <= MUE_BEAM_MAX))
        return mue_cli_fail("--beam-energy: %g GeV is above the %g GeV mue computes to (README, "
                            "Input ranges)",
                            e_beam, MUE_BEAM_MAX);
    if (npts < 2)
        return mue_cli_fail("--n: need at least 2 points");
    /* the whole curve first: a value double precision cannot give is refused, never
     * printed */
    double thmax = mue_elastic_theta_mu_max(e_beam, MUE_M_MU, MUE_M_E);
    double *th = malloc(npts * sizeof *th), *ee = malloc(npts * sizeof *ee);
    if (!th || !ee) {
        free(th);
        free(ee);
        return mue_cli_fail("kinematics: out of memory for %llu points", (unsigned long long)npts);
    }
    for (uint64_t i = 0; i < npts; i++) {
        /* crowd the points where the curve turns up, near theta_mu^max */
        double u = (double)i / (npts - 1);
        th[i] = i == npts - 1 ? thmax * (1.0 - 1e-9) : thmax * (1.0 - (1.0 - u) * (1.0 - u));
        ee[i] = mue_elastic_ee_min(th[i], e_beam, MUE_M_MU, MUE_M_E);
        if (!(isfinite(ee[i]) && ee[i] >= MUE_M_E && ee[i] <= e_beam + MUE_M_E)) {
            double bad = th[i];
            free(th);
            free(ee);
            return mue_cli_fail("kinematics: E_e,min at theta_mu = %g mrad is beyond double "
                                "precision at a %g GeV beam",
                                1e3 * bad, e_beam);
        }
    }
    mue_afile a;
    FILE *f = stdout;
    if (csv) {
        if (mue_afile_open(&a, csv)) {
            free(th);
            free(ee);
            return mue_cli_fail("--csv: cannot write '%s'", csv);
        }
        f = a.f;
    }
    fprintf(f, "# mue %s: smallest lab E_e of elastic mu e -> mu e with theta_mu > theta_th "
               "(paper Eqs. 1-3, Fig. 1), beam %.6g GeV; theta_mu^max = %.6g mrad\n",
            MUE_VERSION, e_beam, 1e3 * thmax);
    fprintf(f, "theta_th_mrad,ee_min_gev\n");
    for (uint64_t i = 0; i < npts; i++)
        fprintf(f, "%.8g,%.8g\n", 1e3 * th[i], ee[i]);
    free(th);
    free(ee);
    if (csv && mue_afile_commit(&a))
        return mue_cli_fail("--csv: writing '%s' failed", csv);
    return 0;
}

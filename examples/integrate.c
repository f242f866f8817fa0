/* The cross section of the paper's 100 MeV benchmark through libmue, as
 * `mue integrate --process zprime --mass 100MeV --coupling 1e-3` prints it:
 *
 *     cc examples/integrate.c $(pkg-config --cflags --libs mue) -o integrate
 *     ./integrate [--option value ...]
 *
 * Any option of `mue integrate` may follow on the command line and is passed on as it
 * is (`./integrate --mass 10MeV --coupling 5e-4 --seed 3`). */
#include <stdio.h>
#include <string.h>

#include <mue.h>

int main(int argc, char **argv)
{
    mue_run *run = mue_run_new("integrate");
    if (!run)
        return 2;
    /* the benchmark, then whatever the command line adds (later options win) */
    int rc = mue_run_set(run, "process", "zprime") || mue_run_set(run, "mass", "100MeV") ||
             mue_run_set(run, "coupling", "1e-3");
    for (int i = 1; !rc && i < argc; i++) {
        const char *name = argv[i] + (strncmp(argv[i], "--", 2) == 0 ? 2 : 0);
        const char *value = mue_option_takes_value("integrate", name) == 1 && i + 1 < argc ? argv[++i] : NULL;
        rc = mue_run_set(run, name, value);
    }
    mue_result *res = NULL;
    if (rc || mue_run_execute(run, &res)) {
        fprintf(stderr, "integrate: %s\n", mue_run_error(run));
        mue_run_free(run);
        return 2;
    }
    /* every bit of sigma: %.17g reads back to the same double */
    printf("sigma = %.17g +- %.17g fb\n", mue_result_number(res, "sigma_fb"),
           mue_result_number(res, "sigma_err_fb"));
    printf("events = %.6g for %g fb^-1, Q = %.2f\n", mue_result_number(res, "events"),
           mue_result_number(res, "settings.lumi_fb"), mue_result_number(res, "q"));
    for (int k = 0; k < mue_result_nwarnings(res); k++)
        printf("WARNING: %s\n", mue_result_warning(res, k));
    mue_result_free(res);
    mue_run_free(run);
    return 0;
}

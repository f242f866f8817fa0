/* The seams the next features build on: an iteration cut into slices and evaluated in
 * any grouping gives the same bits; a grid outlives a run, is saved and loaded bit for
 * bit, and a loaded grid replaces the warm-up exactly; the process table and the
 * histogram spec it drives. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "backends/cpu_backend.h"
#include "run/grid_file.h"
#include "run/integrate.h"
#include "vegas/iteration.h"
#include "run/process_table.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc(n + 1);
    if (fread(s, 1, n, f) != (size_t)n)
        n = 0;
    s[n] = 0;
    fclose(f);
    return s;
}

/* ---- slices ---- */

static void test_slices_cover_whole_boxes(void **state)
{
    (void)state;
    const uint64_t per_box[] = {1, 2, 3, 7};
    const uint64_t boxes[] = {1, 5, 1000, 700000, 1500000, 3000001, 40000000, 900000000};
    for (size_t a = 0; a < sizeof per_box / sizeof per_box[0]; a++)
        for (size_t b = 0; b < sizeof boxes / sizeof boxes[0]; b++) {
            mue_vegas_grid g;
            mue_vegas_grid_init(&g, 2, 8);
            g.nstrat = per_box[a] > 1 ? 3 : 1;
            g.per_box = (uint32_t)per_box[a];
            g.nboxes = boxes[b]; /* the slices read the count, not nstrat^ndim */
            uint64_t n = boxes[b] * per_box[a];
            mue_range r[MUE_SLICES_MAX];
            int nr = mue_iteration_slices(&g, n, r);
            assert_true(nr >= 1 && nr <= MUE_SLICES_MAX);
            uint64_t next = 0;
            for (int k = 0; k < nr; k++) {
                assert_int_equal(r[k].first, next);
                assert_int_equal(r[k].first % per_box[a], 0);
                assert_int_equal(r[k].count % per_box[a], 0);
                assert_true(r[k].count > 0);
                if (per_box[a] > 1) { /* the boxes, as the backends walk them */
                    assert_int_equal(r[k].box, r[k].first / per_box[a]);
                    assert_int_equal(r[k].nbox * per_box[a], r[k].count);
                }
                /* big enough to be worth a process, unless the iteration is one slice */
                assert_true(nr == 1 || r[k].count >= MUE_SLICE_MIN_POINTS - per_box[a]);
                next += r[k].count;
            }
            assert_int_equal(next, n);
            /* below two slices' worth: one slice, the CPU's one chain of chunks */
            if (n < 2ull * MUE_SLICE_MIN_POINTS)
                assert_int_equal(nr, 1);
        }
}

/* An iteration with histograms, its slices evaluated all at once on 2 threads, then in
 * uneven groups in separate calls on 1 thread, merged in order: the same bits. */
static void test_uneven_split_same_bits(void **state)
{
    (void)state;
    mue_run_config c = mue_run_config_default();
    c.par.input[MUE_ZPRIME_MASS] = 0.05;
    mue_setup S;
    const char *why;
    assert_true(mue_setup_make(MUE_PROC_ZPRIME, &c.par, &S, &why));
    mue_hist_spec hs;
    char msg[256];
    assert_int_equal(mue_run_hist_spec(&c, &hs, msg, sizeof msg), 0);
    mue_vegas_grid g;
    mue_vegas_grid_init(&g, S.ndim, 64);
    uint64_t n = mue_vegas_stratify_points(&g, 5000000, 1);
    mue_range r[MUE_SLICES_MAX];
    int nr = mue_iteration_slices(&g, n, r);
    assert_true(nr >= 4);
    mue_acc *one = malloc(sizeof(mue_acc) * nr), *parts = malloc(sizeof(mue_acc) * nr);
    mue_acc *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b), *d = calloc(1, sizeof *d);
    for (int k = 0; k < nr; k++) {
        mue_acc_clear(&one[k], &g, &hs);
        mue_acc_clear(&parts[k], &g, &hs);
    }
    mue_cpu_ctx two = {mue_cpu_physics_point, &S, 5, 2}, single = {mue_cpu_physics_point, &S, 5, 1};
    assert_int_equal(mue_cpu_eval(&two, &g, 4, r, nr, &hs, one), 0);
    const int cut[] = {0, 1, nr - 1, nr}; /* 1 slice, all but the last, the last */
    for (int j = 0; j < 3; j++)
        assert_int_equal(mue_cpu_eval(&single, &g, 4, r + cut[j], cut[j + 1] - cut[j], &hs, parts + cut[j]),
                         0);
    for (int k = 0; k < nr; k++) {
        mue_acc_merge(a, &one[k], &g, &hs);
        mue_acc_merge(b, &parts[k], &g, &hs);
    }
    /* and the driver's own path, all slices through mue_cpu_iteration */
    assert_int_equal(mue_cpu_iteration(&two, &g, 4, n, &hs, d), 0);
    print_message("%llu points in %d slices, split 1 + %d + 1: sigma sum %.17g, %lld nonzero\n",
                  (unsigned long long)n, nr, nr - 2, a->sum_f, a->n_nonzero);
    assert_true(a->sum_f > 0.0 && a->n_nonzero > 0 && a->h[MUE_OBS_EE][20] > 0.0);
    assert_memory_equal(a, b, sizeof *a);
    assert_memory_equal(a, d, sizeof *a);
    free(one);
    free(parts);
    free(a);
    free(b);
    free(d);
}

/* ---- the kept grid ---- */

static mue_run_config small_zprime(void)
{
    mue_run_config c = mue_run_config_default();
    c.par.input[MUE_ZPRIME_MASS] = 0.1;
    c.par.input[MUE_ZPRIME_COUPLING] = 1e-3;
    c.points = 50000;
    c.iterations = 4;
    c.rel_error = 0.0;
    c.seed = 11;
    c.want_hist = 1;
    return c;
}

/* Train (warm-up only) and save; load and run production: the bits of one run. */
static void test_loaded_grid_replaces_warmup(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/mue_grid_%d.json", (int)getpid());
    static mue_run_result train, loaded, one;
    char why[512];
    mue_run_config c = small_zprime();
    c.warmup = 4;
    c.iterations = 0;
    c.save_grid = path;
    assert_int_equal(mue_run_integrate(&c, &train, why, sizeof why), 0);
    assert_int_equal(train.v.iterations, 0);
    assert_int_equal(train.grid_iterations, 4);

    c = small_zprime();
    c.warmup = 0;
    c.load_grid = path;
    assert_int_equal(mue_run_integrate(&c, &loaded, why, sizeof why), 0);
    c = small_zprime();
    c.warmup = 4;
    assert_int_equal(mue_run_integrate(&c, &one, why, sizeof why), 0);
    print_message("trained + loaded: %.17g +- %.3g fb; one run: %.17g +- %.3g fb\n",
                  loaded.sigma_fb, loaded.sigma_err_fb, one.sigma_fb, one.sigma_err_fb);
    assert_int_equal(loaded.v.warmup, 0);
    assert_int_equal(loaded.grid_iterations, 8);
    assert_true(loaded.sigma_fb == one.sigma_fb && loaded.sigma_err_fb == one.sigma_err_fb);
    assert_memory_equal(loaded.v.iter_integral, one.v.iter_integral, sizeof one.v.iter_integral);
    assert_memory_equal(loaded.v.hist, one.v.hist, sizeof one.v.hist);

    /* what a file holds comes back bit for bit: load, save again, same text */
    mue_vegas_state s;
    char again[80];
    snprintf(again, sizeof again, "%s.again", path);
    c = small_zprime();
    assert_int_equal(mue_grid_load(path, &c, 4, &s, why, sizeof why), 0);
    assert_true(s.iterations == 4 && s.grid.nbins == 64);
    assert_int_equal(mue_grid_save(again, &c, &s, why, sizeof why), 0);
    mue_vegas_state_free(&s);
    char *t1 = slurp(path), *t2 = slurp(again);
    assert_non_null(t1);
    assert_non_null(t2);
    assert_string_equal(t1, t2);
    free(t1);
    free(t2);

    /* another mass is refused, unless forced; the coupling only scales */
    c = small_zprime();
    c.warmup = 0;
    c.load_grid = path;
    c.par.input[MUE_ZPRIME_MASS] = 0.05;
    assert_int_not_equal(mue_run_integrate(&c, &loaded, why, sizeof why), 0);
    assert_non_null(strstr(why, "mass"));
    c.force_grid = 1;
    assert_int_equal(mue_run_integrate(&c, &loaded, why, sizeof why), 0);
    c = small_zprime();
    c.warmup = 0;
    c.load_grid = path;
    c.par.input[MUE_ZPRIME_COUPLING] = 2e-3;
    assert_int_equal(mue_run_integrate(&c, &loaded, why, sizeof why), 0);
    /* the same run with g = 2e-3: exactly 4 times sigma (sigma ~ g^2, same points) */
    c = small_zprime();
    c.warmup = 0;
    c.load_grid = path;
    static mue_run_result base;
    assert_int_equal(mue_run_integrate(&c, &base, why, sizeof why), 0);
    assert_true(fabs(loaded.sigma_fb / (4.0 * base.sigma_fb) - 1.0) < 1e-14);
    remove(path);
    remove(again);
}

static void test_grid_file_checks(void **state)
{
    (void)state;
    char path[64], why[512];
    snprintf(path, sizeof path, "/tmp/mue_badgrid_%d.json", (int)getpid());
    mue_vegas_state s;
    mue_run_config m = mue_run_config_default();
    m.force_grid = 1; /* the file's own checks, not its settings */
    const char *bad[] = {
        "not json",
        "{\"format\": \"other\", \"format_version\": 1}",
        /* version 4 */
        "{\"format\": \"mue-vegas-grid\", \"format_version\": 4, \"process\": \"zprime\", \"model\": "
        "{\"mass_gev\": 0.1, \"coupling\": 0.001, \"alpha\": 0.0073, \"beam_energy_gev\": 150}, "
        "\"cuts\": {\"enabled\": true, \"theta_mu_min_rad\": 0.0015, \"ee_min_gev\": 1, "
        "\"ee_max_gev\": 25}, \"seed\": 1, \"iterations\": 1, \"ndim\": 1, \"nbins\": 2, "
        "\"edges\": [[0, 0.5, 1]]}",
        /* edges not increasing */
        "{\"format\": \"mue-vegas-grid\", \"format_version\": 1, \"process\": \"zprime\", \"model\": "
        "{\"mass_gev\": 0.1, \"coupling\": 0.001, \"alpha\": 0.0073, \"beam_energy_gev\": 150}, "
        "\"cuts\": {\"enabled\": true, \"theta_mu_min_rad\": 0.0015, \"ee_min_gev\": 1, "
        "\"ee_max_gev\": 25}, \"seed\": 1, \"iterations\": 1, \"ndim\": 1, \"nbins\": 2, "
        "\"edges\": [[0, 0.7, 0.6]]}",
        /* VEGAS+ strata that are no allocation: a negative sigf, a count that does not
         * match, beta 0 */
        "{\"format\": \"mue-vegas-grid\", \"format_version\": 2, \"process\": \"zprime\", \"model\": "
        "{\"mass_gev\": 0.1, \"coupling\": 0.001, \"alpha\": 0.0073, \"beam_energy_gev\": 150}, "
        "\"cuts\": {\"enabled\": true, \"theta_mu_min_rad\": 0.0015, \"ee_min_gev\": 1, "
        "\"ee_max_gev\": 25}, \"seed\": 1, \"iterations\": 1, \"ndim\": 1, \"nbins\": 2, "
        "\"edges\": [[0, 0.5, 1]], \"strata\": {\"beta\": 0.75, \"boxes\": 2, \"sigf\": [1, -1]}}",
        "{\"format\": \"mue-vegas-grid\", \"format_version\": 2, \"process\": \"zprime\", \"model\": "
        "{\"mass_gev\": 0.1, \"coupling\": 0.001, \"alpha\": 0.0073, \"beam_energy_gev\": 150}, "
        "\"cuts\": {\"enabled\": true, \"theta_mu_min_rad\": 0.0015, \"ee_min_gev\": 1, "
        "\"ee_max_gev\": 25}, \"seed\": 1, \"iterations\": 1, \"ndim\": 1, \"nbins\": 2, "
        "\"edges\": [[0, 0.5, 1]], \"strata\": {\"beta\": 0.75, \"boxes\": 3, \"sigf\": [1, 2]}}",
        "{\"format\": \"mue-vegas-grid\", \"format_version\": 2, \"process\": \"zprime\", \"model\": "
        "{\"mass_gev\": 0.1, \"coupling\": 0.001, \"alpha\": 0.0073, \"beam_energy_gev\": 150}, "
        "\"cuts\": {\"enabled\": true, \"theta_mu_min_rad\": 0.0015, \"ee_min_gev\": 1, "
        "\"ee_max_gev\": 25}, \"seed\": 1, \"iterations\": 1, \"ndim\": 1, \"nbins\": 2, "
        "\"edges\": [[0, 0.5, 1]], \"strata\": {\"beta\": 0, \"boxes\": 2, \"sigf\": [1, 2]}}",
        /* an axis too short */
        "{\"format\": \"mue-vegas-grid\", \"format_version\": 1, \"process\": \"zprime\", \"model\": "
        "{\"mass_gev\": 0.1, \"coupling\": 0.001, \"alpha\": 0.0073, \"beam_energy_gev\": 150}, "
        "\"cuts\": {\"enabled\": true, \"theta_mu_min_rad\": 0.0015, \"ee_min_gev\": 1, "
        "\"ee_max_gev\": 25}, \"seed\": 1, \"iterations\": 1, \"ndim\": 1, \"nbins\": 2, "
        "\"edges\": [[0, 1]]}",
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(bad[k], f);
        fclose(f);
        why[0] = 0;
        assert_int_equal(mue_grid_load(path, &m, 1, &s, why, sizeof why), -1);
        print_message("refused: %s\n", why);
        assert_non_null(strstr(why, "--load-grid"));
        assert_null(strchr(why, '\n'));
    }
    /* a version 1 file (classic VEGAS, no strata) still loads */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"format\": \"mue-vegas-grid\", \"format_version\": 1, \"process\": \"zprime\", "
          "\"model\": {\"mass_gev\": 0.1, \"coupling\": 0.001, \"alpha\": 0.0073, "
          "\"beam_energy_gev\": 150}, \"cuts\": {\"enabled\": true, \"theta_mu_min_rad\": 0.0015, "
          "\"ee_min_gev\": 1, \"ee_max_gev\": 25}, \"seed\": 1, \"iterations\": 1, \"ndim\": 1, "
          "\"nbins\": 2, \"edges\": [[0, 0.25, 1]]}",
          f);
    fclose(f);
    assert_int_equal(mue_grid_load(path, &m, 1, &s, why, sizeof why), 0);
    assert_true(s.grid.edge[0][1] == 0.25 && s.nsigf == 0);
    mue_vegas_state_free(&s);
    remove(path);
    assert_int_equal(mue_grid_load(path, &m, 1, &s, why, sizeof why), -1);
}

/* ---- the process table ---- */

static void test_process_table(void **state)
{
    (void)state;
    for (int i = 0; i < MUE_NPROC; i++) {
        const mue_process_info *p = &mue_process_table[i];
        assert_int_equal(p->id, i);
        assert_ptr_equal(mue_process_find(p->name), p);
        assert_int_equal(p->ndim, mue_process_ndim(p->id));
        assert_true(p->nobs >= 1 && p->nobs <= MUE_MAX_OBS);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(mue_process_table[j].name, p->name);
        for (int k = 0; k < p->nobs; k++) {
            const mue_obs_def *o = &p->obs[k];
            assert_true(o->kind.slot >= 0 && o->kind.slot < MUE_MAX_FINAL);
            assert_true(o->kind.quantity == MUE_QTY_ENERGY || o->kind.quantity == MUE_QTY_THETA ||
                        o->kind.quantity == MUE_QTY_OPENING_E ||
                        (o->kind.quantity == MUE_QTY_ECAL_SEP_E && o->kind.scale > 0.0));
            assert_true(o->hi > o->lo);
            assert_int_equal(mue_process_obs_index(p, o->name), k);
        }
        /* the setup the table promises, at the inputs' defaults (a required mass and
         * coupling: the paper's 100 MeV point) */
        mue_run_config d;
        mue_settings_defaults(MUE_CMD_INTEGRATE, p->id, &d);
        for (int k = 0; k < p->ninputs; k++)
            if (!p->inputs[k].def)
                d.par.input[p->inputs[k].slot] = p->inputs[k].kind == MUE_INPUT_MASS ? 0.1 : 1e-3;
        mue_params par = d.par;
        mue_setup S;
        const char *why;
        assert_true(mue_setup_make(p->id, &par, &S, &why));
        assert_int_equal(S.ndim, p->ndim);
    }
    assert_null(mue_process_find("muonium"));
    char names[256];
    assert_string_equal(mue_process_names(names, sizeof names), "elastic, zprime, mueg, muenn");

    /* the histogram spec follows the process, with the ranges asked for */
    mue_run_config c = mue_run_config_default();
    c.n_hist_ranges = 1;
    snprintf(c.hist_range[0].name, sizeof c.hist_range[0].name, "theta_mu");
    c.hist_range[0].lo = 0.001;
    c.hist_range[0].hi = 0.004;
    mue_hist_spec hs;
    char why[256];
    assert_int_equal(mue_run_hist_spec(&c, &hs, why, sizeof why), 0);
    const mue_process_info *z = mue_process_info_of(MUE_PROC_ZPRIME);
    assert_int_equal(hs.nobs, z->nobs);
    for (int k = 0; k < hs.nobs; k++) {
        assert_memory_equal(&hs.what[k], &z->obs[k].kind, sizeof hs.what[k]);
        int mine = k == MUE_OBS_THETA_MU;
        assert_true(hs.lo[k] == (mine ? 0.001 : z->obs[k].lo) && hs.hi[k] == (mine ? 0.004 : z->obs[k].hi));
    }
    snprintf(c.hist_range[0].name, sizeof c.hist_range[0].name, "E_gamma");
    assert_int_not_equal(mue_run_hist_spec(&c, &hs, why, sizeof why), 0);
    assert_non_null(strstr(why, "E_gamma"));
    assert_non_null(strstr(why, "theta_mu"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slices_cover_whole_boxes),
        cmocka_unit_test(test_uneven_split_same_bits),
        cmocka_unit_test(test_loaded_grid_replaces_warmup),
        cmocka_unit_test(test_grid_file_checks),
        cmocka_unit_test(test_process_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

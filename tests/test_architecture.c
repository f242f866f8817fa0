/* The seams the features build on: an iteration cut into slices and evaluated in any
 * grouping gives the same bits; a grid outlives a run, is saved and loaded bit for bit,
 * and a loaded grid replaces the warm-up exactly; the process table and the histogram
 * spec it drives; the run description, whose every identifying row changes the run's
 * identity and is named when a grid or checkpoint of other settings is refused; and a
 * process that exists only in the tests (tests/testproc/toy.h, build/testproc/mue),
 * which every command knows from its one header and one row. */
#include "cli_run.h"

#include <jansson.h>
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
#include "run/checkpoint.h"
#include "run/grid_file.h"
#include "run/integrate.h"
#include "run/process_table.h"
#include "run/settings.h"
#include "run/settings_json.h"
#include "vegas/iteration.h"

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


/* ---- the run description ---- */

/* A valid value for row s other than its default in run c (NULL: none to try). */
static const char *other_value(const mue_setting *s, const mue_run_config *c, char *buf, size_t len)
{
    const char *n = s->name;
    static const struct {
        const char *name, *value;
    } fixed[] = {{"process", "elastic"},     {"flavours", "e"},           {"detector", "ecal_b=0.05"},
                 {"hist-range", "E_e=0:30"}, {"max-weight", "max"},       {"overweight", "truncate"},
                 {"egamma-min", "20"},       {"theta-mu-min", "2mrad"},   {"ee-min", "2"},
                 {"ee-max", "20"},           {"beam-energy", "160"},      {"alpha", "1/132.507"},
                 {"lumi", "30"},             {"rel-error", "2e-3"},       {"beta", "0.5"},
                 {"mass", "0.05"},           {"coupling", "2e-3"},        {"phi-mass", "0.05"},
                 {"yukawa", "2e-3"},           {"beam", "mu+"},             {"beam-model", "spread=0.01"}};
    for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
        if (strcmp(fixed[k].name, n) == 0)
            return fixed[k].value;
    if (s->type == MUE_ST_FLAG || s->type == MUE_ST_UNFLAG)
        return ""; /* given: the flag set */
    if (s->type == MUE_ST_U64 || s->type == MUE_ST_INT) {
        char v[64];
        mue_setting_value(s, c, v, sizeof v);
        snprintf(buf, len, "%llu", strtoull(v, NULL, 10) + 1);
        return buf;
    }
    return NULL;
}

/* The options that make a run of process p valid: its required inputs. */
static int base_options(mue_process_id p, mue_option *o)
{
    const mue_process_info *pi = mue_process_info_of(p);
    int n = 0;
    o[n++] = (mue_option){"process", pi->name};
    for (int k = 0; k < pi->ninputs; k++)
        if (!pi->inputs[k].def)
            o[n++] = (mue_option){pi->inputs[k].option, pi->inputs[k].kind == MUE_INPUT_MASS ? "0.1" : "1e-3"};
    return n;
}

/* Every row that identifies a run changes its identity when it changes: the result's
 * (checkpoints, MPI ranks, scan rows) for every such row, the integrand's (grid files)
 * for the GRID rows only. Over the whole table, every process's inputs too: a row added
 * later is covered (or, with a value this test cannot make, fails here). */
static void test_identity_follows_every_row(void **state)
{
    (void)state;
    static mue_run_config a, b;
    mue_setting rows[MUE_SETTINGS_MAX];
    int checked = 0;
    for (int p = 0; p < MUE_NPROC; p++) {
        mue_option base[8];
        const int nb = base_options((mue_process_id)p, base);
        char why[512], buf[64];
        /* generate: every row of a run, its own too (events and out are required) */
        mue_option gb[12];
        memcpy(gb, base, sizeof base[0] * nb);
        gb[nb] = (mue_option){"events", "10"};
        gb[nb + 1] = (mue_option){"out", "/tmp/x.lhe"};
        assert_int_equal(mue_settings_resolve(MUE_CMD_GENERATE, gb, nb + 2, &a, why, sizeof why), 0);
        const int n = mue_settings_rows((mue_process_id)p, rows, MUE_SETTINGS_MAX);
        for (int i = 0; i < n; i++) {
            const mue_setting *s = &rows[i];
            if (!(s->flags & (MUE_SF_RESULT | MUE_SF_GRID)) || !mue_setting_applies(s, &a))
                continue;
            const char *v = other_value(s, &a, buf, sizeof buf);
            if (strcmp(s->name, "process") == 0)
                continue; /* another process has other rows: its own test below */
            assert_non_null(v);
            mue_option o[14];
            memcpy(o, gb, sizeof gb[0] * (nb + 2));
            o[nb + 2] = (mue_option){s->name, v[0] ? v : NULL};
            if (mue_settings_resolve(MUE_CMD_GENERATE, o, nb + 3, &b, why, sizeof why))
                fail_msg("--%s %s: %s", s->name, v, why);
            const int grid = (s->flags & MUE_SF_GRID) != 0;
            if (mue_settings_identity(&a, MUE_SF_RESULT, NULL) == mue_settings_identity(&b, MUE_SF_RESULT, NULL))
                fail_msg("%s --%s %s: the run's identity did not change", mue_process_name(a.process),
                         s->name, v);
            if ((mue_settings_identity(&a, MUE_SF_GRID, NULL) != mue_settings_identity(&b, MUE_SF_GRID, NULL)) != grid)
                fail_msg("%s --%s %s: the integrand's identity %s", mue_process_name(a.process), s->name, v,
                         grid ? "did not change" : "changed, for a setting that only scales it");
            checked++;
        }
    }
    print_message("%d rows of %d processes change the identity\n", checked, MUE_NPROC);
    assert_true(checked > 3 * 20);
    /* the process itself */
    mue_run_config c = mue_run_config_default(), e = c;
    e.process = MUE_PROC_ELASTIC;
    assert_true(mue_settings_identity(&c, MUE_SF_GRID, NULL) != mue_settings_identity(&e, MUE_SF_GRID, NULL));
}

/* A grid file and a checkpoint of run a, loaded by run b that differs in row s: refused,
 * naming s (the grid only for the integrand's rows). */
static void refuse_other(const char *grid, const char *ck, mue_run_config *a, mue_run_config *b,
                         const mue_setting *s)
{
    char why[1024];
    mue_vegas_state st;
    int ndim = mue_process_ndim(a->process);
    if (s->flags & MUE_SF_GRID) {
        if (mue_grid_load(grid, b, ndim, &st, why, sizeof why) == 0)
            fail_msg("--load-grid took a grid of other --%s", s->name);
        if (!strstr(why, s->name))
            fail_msg("--load-grid refused other --%s without naming it: %s", s->name, why);
        b->force_grid = 1;
        assert_int_equal(mue_grid_load(grid, b, ndim, &st, why, sizeof why), 0);
        mue_vegas_state_free(&st);
        b->force_grid = 0;
    } else
        assert_int_equal(mue_grid_load(grid, b, ndim, &st, why, sizeof why), 0), mue_vegas_state_free(&st);
    mue_checkpoint k;
    if (mue_checkpoint_load(ck, b, &k, why, sizeof why) == 0)
        fail_msg("--resume took a checkpoint of other --%s", s->name);
    if (!strstr(why, s->name))
        fail_msg("--resume refused other --%s without naming it: %s", s->name, why);
    (void)a;
}

static void test_grid_and_checkpoint_name_what_differs(void **state)
{
    (void)state;
    char grid[128], ck[128], buf[64], why[1024];
    snprintf(grid, sizeof grid, "/tmp/mue_id_grid_%d.json", (int)getpid());
    snprintf(ck, sizeof ck, "/tmp/mue_id_ck_%d.json", (int)getpid());
    static mue_run_config a, b;
    mue_setting rows[MUE_SETTINGS_MAX];
    int checked = 0;
    for (int p = 0; p < MUE_NPROC; p++) {
        mue_option o[12];
        int n = base_options((mue_process_id)p, o);
        o[n++] = (mue_option){"points", "2000"};
        o[n++] = (mue_option){"warmup", "1"};
        o[n++] = (mue_option){"iterations", "1"};
        o[n++] = (mue_option){"save-grid", grid};
        o[n++] = (mue_option){"checkpoint", ck};
        if (p == MUE_PROC_ELASTIC)
            o[n++] = (mue_option){"theta-mu-min", "0"};
        assert_int_equal(mue_settings_resolve(MUE_CMD_INTEGRATE, o, n, &a, why, sizeof why), 0);
        static mue_run_result r;
        if (mue_run_integrate(&a, &r, why, sizeof why))
            fail_msg("%s: %s", mue_process_name(a.process), why);
        const int nr = mue_settings_rows((mue_process_id)p, rows, MUE_SETTINGS_MAX);
        for (int i = 0; i < nr; i++) {
            const mue_setting *s = &rows[i];
            if (!(s->flags & MUE_SF_RESULT) || !mue_setting_applies(s, &a) || strcmp(s->name, "process") == 0)
                continue;
            const char *v = other_value(s, &a, buf, sizeof buf);
            mue_option ob[14];
            memcpy(ob, o, sizeof o[0] * n);
            ob[n] = (mue_option){s->name, v && v[0] ? v : NULL};
            if (!v || mue_settings_resolve(MUE_CMD_INTEGRATE, ob, n + 1, &b, why, sizeof why))
                continue; /* a value only another command takes (the events' rows) */
            b.save_grid = b.checkpoint = NULL;
            refuse_other(grid, ck, &a, &b, s);
            checked++;
        }
    }
    print_message("%d settings refused by name, grids and checkpoints\n", checked);
    assert_true(checked > 3 * 15);
    remove(grid);
    remove(ck);
}

/* The cases of the run description's issue, from the command line: a checkpoint
 * written with --flavours e resumed with --flavours tau; with --egamma-min changed or
 * left out; with --detector added, changed or removed. Each refused, naming it. */
static void test_resume_refuses_changed_inputs(void **state)
{
    (void)state;
    char ck[4300], grid[4300];
    snprintf(ck, sizeof ck, "%s/r.ck", scratch);
    snprintf(grid, sizeof grid, "%s/r.grid", scratch);
#define TINY "--points", "3000", "--warmup", "1", "--iterations", "2", "--rel-error", "0", "--quiet"
    static const struct {
        const char *what;
        const char *first[8], *again[8], *needle;
    } cases[] = {
        {"flavours e then tau", {"--process", "muenn", "--flavours", "e"},
         {"--process", "muenn", "--flavours", "tau"}, "flavours"},
        {"egamma-min changed", {"--process", "mueg", "--egamma-min", "20"},
         {"--process", "mueg", "--egamma-min", "30"}, "egamma-min"},
        {"egamma-min left out", {"--process", "mueg", "--egamma-min", "20"}, {"--process", "mueg"},
         "egamma-min"},
        {"detector added", {"--process", "elastic", "--theta-mu-min", "0.3mrad"},
         {"--process", "elastic", "--theta-mu-min", "0.3mrad", "--detector", "default"}, "detector"},
        {"detector changed", {"--process", "elastic", "--theta-mu-min", "0.3mrad", "--detector", "default"},
         {"--process", "elastic", "--theta-mu-min", "0.3mrad", "--detector", "ecal_b=0.05"}, "detector"},
        {"detector removed", {"--process", "elastic", "--theta-mu-min", "0.3mrad", "--detector", "default"},
         {"--process", "elastic", "--theta-mu-min", "0.3mrad"}, "detector"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *args[32];
        int n = 0;
        args[n++] = "integrate";
        for (int j = 0; cases[k].first[j]; j++)
            args[n++] = cases[k].first[j];
        const char *tail[] = {TINY, "--checkpoint", ck, "--save-grid", grid, NULL};
        for (int j = 0; tail[j]; j++)
            args[n++] = tail[j];
        args[n] = NULL;
        run_t r;
        unlink(ck);
        run_mue(&r, args, RUN_TIMEOUT);
        expect_success(&r);
        run_free(&r);
        for (int use_grid = 0; use_grid < 2; use_grid++) {
            n = 1;
            for (int j = 0; cases[k].again[j]; j++)
                args[n++] = cases[k].again[j];
            const char *t2[] = {TINY, use_grid ? "--load-grid" : "--resume", use_grid ? grid : ck, NULL};
            for (int j = 0; t2[j]; j++)
                args[n++] = t2[j];
            args[n] = NULL;
            run_mue(&r, args, RUN_TIMEOUT);
            print_message("%s, %s: %s", cases[k].what, use_grid ? "--load-grid" : "--resume", r.err);
            expect_failure(&r, (const char *const[]){use_grid ? "--load-grid" : "--resume", cases[k].needle,
                                                      NULL});
            run_free(&r);
        }
    }
#undef TINY
}

/* ---- the test-only process: one header, one row, every command ---- */

static const char *testproc_bin(void)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s", getenv("MUE_TESTPROC_BIN") ? getenv("MUE_TESTPROC_BIN")
                                                                   : "build/testproc/mue");
    return path;
}

/* runs the test-process mue with args */
static void run_toy(run_t *r, const char *const *args)
{
    const char *old = getenv("MUE_BIN");
    char keep[4096] = "";
    if (old)
        snprintf(keep, sizeof keep, "%s", old);
    setenv("MUE_BIN", testproc_bin(), 1);
    run_mue(r, args, RUN_TIMEOUT);
    if (old)
        setenv("MUE_BIN", keep, 1);
    else
        unsetenv("MUE_BIN");
}

#define TOY_BUDGET "--points", "20000", "--iterations", "2", "--warmup", "1", "--rel-error", "0", "--quiet"

static void test_toy_process_everywhere(void **state)
{
    (void)state;
    if (access(testproc_bin(), X_OK) != 0)
        fail_msg("%s: missing; make test builds it (make testproc)", testproc_bin());
    run_t r;
    /* integrate: its own inputs and labels; sigma the Z''s bit for bit (the same map
     * and |M|^2 under other names) */
    char js_toy[4300], js_zp[4300];
    snprintf(js_toy, sizeof js_toy, "%s/toy.json", scratch);
    snprintf(js_zp, sizeof js_zp, "%s/zp.json", scratch);
    run_toy(&r, (const char *const[]){"integrate", "--process", "toy", "--phi-mass", "50MeV", "--yukawa",
                                      "1e-3", TOY_BUDGET, "--json", js_toy, NULL});
    expect_success(&r);
    CHECK(&r, strstr(r.out, "process toy  m_phi = 0.05 GeV  y = 0.001") != NULL, "labels");
    CHECK(&r, strstr(r.out, "phi: lowest M_X^2") != NULL, "its derived line");
    run_free(&r);
    run_toy(&r, (const char *const[]){"integrate", "--process", "zprime", "--mass", "50MeV", "--coupling",
                                      "1e-3", TOY_BUDGET, "--json", js_zp, NULL});
    expect_success(&r);
    run_free(&r);
    json_error_t e;
    json_t *a = json_load_file(js_toy, 0, &e), *b = json_load_file(js_zp, 0, &e);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(json_real_value(json_object_get(a, "sigma_fb")) == json_real_value(json_object_get(b, "sigma_fb")));
    assert_true(json_real_value(json_object_get(json_object_get(a, "settings"), "phi_mass_gev")) == 0.05);
    assert_null(json_object_get(json_object_get(a, "settings"), "mass_gev"));
    json_decref(a);
    json_decref(b);
    /* another process's input is refused, naming whose it is; its own are required */
    run_toy(&r, (const char *const[]){"integrate", "--process", "toy", "--mass", "0.05", "--yukawa", "1e-3", NULL});
    expect_failure(&r, (const char *const[]){"--mass", "toy", "zprime", NULL});
    run_free(&r);
    run_toy(&r, (const char *const[]){"integrate", "--process", "toy", "--phi-mass", "0.05", NULL});
    expect_failure(&r, (const char *const[]){"--yukawa", "missing", NULL});
    run_free(&r);
    /* scan: over its mass, its coupling the reference; no g-2 band (no such flag) */
    char dir[4300];
    snprintf(dir, sizeof dir, "%s/toyscan", scratch);
    run_toy(&r, (const char *const[]){"scan", "--process", "toy", "--masses", "0.01,0.05", "--out", dir,
                                      TOY_BUDGET, NULL});
    expect_success(&r);
    CHECK(&r, strstr(r.out, "scan: toy, 2 masses, y_ref = 0.001") && strstr(r.out, "m_phi [GeV]") &&
                  strstr(r.out, "sigma/y^2 [fb]") && !strstr(r.out, "g-2"),
          "scan labels");
    run_free(&r);
    run_toy(&r, (const char *const[]){"scan", "--process", "toy", "--masses", "0.01", "--out", dir, "--g2",
                                      "wp25", TOY_BUDGET, NULL});
    expect_failure(&r, (const char *const[]){"--g2", "toy", NULL});
    run_free(&r);
    /* generate: the header from its particle list and inputs, its PDG id in the events */
    char ev[4300];
    snprintf(ev, sizeof ev, "%s/toy.lhe", scratch);
    run_toy(&r, (const char *const[]){"generate", "--process", "toy", "--phi-mass", "50MeV", "--yukawa",
                                      "1e-3", "--events", "200", "--out", ev, TOY_BUDGET, NULL});
    expect_success(&r);
    run_free(&r);
    char *text = slurp(ev);
    assert_non_null(text);
    assert_non_null(strstr(text, "final_state = mu- (13), e- (11), phi (invisible) (9000006)"));
    assert_non_null(strstr(text, "phi_mass_gev = 0.05"));
    assert_non_null(strstr(text, "yukawa = 0.001"));
    assert_null(strstr(text, "9900023"));
    int n = 0;
    for (const char *p = text; (p = strstr(p, "\n 9000006 1 ")); p++)
        n++;
    CHECK(&r, n == 200, "%d events carry phi", n);
    free(text);
    /* backgrounds: a signal row at its benchmark, its label from the process */
    char bj[4300];
    snprintf(bj, sizeof bj, "%s/toybg.json", scratch);
    run_toy(&r, (const char *const[]){"backgrounds", TOY_BUDGET, "--no-leak-scan", "--json", bj, NULL});
    expect_success(&r);
    CHECK(&r, strstr(r.out, "phi 50 MeV, y = 1e-3") != NULL, "no phi row in the table");
    run_free(&r);
    json_t *bg = json_load_file(bj, 0, &e);
    assert_non_null(bg);
    int found = 0;
    json_t *rows = json_object_get(bg, "rows");
    for (size_t k = 0; k < json_array_size(rows); k++)
        found |= strcmp(json_string_value(json_object_get(json_array_get(rows, k), "key")), "toy_50MeV") == 0;
    json_decref(bg);
    assert_true(found);
    /* --help lists it with its inputs */
    run_toy(&r, (const char *const[]){"integrate", "--help", NULL});
    expect_success(&r);
    CHECK(&r, strstr(r.out, "toy") && strstr(r.out, "--phi-mass") && strstr(r.out, "--yukawa"), "help");
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slices_cover_whole_boxes),
        cmocka_unit_test(test_uneven_split_same_bits),
        cmocka_unit_test(test_loaded_grid_replaces_warmup),
        cmocka_unit_test(test_grid_file_checks),
        cmocka_unit_test(test_process_table),
        cmocka_unit_test(test_identity_follows_every_row),
        cmocka_unit_test(test_grid_and_checkpoint_name_what_differs),
        cmocka_unit_test(test_resume_refuses_changed_inputs),
        cmocka_unit_test(test_toy_process_everywhere),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

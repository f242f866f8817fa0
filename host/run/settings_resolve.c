/* From option/value pairs to a run (settings.h): the defaults of the command and the
 * process, each option parsed into its field in the order given, then what no single
 * row can check (required settings, ranges that depend on others, contradictions).
 * Every refusal is one line that names the option. */
#include "run/settings.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "physics1d/kinematic_limits.h"
#include "run/process_table.h"
#include "util/afile.h"
#include "util/units.h"

#define FAIL(...) return snprintf(why, len, __VA_ARGS__), 1

/* Defaults a command has of its own (a scan and the backgrounds table run many
 * integrations, each to a looser error). */
static const struct {
    int cmd;
    const char *name, *def;
} command_defaults[] = {
    {MUE_CMD_SCAN, "points", "5e5"},
    {MUE_CMD_SCAN, "rel-error", "3e-3"},
    {MUE_CMD_SENSITIVITY, "points", "5e5"},
    {MUE_CMD_SENSITIVITY, "rel-error", "3e-3"},
    {MUE_CMD_BACKGROUNDS, "points", "2e5"},
    {MUE_CMD_BACKGROUNDS, "rel-error", "2e-3"},
};

static const char *default_of(int cmd, const mue_setting *s)
{
    /* a scan's reference coupling, whatever the process calls it */
    if ((cmd & MUE_CMD_SCANS) && (s->flags & MUE_SF_COUPLING))
        return "1e-3";
    for (size_t k = 0; k < sizeof command_defaults / sizeof command_defaults[0]; k++)
        if (command_defaults[k].cmd == cmd && strcmp(command_defaults[k].name, s->name) == 0)
            return command_defaults[k].def;
    return s->def;
}

static const char *unit_name(const mue_setting *s)
{
    switch (s->type == MUE_ST_REAL ? s->unit : -1) {
    case MUE_UNIT_ENERGY: return " GeV";
    case MUE_UNIT_ANGLE: return " rad";
    case MUE_UNIT_LUMI: return " fb^-1";
    default: return "";
    }
}

/* The text of one option into its field (no range check yet). */
static int parse_value(const mue_setting *s, const char *val, mue_run_config *c, char *why,
                       size_t len)
{
    void *f = (char *)c + s->off;
    const int flag = s->type == MUE_ST_FLAG || s->type == MUE_ST_UNFLAG;
    if (flag && val && val[0])
        FAIL("--%s: takes no value (got '%s')", s->name, val);
    if (!flag && !val)
        FAIL("--%s: missing its value", s->name);
    uint64_t n = 0;
    int rc;
    switch (s->type) {
    case MUE_ST_REAL:
        rc = mue_parse_quantity(val, (mue_unit_kind)s->unit, (double *)f);
        if (rc == -1)
            FAIL("--%s: '%s' is not a number", s->name, val);
        if (rc == -2)
            FAIL("--%s: '%s' has an unknown unit suffix", s->name, val);
        if (rc == -3)
            FAIL("--%s: '%s' is out of the range of double precision", s->name, val);
        return 0;
    case MUE_ST_U64:
    case MUE_ST_INT:
        rc = mue_parse_count(val, &n);
        if (rc == -1)
            FAIL("--%s: '%s' is not a whole number", s->name, val);
        if (rc == -3 || (double)n > s->hi) {
            if (s->hi >= 1.8e19)
                FAIL("--%s: '%s' is too large (at most 2^64 - 1)", s->name, val);
            FAIL("--%s: '%s' is too large (at most %.0f)", s->name, val, s->hi);
        }
        if (s->type == MUE_ST_U64)
            *(uint64_t *)f = n;
        else
            *(int *)f = (int)n;
        return 0;
    case MUE_ST_FLAG: *(int *)f = 1; return 0;
    case MUE_ST_UNFLAG: *(int *)f = 0; return 0;
    case MUE_ST_PATH:
        if (!val[0])
            FAIL("--%s: an empty name", s->name);
        if (strlen(val) >= 4096)
            FAIL("--%s: the name is %zu characters long, longer than the 4095 the system takes", s->name,
                 strlen(val));
        *(const char **)f = val;
        return 0;
    default: return s->parse(s, val, f, c, why, len);
    }
}

void mue_settings_defaults(int cmd, mue_process_id id, mue_run_config *c)
{
    memset(c, 0, sizeof *c);
    c->command = cmd;
    c->process = id;
    c->par = mue_params_default();
    c->damping = 1.5;
    mue_setting rows[MUE_SETTINGS_MAX];
    int n = mue_settings_rows(id, rows, MUE_SETTINGS_MAX);
    char why[256];
    for (int i = 0; i < n; i++) {
        const char *d = default_of(cmd, &rows[i]);
        if ((rows[i].cmds & cmd) && d)
            parse_value(&rows[i], rows[i].type == MUE_ST_FLAG || rows[i].type == MUE_ST_UNFLAG ? NULL : d,
                        c, why, sizeof why);
    }
    /* the flag rows' defaults are their unset values: --no-cuts and --no-leak-scan
     * clear a field that is set otherwise */
    for (int i = 0; i < n; i++)
        if (rows[i].type == MUE_ST_UNFLAG)
            *(int *)((char *)c + rows[i].off) = 1;
    c->process = id;
}

void mue_settings_inner(const mue_run_config *base, mue_process_id id, mue_run_config *c)
{
    mue_settings_defaults(MUE_CMD_INTEGRATE, id, c);
    c->par.e_beam = base->par.e_beam;
    c->par.alpha = base->par.alpha;
    c->par.beam_plus = base->par.beam_plus;
    c->par.bm = base->par.bm;
    c->lumi_fb = base->lumi_fb;
    c->seed = base->seed;
    c->threads = base->threads;
    snprintf(c->device, sizeof c->device, "%s", base->device);
    c->cancel = base->cancel;
    c->comm = base->comm;
}

/* A number out of its row's range, in words. */
static int range_check(const mue_setting *s, const mue_run_config *c, char *why, size_t len)
{
    double v;
    const void *f = (const char *)c + s->off;
    if (s->type == MUE_ST_REAL)
        v = *(const double *)f;
    else if (s->type == MUE_ST_U64)
        v = (double)*(const uint64_t *)f;
    else if (s->type == MUE_ST_INT)
        v = *(const int *)f;
    else
        return 0;
    double lo = s->lo, hi = s->hi;
    int hi_open = (s->flags & MUE_SF_HI_OPEN) != 0;
    const char *u = unit_name(s), *hi_what = "";
    if (s->flags & MUE_SF_MASS) {
        hi = mue_zprime_mass_limit(&c->par);
        hi_open = 1;
        hi_what = " (the kinematic limit sqrt(s) - m_mu - m_e)";
    }
    if (s->flags & MUE_SF_BEAM) {
        hi = c->par.e_beam;
        hi_open = 1;
        hi_what = " (the beam energy)";
    }
    if (lo > 0.0 && !(v > 0.0))
        FAIL("--%s: must be positive (got %g%s)", s->name, v, u);
    const int below = (s->flags & MUE_SF_LO_OPEN) ? !(v > lo) : !(v >= lo);
    const int above = hi_open ? !(v < hi) : !(v <= hi);
    if (above && (s->flags & MUE_SF_MASS)) {
        const mue_process_info *pi = mue_process_info_of(c->process);
        FAIL("--%s: %g GeV is not below the kinematic limit sqrt(s) - m_mu - m_e = %.6g GeV; %s is "
             "closed",
             s->name, v, hi, pi ? pi->summary : "the process");
    }
    if ((below || above) && hi < 1e299)
        FAIL("--%s: %g%s is %s, outside %g .. %.6g%s%s%s (docs/guide.md, Input ranges)", s->name, v, u,
             below ? "below the least mue accepts" : "above the most mue accepts", lo, hi, u,
             hi_open ? ", the upper end excluded" : "", hi_what);
    if (below)
        FAIL("--%s: %g%s is %s %g%s, the least mue accepts (docs/guide.md, Input ranges)", s->name, v,
             u, (s->flags & MUE_SF_LO_OPEN) ? "not above" : "below", lo, u);
    return 0;
}

int mue_settings_check_ranges(const mue_run_config *c, char *why, size_t len)
{
    mue_setting rows[MUE_SETTINGS_MAX];
    int n = mue_settings_rows(c->process, rows, MUE_SETTINGS_MAX);
    for (int i = 0; i < n; i++)
        if (mue_setting_applies(&rows[i], c) && range_check(&rows[i], c, why, len))
            return 1;
    return 0;
}

typedef struct {
    const mue_setting *rows;
    int n;
    unsigned char given[MUE_SETTINGS_MAX];
} resolved;

static int given(const resolved *r, const char *name)
{
    for (int i = 0; i < r->n; i++)
        if (r->given[i] && strcmp(r->rows[i].name, name) == 0)
            return 1;
    return 0;
}

static int missing(const resolved *r, const mue_run_config *c, int i)
{
    return mue_setting_applies(&r->rows[i], c) && (r->rows[i].flags & MUE_SF_REQUIRED) && !r->given[i] &&
           !default_of(c->command, &r->rows[i]);
}

/* "--mass and --coupling": the required settings the run lacks */
static void required_list(const resolved *r, const mue_run_config *c, char *buf, size_t len)
{
    int total = 0, k = 0;
    for (int i = 0; i < r->n; i++)
        total += missing(r, c, i);
    size_t n = 0;
    buf[0] = 0;
    for (int i = 0; i < r->n && n < len; i++)
        if (missing(r, c, i)) {
            k++;
            n += (size_t)snprintf(buf + n, len - n, "%s--%s", k == 1 ? "" : k == total ? " and " : ", ",
                                  r->rows[i].name);
        }
}

/* An option the run has no row for: another process's input, or none at all. */
static int unknown_option(int cmd, const mue_run_config *c, const char *name, char *why, size_t len)
{
    mue_setting buf;
    const char *cmdname = mue_command_name(cmd);
    const mue_process_info *owner = mue_settings_input_owner(MUE_CMD_RUNS, name, &buf);
    const mue_process_info *pi = mue_process_info_of(c->process);
    if (owner && (cmd & MUE_CMD_SCANS) && mue_settings_input_owner(MUE_CMD_INTEGRATE, name, &buf) &&
        !mue_settings_input_owner(cmd, name, &buf))
        FAIL("--%s: %s takes --masses or --n-masses", name, cmdname);
    if (owner && (cmd & MUE_CMD_RUNS))
        FAIL("--%s: %s --process %s has no such input (it is one of %s: %s)", name, cmdname,
             pi->name, owner->name, owner->summary);
    FAIL("--%s: mue %s has no such option (see mue %s --help)", name, cmdname, cmdname);
}

static int cut_contradiction(const resolved *r, const mue_run_config *c, char *why, size_t len)
{
    static const char *const cuts[] = {"theta-mu-min", "ee-min", "ee-max"};
    if (c->par.cuts.enabled)
        return 0;
    for (int k = 2; k >= 0; k--)
        if (given(r, cuts[k]))
            FAIL("--no-cuts: contradicts --%s (drop one of them)", cuts[k]);
    return 0;
}

static int ends_with(const char *s, const char *t)
{
    size_t n = strlen(s), m = strlen(t);
    return n >= m && strcmp(s + n - m, t) == 0;
}

/* generate: the format from the file's name unless --format, and gzip for a .gz name */
static int event_file_rules(const resolved *r, mue_run_config *c, char *why, size_t len)
{
    const int gz = ends_with(c->out, ".gz");
    if (!given(r, "format")) {
        char base[4096];
        snprintf(base, sizeof base, "%.*s", (int)(strlen(c->out) - (gz ? 3 : 0)), c->out);
        if (ends_with(base, ".lhe") || ends_with(base, ".lhef"))
            c->format = MUE_GEN_LHEF;
        else if (ends_with(base, ".hepmc") || ends_with(base, ".hepmc3"))
            c->format = MUE_GEN_HEPMC3;
        else
            FAIL("--out: cannot tell the format from '%s' (.lhe, .lhef, .hepmc, .hepmc3, each "
                 "optionally .gz); give --format lhef or hepmc3",
                 c->out);
    }
    if (given(r, "gzip-level") && !gz)
        FAIL("--gzip-level: '%s' does not end in .gz, so it is not compressed", c->out);
    c->gzip = gz;
    if (c->weighted && (given(r, "max-weight") || given(r, "overweight")))
        FAIL("--%s: weighted events are not unweighted (drop --weighted or it)",
             given(r, "max-weight") ? "max-weight" : "overweight");
    return 0;
}

static int grid_rules(const resolved *r, mue_run_config *c, char *why, size_t len)
{
    if (c->force_grid && !c->load_grid)
        FAIL("--force-grid: only with --load-grid");
    if (c->load_grid) {
        if (given(r, "grid-bins"))
            FAIL("--grid-bins: a loaded grid brings its own bins (--load-grid)");
        if (!given(r, "warmup"))
            c->warmup = 0;
    }
    if (c->checkpoint_every && !c->checkpoint)
        FAIL("--checkpoint-every: only with --checkpoint");
    if (c->iterations == 0 && !c->save_grid)
        FAIL("--iterations: must be between 1 and %d (0 only to train a grid for --save-grid)",
             MUE_VEGAS_MAXITER);
    if (c->iterations == 0 && c->warmup == 0)
        FAIL("--iterations 0: with no --warmup either there is nothing to run");
    if (c->iterations == 0 && (c->json || c->hist_dir))
        FAIL("--iterations 0 only trains a grid: no result for %s", c->json ? "--json" : "--hist");
    return 0;
}

/* integrate: the automatic schedule (vegas/schedule.h) when only a precision is asked
 * for; any of the settings it chooses, or a checkpoint (which records a fixed plan),
 * fixes it. */
static int schedule_rules(const resolved *r, mue_run_config *c, char *why, size_t len)
{
    static const char *const fixing[] = {"points", "warmup", "iterations", "checkpoint", "resume"};
    const char *by = NULL;
    for (size_t k = 0; k < sizeof fixing / sizeof fixing[0] && !by; k++)
        if (given(r, fixing[k]))
            by = fixing[k];
    if (given(r, "schedule")) {
        if (c->schedule != MUE_SCHEDULE_AUTO)
            return 0;
        if (by)
            FAIL("--schedule auto: contradicts --%s (auto chooses the points and iterations "
                 "itself, and a checkpoint needs a fixed schedule; drop one of them)",
                 by);
        if (!(c->rel_error > 0.0))
            FAIL("--schedule auto: needs a --rel-error above 0 to aim at");
    } else if (by || !(c->rel_error > 0.0)) {
        c->schedule = MUE_SCHEDULE_FIXED;
        return 0;
    }
    c->schedule = MUE_SCHEDULE_AUTO;
    const mue_process_info *pi = mue_process_info_of(c->process);
    c->points = pi->points_min > MUE_AUTO_FIRST_POINTS ? pi->points_min : MUE_AUTO_FIRST_POINTS;
    if (!c->load_grid) /* a loaded grid is trained: grid_rules left no warm-up */
        c->warmup = MUE_AUTO_MAX_TRAINING;
    c->iterations = MUE_AUTO_MAX_ITERATIONS;
    return 0;
}

static int scan_rules(const resolved *r, mue_run_config *c, char *why, size_t len)
{
    const mue_process_info *pi = mue_process_info_of(c->process);
    char names[256] = "";
    for (int p = 0; p < MUE_NPROC; p++)
        if (mue_process_input_of_kind(&mue_process_table[p], MUE_INPUT_MASS))
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", names[0] ? ", " : "",
                     mue_process_table[p].name);
    if (!mue_process_input_of_kind(pi, MUE_INPUT_MASS))
        FAIL("--process: %s scans a mass, and %s has none (processes with a mass: %s)",
             mue_command_name(c->command), pi->name, names);
    if (c->nmasses && given(r, "n-masses"))
        FAIL("--n-masses: contradicts --masses (drop one of them)");
    if (c->nmasses && (given(r, "mass-min") || given(r, "mass-mid")))
        FAIL("--%s: only for the automatic grid, not with --masses",
             given(r, "mass-min") ? "mass-min" : "mass-mid");
    if (given(r, "g2") && !(pi->flags & MUE_PROC_MUON_G2))
        FAIL("--g2: %s has no g-2 band (its boson is not coupled to the muon through the scan's "
             "coupling)",
             pi->name);
    if (!c->nmasses) {
        double lim = mue_zprime_mass_limit(&c->par);
        if (!(c->mass_min > 0.0 && c->mass_mid > c->mass_min && c->mass_mid < lim))
            FAIL("--mass-min/--mass-mid: need 0 < min < mid < %.5g GeV", lim);
    }
    return 0;
}

static int sensitivity_rules(const resolved *r, mue_run_config *c, char *why, size_t len)
{
    c->background_given = given(r, "background");
    if (!c->background_given && !c->par.det.enabled)
        FAIL("--background: give the background events by hand, or --detector: the photon veto "
             "(iii) and its inefficiency set the computed background");
    if (c->background_given && c->optimise)
        FAIL("--optimise: needs the background at every cut it tries (computed through "
             "--detector), not one --background count");
    if (c->par.det.enabled && (c->par.det.cuts != MUE_DET_CUT_ALL || c->par.det.mode != MUE_DET_SAMPLE))
        FAIL("--detector: sensitivity takes the signal region (i)+(ii)+(iii) and chooses each "
             "run's mode itself; leave out cuts= and mode=");
    return 0;
}

/* The rules no row can check alone. */
static int cross_checks(const resolved *r, mue_run_config *c, char *why, size_t len)
{
    int rc = 0;
    if (c->command & MUE_CMD_RUNS) {
        if ((rc = cut_contradiction(r, c, why, len)))
            return rc;
        if (c->par.cuts.enabled && !(c->par.cuts.ee_max > c->par.cuts.ee_min))
            FAIL("--ee-max: %g GeV must exceed --ee-min %g GeV", c->par.cuts.ee_max, c->par.cuts.ee_min);
        if ((rc = grid_rules(r, c, why, len)))
            return rc;
    }
    if (c->command == MUE_CMD_INTEGRATE && (rc = schedule_rules(r, c, why, len)))
        return rc;
    if (c->command == MUE_CMD_GENERATE && (rc = event_file_rules(r, c, why, len)))
        return rc;
    if ((c->command & MUE_CMD_SCANS) && (rc = scan_rules(r, c, why, len)))
        return rc;
    if (c->command == MUE_CMD_SENSITIVITY && (rc = sensitivity_rules(r, c, why, len)))
        return rc;
    if (c->command == MUE_CMD_BACKGROUNDS &&
        (c->par.det.cuts != MUE_DET_CUT_ALL || c->par.det.mode != MUE_DET_SAMPLE))
        FAIL("--detector: backgrounds chooses the cuts and mode of each run itself; leave out cuts= "
             "and mode=");
    if (c->command == MUE_CMD_BACKGROUNDS && c->par.cuts.ee_max <= c->par.cuts.ee_min)
        FAIL("--ee-max: %g GeV must exceed --ee-min %g GeV", c->par.cuts.ee_max, c->par.cuts.ee_min);
    c->want_hist = c->want_hist || c->hist_dir != NULL;
    return 0;
}

int mue_settings_resolve(int cmd, const mue_option *opt, int nopt, mue_run_config *c, char *why,
                         size_t len)
{
    if (!mue_command_name(cmd))
        FAIL("unknown command");
    /* the process first: its inputs are rows of the run too */
    mue_process_id id = MUE_PROC_ZPRIME;
    mue_setting buf;
    for (int k = 0; k < nopt; k++) {
        const mue_setting *s = mue_settings_find(cmd, id, opt[k].name, &buf);
        if (s && strcmp(s->name, "process") == 0) {
            mue_run_config t;
            if (parse_value(s, opt[k].value, &t, why, len))
                return 1;
            id = t.process;
        }
    }
    mue_settings_defaults(cmd, id, c);
    mue_setting rows[MUE_SETTINGS_MAX];
    resolved r = {rows, mue_settings_rows(id, rows, MUE_SETTINGS_MAX), {0}};
    for (int k = 0; k < nopt; k++) {
        const mue_setting *s = mue_settings_find(cmd, id, opt[k].name, &buf);
        int i = 0;
        while (s && i < r.n && !(strcmp(rows[i].name, s->name) == 0 && (rows[i].cmds & cmd) &&
                                 rows[i].process == s->process))
            i++;
        if (!s || i == r.n)
            return unknown_option(cmd, c, opt[k].name, why, len);
        if (parse_value(&rows[i], opt[k].value, c, why, len))
            return 1;
        r.given[i] = 1;
    }
    for (int i = 0; i < r.n; i++) {
        if (!mue_setting_applies(&rows[i], c))
            continue;
        if (missing(&r, c, i)) {
            char list[256];
            required_list(&r, c, list, sizeof list);
            if (rows[i].process >= 0)
                FAIL("--%s: missing; %s --process %s needs %s", rows[i].name, mue_command_name(cmd),
                     mue_process_name(c->process), list);
            FAIL("--%s: missing; %s needs %s", rows[i].name, mue_command_name(cmd), list);
        }
        if (range_check(&rows[i], c, why, len))
            return 1;
    }
    return cross_checks(&r, c, why, len);
}

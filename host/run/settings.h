/* The run description: one table, one row per setting, as the process table is one row
 * per process. A row gives the setting's field, type, default, range and unit, its
 * command-line option and help, its JSON key, the commands and processes it applies
 * to, and whether it identifies the run. Everything else follows from the table:
 * parsing, validation, --help, the JSON echo of the settings, the identity hash (grid
 * files, checkpoints, MPI ranks, scan rows) and the event-file header. A process's
 * model inputs (its mass, coupling, flavours, photon threshold) are rows its unit
 * header declares (include/mue/processes.h). */
#ifndef MUE_SETTINGS_H
#define MUE_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "mue/process.h"
#include "vegas/comm.h"
#include "vegas/vegas.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The commands; a row applies to a set of them. */
enum {
    MUE_CMD_INTEGRATE = 1,
    MUE_CMD_SCAN = 2,
    MUE_CMD_GENERATE = 4,
    MUE_CMD_BACKGROUNDS = 8,
    MUE_CMD_G2 = 16,
    MUE_CMD_KINEMATICS = 32,
    MUE_CMD_SENSITIVITY = 64,
};
/* the commands that run a process over a list of masses */
#define MUE_CMD_SCANS (MUE_CMD_SCAN | MUE_CMD_SENSITIVITY)
#define MUE_CMD_RUNS (MUE_CMD_INTEGRATE | MUE_CMD_SCANS | MUE_CMD_GENERATE)
#define MUE_CMD_ALL_RUNS (MUE_CMD_RUNS | MUE_CMD_BACKGROUNDS)
#define MUE_NCMD 7
/* "integrate" <-> MUE_CMD_INTEGRATE; 0 / NULL for none */
int mue_command_find(const char *name);
const char *mue_command_name(int cmd);

/* The inputs mue accepts (docs/guide.md, "Input ranges"): outside them double precision
 * cannot hold the answer, or the physics has left its model. */
#define MUE_BEAM_MAX 1e6        /* GeV: above, the floor on -t (zprime.h) eats the phase space */
#define MUE_LUMI_MAX 1e10       /* fb^-1 */
#define MUE_HIST_EDGE_MAX 1e6   /* |lo|, |hi| of a histogram range, GeV or rad */
#define MUE_POINTS_MIN 100      /* points per iteration */
/* --schedule auto: the first training iteration's points (or the process's
 * points_min, if more), the most training and production iterations, and the most
 * points of one iteration */
#define MUE_SCHEDULE_FIXED 0
#define MUE_SCHEDULE_AUTO 1
#define MUE_AUTO_FIRST_POINTS 20000
#define MUE_AUTO_MAX_TRAINING 12
#define MUE_AUTO_MAX_ITERATIONS 30
#define MUE_AUTO_MAX_POINTS (1ull << 30)
#define MUE_ALPHA_MIN 1e-4      /* weights ~ alpha^2 (zprime) to alpha^3 stay normal numbers */
#define MUE_Q_WARN 0.05         /* below, the iterations' chi2 earns a warning (as vegas users check) */
#define MUE_SCAN_MAXMASS 1000
#define MUE_GEN_MAXWEIGHTS 8 /* generate --coupling-weights */
#define MUE_GEN_EVENTS_MAX 1000000000000ull /* 1e12 */

typedef struct {
    char name[32]; /* an observable of the process (mue_obs_def.name) */
    double lo, hi;
} mue_hist_range;

enum { MUE_GEN_LHEF, MUE_GEN_HEPMC3 };
enum { MUE_GEN_MAX_QUANTILE, MUE_GEN_MAX_TRUE };

/* What a run says while it goes (the public header's mue_message_fn). */
typedef void (*mue_note_fn)(void *ctx, int kind, const char *line);
enum { MUE_NOTE_PROGRESS = 1, MUE_NOTE_NOTICE = 2 };

/* One run as the table describes it: every command's settings (a command reads its
 * own), and how the run reports and is stopped. Strings point into what the caller
 * keeps alive (the option values). */
typedef struct mue_run_config {
    int command;           /* MUE_CMD_* */
    mue_process_id process;
    mue_params par;        /* the process's model inputs, beam, cuts, detector */
    double lumi_fb;        /* fb^-1 */
    /* sampling */
    uint64_t points;       /* per iteration (auto schedule: the first training iteration's) */
    int warmup, iterations; /* auto schedule: the most of each */
    double rel_error;
    int schedule;          /* MUE_SCHEDULE_FIXED, or _AUTO (vegas/schedule.h) */
    uint64_t seed;
    int threads;           /* 0: all cores */
    char device[16];       /* a backend's name (backends/backend.h), or "auto" */
    int grid_bins;
    double damping;        /* VEGAS grid damping, Lepage's alpha */
    int no_strata;         /* plain importance sampling instead of stratified */
    double beta;           /* VEGAS+ box allocation n_h ~ sigma_h^beta; 0: classic VEGAS */
    /* the grid and checkpoints */
    const char *load_grid; /* start from this grid file (grid_file.h), or 0 */
    const char *save_grid; /* write the grid here at the end, or 0 */
    int force_grid;        /* use a loaded grid trained for other settings */
    const char *checkpoint; /* write the run's state here after every iteration, or 0 */
    const char *resume;     /* go on from this checkpoint (checkpoint.h), or 0 */
    uint64_t checkpoint_every; /* seconds between checkpoints at least (0: every iteration);
                                * the last iteration's is always written */
    /* outputs */
    const char *json;      /* the result as JSON */
    const char *hist_dir;  /* the histograms as CSV, one per observable */
    int want_hist;         /* fill histograms (set by hist_dir, or by a library caller) */
    int hist_bins;
    int n_hist_ranges;     /* ranges other than the process's defaults */
    mue_hist_range hist_range[MUE_MAX_OBS];
    int quiet;             /* no progress lines */
    /* generate */
    uint64_t events;       /* events to write, >= 1 */
    const char *out;       /* generate: the event file; scan: the output directory */
    int format;            /* MUE_GEN_LHEF or MUE_GEN_HEPMC3 */
    int gzip_level;        /* 1..9 */
    int gzip;              /* the file is compressed (a .gz name) */
    int weighted;          /* every point passing the cuts, with its weight */
    int max_mode;          /* MUE_GEN_MAX_QUANTILE or MUE_GEN_MAX_TRUE */
    double quantile;       /* of the surveyed nonzero weights, in (0, 1) */
    int truncate;          /* overweights: 0 kept with weight > 1; 1 unit weight, bias reported */
    int zprime_stable;     /* events: the Z' as a final particle, not decayed (record.h) */
    int ncoupling_weights; /* events: more weights, at these couplings (sigma ~ g^2) */
    double coupling_weights[MUE_GEN_MAXWEIGHTS];
    uint64_t survey_points; /* points surveyed for the maximum (whole batches) */
    const char *command_line; /* for the event header */
    /* scan */
    int nmasses;           /* the --masses list (0: the automatic grid) */
    double masses[MUE_SCAN_MAXMASS];
    int n_masses;          /* masses of the automatic grid */
    double mass_min, mass_mid;
    char g2[64];           /* the g-2 band: a preset's name, or VALUE,ERROR */
    int restart;
    /* sensitivity */
    double background;     /* events at the luminosity, given by hand (background_given) */
    int background_given;
    double background_syst; /* its relative uncertainty (log-normal) */
    int no_br;             /* signal counts without BR(Z' -> invisible) (the paper's N_sig) */
    int optimise;          /* choose the cuts that give the best expected limit, per mass */
    /* backgrounds */
    int leak_scan;
    const char *markdown;
    /* g2 */
    double g2_mass, g2_coupling;
    /* kinematics */
    uint64_t curve_points;
    const char *csv;
    /* how the run reports and stops (not settings: the caller's) */
    mue_note_fn note;      /* progress lines and notices, or 0 */
    void *note_ctx;
    volatile int *cancel;  /* nonzero: stop at the next iteration, mass or batch */
    mue_comm *comm;        /* the job's ranks (vegas/comm.h); 0: one process */
    int single_writer;     /* bench_generate's baseline: events formatted and compressed on one
                            * thread with zlib, as mue 0.2.0 did (events/event_writer.h) */
    /* not null: the trained state is handed over here instead of freed (mue generate
     * goes on from it); the caller frees it (mue_vegas_state_free) */
    mue_vegas_state *keep_state;
} mue_run_config;

/* Setting types */
enum {
    MUE_ST_REAL,   /* double, with a unit (mue_unit_kind) */
    MUE_ST_U64,    /* uint64_t count */
    MUE_ST_INT,    /* int count */
    MUE_ST_FLAG,   /* int, 1 when given (no value) */
    MUE_ST_UNFLAG, /* int, 0 when given (no value): --no-cuts, --no-leak-scan */
    MUE_ST_PATH,   /* const char *, not empty */
    MUE_ST_CUSTOM, /* parsed and printed by the row's functions */
};

/* Setting flags */
enum {
    MUE_SF_GRID = 1,      /* identifies the integrand: what a grid was trained for (and so
                             also MUE_SF_RESULT) */
    MUE_SF_RESULT = 2,    /* changes the numbers: identifies checkpoints, MPI ranks, scan
                             rows, events */
    MUE_SF_REQUIRED = 4,  /* no default: the command needs it */
    MUE_SF_REPEAT = 8,    /* each occurrence adds (--hist-range, --detector) */
    MUE_SF_OUT = 16,      /* a file the run writes */
    MUE_SF_IN = 32,       /* a file the run reads */
    MUE_SF_DIR = 64,      /* an output directory */
    MUE_SF_LO_OPEN = 128, /* lo < v rather than lo <= v */
    MUE_SF_HI_OPEN = 256, /* v < hi */
    MUE_SF_MASS = 512,    /* a process's MUE_INPUT_MASS: below the kinematic limit */
    MUE_SF_BEAM = 1024,   /* below the beam energy (MUE_INPUT_ENERGY with hi 0) */
    MUE_SF_COUPLING = 4096, /* a process's MUE_INPUT_COUPLING: a scan's reference coupling */
    MUE_SF_MACHINE = 2048, /* what runs it, not what it computes (threads, device): not in an
                              event file's header, whose bytes no machine changes */
};

struct mue_setting;
typedef int (*mue_setting_parse_fn)(const struct mue_setting *s, const char *val, void *field,
                                    mue_run_config *c, char *why, size_t len);
typedef void (*mue_setting_print_fn)(const struct mue_setting *s, const void *field,
                                     const mue_run_config *c, char *buf, size_t len);

typedef struct mue_setting {
    const char *name;   /* the option, without "--"; the library's and Python's key */
    const char *meta;   /* its value in --help ("N", "FILE"); NULL: it takes none */
    int type;           /* MUE_ST_* */
    int unit;           /* mue_unit_kind, for MUE_ST_REAL */
    size_t off;         /* its field in mue_run_config */
    const char *def;    /* default as command-line text; NULL: none */
    double lo, hi;      /* range of numbers and counts */
    const char *json;   /* its key in the JSON echo; NULL: not echoed */
    unsigned cmds;      /* the commands that take it (MUE_CMD_*) */
    int process;        /* -1: every process; else the process whose model input it is */
    unsigned flags;     /* MUE_SF_* */
    const char *group;  /* its section in --help */
    const char *help;
    const char *label;  /* printed name of a model input ("m_Z'"); NULL otherwise */
    mue_setting_parse_fn parse; /* MUE_ST_CUSTOM */
    mue_setting_print_fn print;
} mue_setting;

/* The rows that apply to process id: the generic ones, its model inputs after
 * --process; into out[max], their number. */
int mue_settings_rows(mue_process_id id, mue_setting *out, int max);
/* Every row, every process's inputs. */
int mue_settings_all_rows(mue_setting *out, int max);
#define MUE_SETTINGS_MAX 96 /* rows, at most (mue_settings_all_rows) */
/* The row of option name for this command and process (a model input of another
 * process does not count; an input's row is made in buf); NULL if none. name may use
 * '_' for '-'. */
const mue_setting *mue_settings_find(int cmd, mue_process_id process, const char *name,
                                     mue_setting *buf);
/* The process that has a model input of this name for cmd (its row in buf), or NULL. */
struct mue_process_info_;
const void *mue_settings_input_owner(int cmd, const char *name, mue_setting *buf);
/* Does command cmd have an option of this name (for any process)? */
int mue_settings_known(int cmd, const char *name);
/* Does row s apply to the run c (its command, its process)? */
int mue_setting_applies(const mue_setting *s, const mue_run_config *c);
/* The row's field in c. */
const void *mue_setting_field(const mue_setting *s, const mue_run_config *c);
/* The row's value in c as canonical text (every double to 17 digits). */
void mue_setting_value(const mue_setting *s, const mue_run_config *c, char *buf, size_t len);
/* Does it hold a value (not an unset path, an empty list)? */
int mue_setting_present(const mue_setting *s, const mue_run_config *c);

/* One option and its value, as the command line or the library caller gives them. */
typedef struct {
    const char *name;
    const char *value; /* NULL for a flag */
} mue_option;

/* The run of command cmd that the options describe, in their order (later ones win,
 * repeatable ones add): defaults, the process and its inputs' defaults, the options,
 * then the checks across settings. 0, or nonzero with a one-line reason naming the
 * option. Strings in c point into the options' values. */
int mue_settings_resolve(int cmd, const mue_option *opt, int nopt, mue_run_config *c, char *why,
                         size_t len);
/* Every number of c inside its row's range: 0, or nonzero with the reason. */
int mue_settings_check_ranges(const mue_run_config *c, char *why, size_t len);
/* The defaults of command cmd for process id (its inputs' defaults too; a required
 * input is left 0). */
void mue_settings_defaults(int cmd, mue_process_id id, mue_run_config *c);
/* An integration a command runs inside itself (a cell of mue backgrounds, of --optimise):
 * integrate's defaults for process id with base's beam (energy, charge, beam model),
 * alpha, luminosity, seed, threads, device, cancel flag and ranks; the caller sets the
 * cuts, detector and budget. */
void mue_settings_inner(const mue_run_config *base, mue_process_id id, mue_run_config *c);

/* Iterates the rows that apply to c with any of the flags in mask (0: every row with
 * a JSON key but the files), calling fn with each row and its canonical value. */
typedef void (*mue_setting_fn)(void *ctx, const mue_setting *s, const char *value);
void mue_settings_each(const mue_run_config *c, unsigned mask, mue_setting_fn fn, void *ctx);
/* The identity of the run: a hash of every row with a flag in mask (MUE_SF_GRID or
 * MUE_SF_RESULT) and its value, and, when skip is not NULL, without that row. */
uint64_t mue_settings_identity(const mue_run_config *c, unsigned mask, const mue_setting *skip);

/* The text of --help for command cmd (malloc'd). */
char *mue_settings_help(int cmd);

/* The run's histograms: the process's observables, c's bins and ranges. */
int mue_run_hist_spec(const mue_run_config *c, mue_hist_spec *hs, char *why, size_t len);
/* The checks that need the physics (the backend, the process's own refusal, the
 * histogram names); 0, or nonzero with a one-line reason. */
int mue_run_validate(const mue_run_config *c, char *why, size_t len);
/* The integrate defaults, zprime at the paper's 100 MeV point (m = 0.1 GeV, g = 1e-3):
 * for the tests and benchmarks. */
mue_run_config mue_run_config_default(void);
/* The printed label of the process's input of kind (MUE_INPUT_*), its value, and the
 * one-line "m_Z' = 0.1 GeV  g = 0.001" of all of them into buf. */
const char *mue_run_model_line(const mue_run_config *c, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif

/* `mue <command> --help`, written from the run description: the command's rows by
 * section, each process's model inputs, the detector keys where --detector applies. */
#include "run/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "run/beam_config.h"
#include "run/detector_config.h"
#include "run/process_table.h"

static const struct {
    int cmd;
    const char *usage, *about, *example;
} commands[] = {
    {MUE_CMD_INTEGRATE, "mue integrate --process NAME [its inputs] [options]",
     "Integrates the cross section with adaptive importance sampling (VEGAS+) and prints\n"
     "sigma and the event count N = sigma * L with their Monte Carlo errors.",
     "mue integrate --process zprime --mass 100MeV --coupling 1e-3"},
    {MUE_CMD_SCAN, "mue scan --out DIR [--process NAME] [--masses M1,M2,... | --n-masses N] [options]",
     "The event count over the (mass, coupling) plane of a process with a mass input: one\n"
     "integration per mass at the reference coupling --coupling [1e-3]; tree-level sigma is\n"
     "proportional to the coupling squared, so N(m, g) = sigma(m, g_ref) (g/g_ref)^2 L.\n"
     "Writes DIR/scan.csv after every mass (a rerun with the same settings resumes where it\n"
     "stopped), DIR/scan.json at the end, and for a boson coupled to the muon the g-2 band\n"
     "DIR/g2_band_NAME.csv.",
     "mue scan --out scan --n-masses 24"},
    {MUE_CMD_GENERATE, "mue generate --process NAME [its inputs] --events N --out FILE [options]",
     "Unweighted events (or weighted, --weighted) for detector simulation: trains the VEGAS\n"
     "grid as mue integrate does (or loads one), surveys the weights through it for the\n"
     "maximum, then keeps points by hit or miss against it, batch after batch on the\n"
     "device, while writer threads format and compress the previous batch. Events are in\n"
     "the lab frame (mu- beam along +z on e- at rest), GeV; the header lists the process's\n"
     "final state and every setting of the run. The same seed gives the same events, byte for\n"
     "byte, on any number of threads (the header also records the command line as given).",
     "mue generate --process zprime --mass 100MeV --coupling 1e-3 --events 100000 --out ev.lhe.gz"},
    {MUE_CMD_BACKGROUNDS, "mue backgrounds [--detector SPEC] [--lumi L] [--json FILE] [options]",
     "Events at luminosity L after cut (i), (i)+(ii) and (i)+(ii)+(iii) for every process of\n"
     "the table: the signals at their benchmark points, the backgrounds through the ideal\n"
     "detector where they pass the cuts at truth level and through the detector model\n"
     "where it fits; for a background with a photon, the veto inefficiency at which it\n"
     "equals the first signal; for a background the cuts remove at truth level, its leak\n"
     "against the ECAL resolution. Every detector-level number weights each event with its\n"
     "probability to pass after smearing (mode=expect), so a 1e-20 Gaussian tail is\n"
     "computed, not sampled. Tree level.",
     "mue backgrounds --lumi 15 --markdown backgrounds.md"},
    {MUE_CMD_SENSITIVITY,
     "mue sensitivity --out DIR [--detector SPEC | --background N] [--masses M1,... | --n-masses N] "
     "[options]",
     "MUonE's reach in (mass, coupling) for a process with a mass input: the signal per g^2\n"
     "from a scan (DIR/scan.csv, resumable), times L and BR(Z' -> invisible) (--no-br: the\n"
     "paper's N_sig); the background from mue backgrounds' (i)+(ii)+(iii) through --detector\n"
     "(its veto inefficiency included), or --background N by hand, with --background-syst R\n"
     "(log-normal). Per mass: the expected 95 % CL CLs upper limit on g under the background\n"
     "alone (median, +-1 and +-2 sigma), and the g of a median 3 and 5 sigma discovery (Asimov).\n"
     "Writes DIR/sensitivity.csv and DIR/sensitivity.json; a table on stdout.",
     "mue sensitivity --out sens --detector veto_ineff=1e-6 --n-masses 24"},
    {MUE_CMD_G2, "mue g2 --mass M --coupling G [--json FILE]",
     "Delta a_mu = g^2/(8 pi^2) int_0^1 dx 2 m_mu^2 x^2 (1-x) / (x^2 m_mu^2 + (1-x) M^2) of\n"
     "the Z', and its pull against the measured excess of each preset:\n"
     "  wp20: (251 +- 59) x 1e-11, the value the paper used\n"
     "  wp25: (38 +- 63) x 1e-11, 2025 Theory Initiative update with the final E989 average",
     "mue g2 --mass 10MeV --coupling 5e-4"},
    {MUE_CMD_KINEMATICS, "mue kinematics [--beam-energy E] [--n N] [--csv FILE]",
     "Paper Fig. 1: the smallest lab electron energy of elastic mu e -> mu e events with\n"
     "theta_mu above a threshold, for thresholds from 0 to theta_mu^max (Eqs. 1-3); the\n"
     "same curve bounds E_e + E_gamma in mu e -> mu e gamma.",
     "mue kinematics --csv fig1.csv"},
};

/* text wrapped at 88 columns, every line after the first indented by ind */
static void wrapped(FILE *f, const char *text, int col, int ind)
{
    const char *p = text;
    while (*p) {
        int room = 88 - col;
        int n = (int)strlen(p);
        if (n > room) {
            n = room;
            while (n > 0 && p[n] != ' ')
                n--;
            if (n == 0)
                n = (int)strcspn(p, " ");
        }
        fprintf(f, "%.*s\n", n, p);
        p += n;
        while (*p == ' ')
            p++;
        if (*p)
            fprintf(f, "%*s", ind, "");
        col = ind;
    }
}

static void option_line(FILE *f, const mue_setting *s, const char *prefix)
{
    char head[64];
    snprintf(head, sizeof head, "  --%s%s%s", s->name, s->meta ? " " : "", s->meta ? s->meta : "");
    int col = fprintf(f, "%-23s", head);
    if (col > 23) {
        fprintf(f, "\n%23s", "");
        col = 23;
    }
    char text[1024];
    snprintf(text, sizeof text, "%s%s", prefix, s->help);
    wrapped(f, text, col, 23);
}

static void process_list(FILE *f)
{
    fprintf(f, "\nprocesses (--process) [zprime]:\n");
    for (int i = 0; i < MUE_NPROC; i++) {
        const mue_process_info *p = &mue_process_table[i];
        fprintf(f, "  %-10s %s\n", p->name, p->summary);
        fprintf(f, "  %-10s histograms:", "");
        int col = 24;
        for (int k = 0; k < p->nobs; k++) {
            char o[96];
            int n = snprintf(o, sizeof o, " %s [%g:%g %s]", p->obs[k].name, p->obs[k].lo,
                             p->obs[k].hi, p->obs[k].unit);
            if (col + n > 88) {
                fprintf(f, "\n%24s", "");
                col = 24;
            }
            fputs(o, f);
            col += n;
        }
        fputc('\n', f);
    }
}

char *mue_settings_help(int cmd)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return NULL;
    size_t ci = 0;
    while (ci < sizeof commands / sizeof commands[0] && commands[ci].cmd != cmd)
        ci++;
    if (ci == sizeof commands / sizeof commands[0]) {
        fclose(f);
        free(buf);
        return NULL;
    }
    fprintf(f, "usage: %s\n\n%s\n", commands[ci].usage, commands[ci].about);
    if (cmd & MUE_CMD_RUNS)
        process_list(f);
    mue_setting rows[MUE_SETTINGS_MAX];
    const int n = mue_settings_all_rows(rows, MUE_SETTINGS_MAX);
    const char *groups[16];
    int ng = 0;
    for (int i = 0; i < n; i++) {
        int seen = 0;
        for (int g = 0; g < ng; g++)
            seen |= groups[g] == rows[i].group || strcmp(groups[g], rows[i].group) == 0;
        if (!seen && ng < 16 && (rows[i].cmds & cmd))
            groups[ng++] = rows[i].group;
    }
    int has_detector = 0, has_beam_model = 0;
    for (int g = 0; g < ng; g++) {
        fprintf(f, "\n%s:\n", groups[g]);
        for (int i = 0; i < n; i++) {
            const mue_setting *s = &rows[i];
            if (!(s->cmds & cmd) || strcmp(s->group, groups[g]) != 0)
                continue;
            char prefix[64] = "";
            if (s->process >= 0)
                snprintf(prefix, sizeof prefix, "%s: ", mue_process_name((mue_process_id)s->process));
            option_line(f, s, prefix);
            has_detector |= strcmp(s->name, "detector") == 0;
            has_beam_model |= strcmp(s->name, "beam-model") == 0;
        }
    }
    fprintf(f, "  --help               this text\n");
    if (has_detector)
        fprintf(f, "\n%s", mue_detector_help);
    if (has_beam_model)
        fprintf(f, "\n%s", mue_beam_model_help);
    if (cmd & MUE_CMD_ALL_RUNS) {
        fprintf(f, "\nthis build's devices:");
        for (const mue_backend *const *b = mue_backends; *b; b++)
            if ((*b)->built)
                fprintf(f, " %s", (*b)->name);
        fprintf(f, "\n\nOutside the ranges above mue refuses the input (exit 2) instead of printing a\n"
                   "number double precision cannot give. A result whose error is rough carries a\n"
                   "WARNING line, and \"warnings\" in the JSON.\n");
    }
    fprintf(f, "\nexample: %s\n", commands[ci].example);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

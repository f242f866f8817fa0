/* The `mue` command: the list of subcommands and the dispatch to them (one file each,
 * cmd_*.c); the work is in the modules they call. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "version.h"

static const char usage_main[] =
    "usage: mue <command> [options]\n"
    "\n"
    "Monte Carlo for muon-electron scattering at MUonE (150 GeV mu on e at rest), on the\n"
    "CPU or a CUDA GPU: the L_mu - L_tau Z' signal mu e -> mu e Z' and the elastic\n"
    "process, with the selection of Asai et al., PRD 106, L051702 (2022).\n"
    "\n"
    "commands:\n"
    "  integrate   cross section, event count and lab distributions (VEGAS)\n"
    "  g2          Delta a_mu of the Z' and where it sits in the g-2 bands\n"
    "  scan        N_sig over the (m_Z', g) plane, with the g-2 bands (paper Fig. 3)\n"
    "  kinematics  E_e^min against the muon-angle threshold (paper Fig. 1)\n"
    "\n"
    "  mue <command> --help    options of one command\n"
    "  mue --version\n";

static const struct {
    const char *name;
    int (*run)(int, char **);
} commands[] = {{"integrate", mue_cmd_integrate},
                {"g2", mue_cmd_g2},
                {"scan", mue_cmd_scan},
                {"kinematics", mue_cmd_kinematics}};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("mue %s\n", MUE_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    return mue_cli_fail("unknown command '%s' (see mue --help)", cmd);
}

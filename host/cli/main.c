/* The `mue` command: the list of subcommands and the dispatch to them (one file each,
 * cmd_*.c); the work is in the modules they call. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "util/version.h"

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
    "  backgrounds signal against the backgrounds cut by cut, through a detector model\n"
    "  generate    unweighted (or weighted) events into LHEF or HepMC3 files\n"
    "\n"
    "  mue <command> --help    options of one command\n"
    "  mue --version\n";

static const struct {
    const char *name;
    int (*run)(int, char **);
} commands[] = {{"integrate", mue_cmd_integrate},
                {"g2", mue_cmd_g2},
                {"scan", mue_cmd_scan},
                {"kinematics", mue_cmd_kinematics},
                {"backgrounds", mue_cmd_backgrounds},
                {"generate", mue_cmd_generate}};

/* A command's results went to stdout: if they did not all arrive (a full disk, a
 * closed pipe or descriptor), the run failed, whatever the command returned. */
static int finish(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        int e = errno;
        fprintf(stderr, "mue: writing the results to standard output failed: %s\n", strerror(e));
        return rc ? rc : 2;
    }
    return rc;
}

static int fd_closed(int fd)
{
    return fcntl(fd, F_GETFD) < 0 && errno == EBADF;
}

/* A closed standard descriptor would be taken by the next file mue opens (a result
 * file would receive the printout): each gets /dev/null, lowest first, as open() hands
 * out the lowest free number. 1 if stdout was closed. */
static int guard_std_fds(void)
{
    int out_closed = 0;
    for (int fd = 0; fd <= 2; fd++)
        if (fd_closed(fd)) {
            out_closed |= fd == 1;
            if (open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
                return 1;
        }
    return out_closed;
}

int main(int argc, char **argv)
{
    if (guard_std_fds())
        return mue_cli_fail("standard output is closed: the results would be lost");
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        return finish(0);
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("mue %s\n", MUE_VERSION);
        return finish(0);
    }

    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return finish(commands[i].run(argc - 1, argv + 1));
    return mue_cli_fail("unknown command '%s' (see mue --help)", cmd);
}

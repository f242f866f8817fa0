/* `mue <command> [options]`: the options of the command line become option/value pairs
 * of a library run (include/mue.h), which checks them against the run description;
 * the result's text goes to stdout, a refusal to stderr as one line, exit status 2. */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mue.h"

static const char usage_main[] =
    "usage: mue <command> [options]\n"
    "\n"
    "Monte Carlo for muon-electron scattering at MUonE (150 GeV mu on e at rest), on the\n"
    "CPU, a CUDA GPU or an MPI job: the L_mu - L_tau Z' signal mu e -> mu e Z', the elastic\n"
    "process and the Standard Model backgrounds, with the selection of Asai et al., PRD 106,\n"
    "L051702 (2022).\n"
    "\n"
    "commands:\n"
    "  integrate   cross section, event count and lab distributions (VEGAS+)\n"
    "  scan        the event count over the (mass, coupling) plane, with the g-2 bands\n"
    "  generate    unweighted (or weighted) events into LHEF or HepMC3 files\n"
    "  backgrounds signals against the backgrounds cut by cut, through a detector model\n"
    "  sensitivity expected limits and discovery reach in (mass, coupling), with backgrounds\n"
    "  g2          Delta a_mu of the Z' and where it sits in the g-2 bands\n"
    "  kinematics  E_e^min against the muon-angle threshold (paper Fig. 1)\n"
    "\n"
    "  mue <command> --help    options of one command\n"
    "  mue --version           version, commit and the backends of this build\n";

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

static int fd_closed(int fd) { return fcntl(fd, F_GETFD) < 0 && errno == EBADF; }

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

static int fail(const char *msg)
{
    fprintf(stderr, "mue: %s\n", msg);
    return 2;
}

typedef struct {
    int quiet, tty;
} talk;

/* progress lines on a terminal only, notices unless --quiet */
static void on_message(void *ctx, int kind, const char *line)
{
    const talk *t = ctx;
    if (t->quiet || (kind == MUE_MSG_PROGRESS && !t->tty))
        return;
    fprintf(stderr, "%s\n", line);
}

/* The first Ctrl-C asks the run to stop at its next iteration (no half-written file);
 * a second one kills, as the default would. */
static mue_run *volatile running;
static void on_sigint(int sig)
{
    (void)sig;
    if (running)
        mue_run_cancel(running);
    signal(SIGINT, SIG_DFL);
}

/* argv's options into run: --name value, --name=value, or --name for a flag. */
static int parse(mue_run *run, const char *cmd, int argc, char **argv, talk *t)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0 || !a[2]) {
            fprintf(stderr, "mue: %s: unexpected argument '%s'\n", cmd, a);
            return 2;
        }
        char name[128];
        const char *eq = strchr(a, '='), *value = NULL;
        snprintf(name, sizeof name, "%.*s", (int)(eq ? eq - a - 2 : (long)strlen(a + 2)), a + 2);
        int takes = mue_option_takes_value(cmd, name);
        if (takes < 0 || (takes == 0 && eq) || (takes == 1 && !eq && i + 1 >= argc)) {
            fprintf(stderr, "mue %s: unknown or incomplete option '%s' (see mue %s --help)\n", cmd, a,
                    cmd);
            return 2;
        }
        if (takes == 1)
            value = eq ? eq + 1 : argv[++i];
        t->quiet |= strcmp(name, "quiet") == 0;
        if (mue_run_set(run, name, value))
            return fail(mue_run_error(run));
    }
    return 0;
}

static int run_command(const char *cmd, int argc, char **argv, struct mue_comm *comm)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            mue_run *h = mue_run_new(cmd);
            fputs(mue_run_help(h), stdout);
            mue_run_free(h);
            return 0;
        }
    mue_run *run = mue_run_new(cmd);
    if (!run)
        return fail("out of memory");
    talk t = {0, isatty(STDERR_FILENO)};
    int rc = parse(run, cmd, argc, argv, &t);
    mue_result *res = NULL;
    if (!rc) {
        mue_run_on_message(run, on_message, &t);
        if (comm)
            mue_run_use_comm(run, comm);
        running = run;
        signal(SIGINT, on_sigint);
        rc = mue_run_execute(run, &res) ? fail(mue_run_error(run)) : 0;
        signal(SIGINT, SIG_DFL);
        running = NULL;
    }
    if (!rc)
        fputs(mue_result_text(res), stdout);
    mue_result_free(res);
    mue_run_free(run);
    return rc;
}

int mue_cli_main(int argc, char **argv, struct mue_comm *comm)
{
    /* a file past the size limit (ulimit -f) is a failed write with EFBIG, reported and
     * cleaned up like a full disk, not a death by signal */
    signal(SIGXFSZ, SIG_IGN);
    if (guard_std_fds())
        return fail("standard output is closed: the results would be lost");
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
        const char *info = mue_build_info();
        if (comm) /* inside the parentheses: "...; backends: cpu gpu; MPI)" */
            printf("%.*s; MPI)\n", (int)strlen(info) - 1, info);
        else
            printf("%s\n", info);
        return finish(0);
    }
    for (const char *const *c = mue_commands(); *c; c++)
        if (strcmp(cmd, *c) == 0)
            return finish(run_command(cmd, argc - 2, argv + 2, comm));
    fprintf(stderr, "mue: unknown command '%s' (see mue --help)\n", cmd);
    return 2;
}

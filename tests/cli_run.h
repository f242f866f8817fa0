/* Running the built `mue` as a user does, for the command-line tests: each run's exit
 * status, stdout and stderr, with a time limit; a scratch directory per test program;
 * and the checks every bad input must pass. Included by test_cli.c and
 * test_hardening.c (static functions: one copy per program). */
#ifndef MUE_TEST_CLI_RUN_H
#define MUE_TEST_CLI_RUN_H

#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#define MAXARGS 48
#define RUN_TIMEOUT 30.0 /* seconds; every run here takes well under one */
#define FAST_TIMEOUT 5.0 /* a run that must fail before integrating a huge budget */

/* a small budget: each successful run takes a few hundredths of a second */
#define SMALL "--points", "20000", "--iterations", "2", "--warmup", "1", "--rel-error", "0"
/* a budget that takes minutes: a run given it must fail before integrating */
#define HUGE "--points", "1e9", "--iterations", "1000", "--warmup", "0", "--rel-error", "0"

static char scratch[4096]; /* per-program temporary directory */
static int scratch_seq;
/* for the next runs: stdout to a file (0), to /dev/full (1) or closed (2); and
 * NAME=VALUE put into the child's environment (0: none) */
static int run_stdout_mode;
static const char *run_env;
/* for the next runs, when > 0: the largest file the child may write (RLIMIT_FSIZE),
 * SIGXFSZ left at its default (which kills): mue must ignore it and see the write fail,
 * as on a full disk. stderr is then a pipe, which the limit does not cut. */
static long run_fsize;

typedef struct {
    int exited, code;     /* normal exit and its status */
    int signaled, sig;    /* killed by a signal */
    int timed_out;
    char *out, *err;      /* captured stdout, stderr (NUL-terminated) */
    char cmd[2048];       /* the command line, for messages */
} run_t;

/* The CPU-only build by default: its --device auto answers the same on any machine,
 * GPU or not (build/mue, with CUDA, would run on a GPU where there is one). */
__attribute__((unused)) static const char *mue_bin(void)
{
    const char *b = getenv("MUE_BIN");
    return b && *b ? b : "build/mue-cpu";
}

__attribute__((unused)) static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

__attribute__((unused)) static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    for (size_t k; (k = fread(s + n, 1, cap - n - 1, f)) > 0;) {
        n += k;
        if (cap - n - 1 == 0) {
            cap *= 2;
            s = realloc(s, cap);
            assert_non_null(s);
        }
    }
    s[n] = '\0';
    fclose(f);
    return s;
}

__attribute__((unused)) static void run_free(run_t *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* Appends chunk to a growing string. */
__attribute__((unused)) static void append(char **s, size_t *n, const char *buf, size_t k)
{
    *s = realloc(*s, *n + k + 1);
    assert_non_null(*s);
    memcpy(*s + *n, buf, k);
    *n += k;
    (*s)[*n] = '\0';
}

/* Appends what the pseudo-terminal master holds, waiting up to wait_ms for more. */
__attribute__((unused)) static void read_pty(int master, int wait_ms, char **text, size_t *n)
{
    struct pollfd p = {master, POLLIN, 0};
    while (poll(&p, 1, wait_ms) > 0 && (p.revents & POLLIN)) {
        char buf[4096];
        ssize_t k = read(master, buf, sizeof buf);
        if (k <= 0)
            break;
        append(text, n, buf, (size_t)k);
    }
}

/* Runs mue with args (NULL-terminated). stdout and stderr go to files, or stderr to a
 * pseudo-terminal when tty_err (then returns 0 without running if no pty is available).
 * Returns 1 if it ran. */
__attribute__((unused)) static int run_mue_ex(run_t *r, const char *const *args, double timeout, int tty_err)
{
    memset(r, 0, sizeof *r);
    const char *argv[MAXARGS + 2];
    int na = 0;
    argv[na++] = mue_bin();
    size_t len = (size_t)snprintf(r->cmd, sizeof r->cmd, "%s", mue_bin());
    for (; args[na - 1]; na++) {
        assert_true(na <= MAXARGS);
        argv[na] = args[na - 1];
        if (len < sizeof r->cmd)
            len += (size_t)snprintf(r->cmd + len, sizeof r->cmd - len, " %s", argv[na]);
    }
    argv[na] = NULL;

    char outp[4200], errp[4200];
    int seq = scratch_seq++;
    snprintf(outp, sizeof outp, "%s/io/out.%d", scratch, seq);
    snprintf(errp, sizeof errp, "%s/io/err.%d", scratch, seq);
    int fo = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int fe = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fo >= 0 && fe >= 0);

    int master = -1, errpipe[2] = {-1, -1};
    const char *slave = NULL;
    if (run_fsize > 0 && !tty_err)
        assert_int_equal(pipe(errpipe), 0);
    if (tty_err) {
        master = posix_openpt(O_RDWR | O_NOCTTY);
        if (master < 0 || grantpt(master) || unlockpt(master) || !(slave = ptsname(master))) {
            if (master >= 0)
                close(master);
            close(fo);
            close(fe);
            return 0;
        }
    }

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        if (in >= 0)
            dup2(in, 0);
        if (run_stdout_mode == 1) {
            int full = open("/dev/full", O_WRONLY);
            if (full < 0)
                _exit(126);
            dup2(full, 1);
        } else if (run_stdout_mode == 2)
            close(1);
        else
            dup2(fo, 1);
        if (run_env)
            putenv((char *)run_env);
        if (run_fsize > 0) {
            struct rlimit rl = {(rlim_t)run_fsize, (rlim_t)run_fsize};
            signal(SIGXFSZ, SIG_DFL);
            if (setrlimit(RLIMIT_FSIZE, &rl))
                _exit(126);
        }
        if (tty_err) {
            setsid();
            int s = open(slave, O_RDWR | O_NOCTTY);
            if (s < 0)
                _exit(126);
            dup2(s, 2);
        } else {
            dup2(errpipe[1] >= 0 ? errpipe[1] : fe, 2);
        }
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(fo);
    close(fe);
    if (errpipe[1] >= 0)
        close(errpipe[1]);

    char *tty_text = NULL;
    size_t tty_n = 0;
    double t0 = now();
    int status = 0;
    for (;;) {
        if (master >= 0) {
            read_pty(master, 0, &tty_text, &tty_n);
        }
        pid_t w = waitpid(pid, &status, WNOHANG);
        assert_true(w >= 0);
        if (w == pid)
            break;
        if (now() - t0 > timeout) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            r->timed_out = 1;
            break;
        }
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
    if (master >= 0) {
        read_pty(master, 50, &tty_text, &tty_n); /* what the child wrote before it exited */
        close(master);
    }
    r->exited = WIFEXITED(status);
    r->code = r->exited ? WEXITSTATUS(status) : -1;
    r->signaled = WIFSIGNALED(status);
    r->sig = r->signaled ? WTERMSIG(status) : 0;
    r->out = slurp(outp);
    if (errpipe[0] >= 0) {
        /* the child is gone: what it wrote is in the pipe (a few lines, below its size) */
        tty_text = strdup("");
        tty_n = 0;
        char buf[4096];
        for (ssize_t k; (k = read(errpipe[0], buf, sizeof buf)) > 0;)
            append(&tty_text, &tty_n, buf, (size_t)k);
        close(errpipe[0]);
    }
    r->err = tty_err || errpipe[0] >= 0 ? (tty_text ? tty_text : strdup("")) : slurp(errp);
    assert_non_null(r->out);
    assert_non_null(r->err);
    unlink(outp);
    unlink(errp);
    return 1;
}

__attribute__((unused)) static void run_mue(run_t *r, const char *const *args, double timeout)
{
    run_mue_ex(r, args, timeout, 0);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define RUN(r, ...) run_mue((r), ARGS(__VA_ARGS__), RUN_TIMEOUT)

/* On a failed check: the command and what it printed, then the reason. */
#define CHECK(r, cond, ...)                                                                    \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            print_error("command: %s\nexit: %s %d%s\n--- stdout:\n%s--- stderr:\n%s---\n",     \
                        (r)->cmd, (r)->exited ? "status" : "signal",                           \
                        (r)->exited ? (r)->code : (r)->sig, (r)->timed_out ? " (timed out)" : "", \
                        (r)->out ? (r)->out : "", (r)->err ? (r)->err : "");                   \
            fail_msg(__VA_ARGS__);                                                             \
        }                                                                                      \
    } while (0)

/* The "sigma  = X +- Y fb" line of an integrate run ("sigma  = 0 fb (exact: ..." where
 * the kinematics prove the zero): 1 if found. */
__attribute__((unused)) static int sigma_of(const char *out, double *sig, double *err)
{
    const char *l = strstr(out, "sigma  = ");
    if (l && strncmp(l, "sigma  = 0 fb (exact", 20) == 0)
        return *sig = *err = 0.0, 1;
    return l && sscanf(l, "sigma  = %lf +- %lf", sig, err) == 2;
}

/* Runs a shell command (a reader of the event files, tests/check_event_files.py), its
 * output into out; returns its exit status as pclose gives it. */
__attribute__((unused)) static int run_checker(const char *cmd, char *out, size_t len)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t got = fread(out, 1, len - 1, p);
    out[got] = '\0';
    return pclose(p);
}

__attribute__((unused)) static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

__attribute__((unused)) static int contains_ci(const char *hay, const char *needle)
{
    return strcasestr(hay, needle) != NULL;
}

__attribute__((unused)) static int word_char(int c) { return isalnum(c) || c == '_'; }

/* Is there a word nan, inf or infinity (any case, any sign) in s? "nan_weights" is
 * no such word. */
__attribute__((unused)) static int has_nonfinite_word(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (!word_char((unsigned char)*p) || (p > s && word_char((unsigned char)p[-1])))
            continue;
        size_t n = 0;
        while (word_char((unsigned char)p[n]))
            n++;
        if ((n == 3 && (strncasecmp(p, "nan", 3) == 0 || strncasecmp(p, "inf", 3) == 0)) ||
            (n == 8 && strncasecmp(p, "infinity", 8) == 0))
            return 1;
    }
    return 0;
}

__attribute__((unused)) static void expect_success(const run_t *r)
{
    CHECK(r, !r->timed_out, "timed out");
    CHECK(r, !r->signaled, "killed by signal %d", r->sig);
    CHECK(r, r->exited && r->code == 0, "exit status %d, expected 0", r->code);
}

/* Non-zero exit, not by a signal; exactly one line on stderr holding every needle;
 * nothing on stdout. */
__attribute__((unused)) static void expect_failure(const run_t *r, const char *const *needles)
{
    CHECK(r, !r->timed_out, "timed out: a bad input must be refused at once");
    CHECK(r, !r->signaled, "crashed: killed by signal %d", r->sig);
    CHECK(r, r->exited && r->code != 0, "exit status 0 on bad input");
    CHECK(r, r->code != 127 && r->code != 126, "could not run %s (set MUE_BIN?)", mue_bin());
    CHECK(r, !contains_ci(r->out, "nan") && !contains_ci(r->out, "inf"),
          "stdout mentions nan/inf");
    CHECK(r, r->out[0] == '\0', "stdout is not empty on bad input");
    size_t n = strlen(r->err);
    CHECK(r, n > 0 && r->err[n - 1] == '\n' && count_lines(r->err) == 1,
          "stderr is not exactly one line");
    for (; needles && *needles; needles++)
        CHECK(r, strstr(r->err, *needles) != NULL, "the message does not contain '%s'",
              *needles);
}

/* ------------------------------------------------------------------------------------ */
/* scratch directories */

__attribute__((unused)) static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

__attribute__((unused)) static void make_dir(char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s", scratch, name);
    assert_int_equal(mkdir(out, 0700), 0);
}

/* Number of entries in dir (without . and ..), names into list. */
__attribute__((unused)) static int dir_entries(const char *dir, char *list, size_t len)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    size_t used = 0;
    if (len)
        list[0] = '\0';
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n++;
        if (used < len)
            used += (size_t)snprintf(list + used, len - used, "%s ", e->d_name);
    }
    closedir(d);
    return n;
}

__attribute__((unused)) static int path_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

__attribute__((unused)) static int group_setup(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/mue_test_cli_XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(scratch))
        return -1;
    char io[4200];
    snprintf(io, sizeof io, "%s/io", scratch);
    if (mkdir(io, 0700))
        return -1;
    if (access(mue_bin(), X_OK)) {
        fprintf(stderr, "test_cli: %s is not an executable (run `make all` from the repo root, "
                        "or set MUE_BIN)\n",
                mue_bin());
        return -1;
    }
    return 0;
}

__attribute__((unused)) static int group_teardown(void **state)
{
    (void)state;
    if (scratch[0])
        nftw(scratch, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

#endif

#include "util/afile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* The directory part of path ("." when there is none) into dir. */
static int dir_of(const char *path, char *dir, size_t len)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return snprintf(dir, len, ".") >= (int)len ? -1 : 0;
    if (slash == path)
        return snprintf(dir, len, "/") >= (int)len ? -1 : 0;
    return snprintf(dir, len, "%.*s", (int)(slash - path), path) >= (int)len ? -1 : 0;
}

/* Temporaries are ".mue-tmp.HOST.PID.N" beside the target: short whatever the target's
 * name (a 255-character name has room for no suffix), and recognisable, so that those a
 * killed run left behind are removed by the next one that writes there. HOST, because
 * on a shared file system (a cluster) a PID says nothing about another machine's
 * processes. */
#define TMP_PREFIX ".mue-tmp."

static void this_host(char *h, size_t len)
{
    if (gethostname(h, len) != 0)
        snprintf(h, len, "localhost");
    h[len - 1] = '\0';
    for (char *c = h; *c; c++)
        if (*c == '/')
            *c = '_';
}

/* The PID of a temporary this machine made, from its name; 0 if it is not one. */
static long temporary_pid(const char *name, const char *host)
{
    size_t np = strlen(TMP_PREFIX), nh = strlen(host);
    if (strncmp(name, TMP_PREFIX, np) != 0 || strncmp(name + np, host, nh) != 0 ||
        name[np + nh] != '.')
        return 0;
    long pid;
    char rest;
    if (sscanf(name + np + nh + 1, "%ld.%*d%c", &pid, &rest) != 1 || pid <= 0)
        return 0;
    return pid;
}

static void remove_stale_temporaries(const char *dir, const char *host)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d));) {
        long pid = temporary_pid(e->d_name, host);
        if (pid <= 0 || pid == getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* its writer still runs (or is not ours to judge) */
        char p[8192];
        if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) < (int)sizeof p)
            unlink(p);
    }
    closedir(d);
}

/* Where a file named path really goes: an existing symbolic link's target (the link
 * stays a link, its file is replaced), else path itself. */
static int write_target(const char *path, char *out, size_t len)
{
    char link_[4096], next[8192];
    if (snprintf(link_, sizeof link_, "%s", path) >= (int)sizeof link_)
        return -1;
    /* follow the chain of links by hand: the last may point to nothing yet, and then
     * its target is the file to create */
    for (int hops = 0; hops < 40; hops++) {
        struct stat st;
        if (lstat(link_, &st) != 0 || !S_ISLNK(st.st_mode))
            return snprintf(out, len, "%s", link_) >= (int)len ? -1 : 0;
        char to[4096];
        ssize_t n = readlink(link_, to, sizeof to - 1);
        if (n <= 0)
            return -1;
        to[n] = '\0';
        char dir[4096];
        if (to[0] == '/' || dir_of(link_, dir, sizeof dir))
            snprintf(next, sizeof next, "%s", to);
        else
            snprintf(next, sizeof next, "%s/%s", dir, to);
        if (strlen(next) >= sizeof link_)
            return -1;
        memcpy(link_, next, strlen(next) + 1);
    }
    errno = ELOOP;
    return -1;
}

int mue_afile_open(mue_afile *a, const char *path)
{
    static int seq; /* only to make the names of one process's temporaries differ */
    char dir[4096], host[64];
    struct stat st;
    this_host(host, sizeof host);
    if (!path[0] || write_target(path, a->path, sizeof a->path) || dir_of(a->path, dir, sizeof dir) ||
        snprintf(a->tmp, sizeof a->tmp, "%s/" TMP_PREFIX "%s.%ld.%d", dir, host, (long)getpid(),
                 __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED)) >= (int)sizeof a->tmp)
        return -1;
    remove_stale_temporaries(dir, host);
    a->f = fopen(a->tmp, "w");
    /* a file replaced keeps its permissions */
    if (a->f && stat(a->path, &st) == 0 && S_ISREG(st.st_mode))
        fchmod(fileno(a->f), st.st_mode & 07777);
    return a->f ? 0 : -1;
}

int mue_afile_close(mue_afile *a)
{
    int bad = ferror(a->f), e = errno;
    if (fclose(a->f) != 0)
        bad = 1, e = errno;
    a->f = NULL;
    if (bad && a->tmp[0])
        unlink(a->tmp);
    errno = bad ? (e ? e : EIO) : errno; /* the write's reason, not the unlink's */
    return bad ? -1 : 0;
}

int mue_afile_commit(mue_afile *a)
{
    if (mue_afile_close(a))
        return -1;
    if (!a->tmp[0] || rename(a->tmp, a->path) == 0)
        return 0;
    int e = errno;
    unlink(a->tmp);
    errno = e;
    return -1;
}

const char *mue_write_error(void) { return strerror(errno ? errno : EIO); }

void mue_afile_abort(mue_afile *a)
{
    int e = errno;
    if (a->f)
        fclose(a->f);
    a->f = NULL;
    if (a->tmp[0])
        unlink(a->tmp);
    errno = e;
}

int mue_path_check(const char *path, char *why, size_t len)
{
    struct stat st;
    if (!path[0])
        return snprintf(why, len, "the name is empty"), -1;
    if (strlen(path) >= sizeof(((mue_afile *)0)->path))
        return snprintf(why, len, "the name is longer than %zu characters",
                        sizeof(((mue_afile *)0)->path) - 1), -1;
    /* the final rename cannot replace a directory, device or fifo; a file without any
     * write bit is the user's "keep this", honoured even where the owner (root) could
     * write it anyway */
    if (stat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return snprintf(why, len, "'%s' exists and is not a regular file", path), -1;
        if (!(st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)) || access(path, W_OK) != 0)
            return snprintf(why, len, "'%s' is read-only: mue does not replace it", path), -1;
    }
    /* the temporary's name is short: the final rename is the first to meet a name
     * longer than the file system allows */
    char dir[4096];
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    long name_max = dir_of(path, dir, sizeof dir) ? -1 : pathconf(dir, _PC_NAME_MAX);
    if (!base[0])
        return snprintf(why, len, "'%s' names a directory, not a file", path), -1;
    if (name_max > 0 && strlen(base) > (size_t)name_max)
        return snprintf(why, len, "the file name in '%s' is longer than %ld bytes", path,
                        name_max), -1;
    mue_afile a;
    if (mue_afile_open(&a, path))
        return snprintf(why, len, "cannot write '%s': %s", path, strerror(errno)), -1;
    mue_afile_abort(&a);
    return 0;
}

int mue_dir_ready(const char *dir)
{
    struct stat st;
    if (!dir[0])
        return -1;
    /* another process may create it at the same moment: EEXIST is success */
    if (stat(dir, &st) != 0 && (errno != ENOENT || (mkdir(dir, 0777) != 0 && errno != EEXIST)))
        return -1;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK) != 0)
        return -1;
    return 0;
}

/* The holder of a flock on the file (dev, ino), from /proc/locks; 0 if not found. */
static long lock_holder(dev_t dev, ino_t ino)
{
    FILE *f = fopen("/proc/locks", "r");
    if (!f)
        return 0;
    char line[512];
    long who = 0;
    while (!who && fgets(line, sizeof line, f)) {
        unsigned maj, min;
        unsigned long long in;
        long pid;
        char kind[16];
        if (sscanf(line, "%*[^:]: %15s %*s %*s %ld %x:%x:%llu", kind, &pid, &maj, &min, &in) == 5 &&
            strcmp(kind, "FLOCK") == 0 && in == (unsigned long long)ino &&
            maj == (unsigned)major(dev) && min == (unsigned)minor(dev))
            who = pid;
    }
    fclose(f);
    return who;
}

int mue_dir_lock(const char *dir, char *why, size_t len)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return snprintf(why, len, "'%s' is not a directory", dir), -1;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return fd; /* held until the process ends */
    struct stat st;
    long who = fstat(fd, &st) == 0 ? lock_holder(st.st_dev, st.st_ino) : 0;
    close(fd);
    if (who > 0)
        snprintf(why, len, "'%s' is in use by another mue (pid %ld); wait for it or use another "
                           "directory",
                 dir, who);
    else
        snprintf(why, len, "'%s' is in use by another mue; wait for it or use another directory", dir);
    return -1;
}

/* path's file as a name: its resolved directory and its base name (or a symbolic
 * link's target, resolved) */
static int resolved_name(const char *path, char *out, size_t len)
{
    char d[4096], rd[PATH_MAX];
    if (realpath(path, rd)) /* it exists: links and dots resolved */
        return snprintf(out, len, "%s", rd) >= (int)len ? -1 : 0;
    if (dir_of(path, d, sizeof d) || !realpath(d, rd))
        return -1;
    const char *b = strrchr(path, '/');
    return snprintf(out, len, "%s/%s", rd, b ? b + 1 : path) >= (int)len ? -1 : 0;
}

int mue_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0) /* both exist: the same inode? */
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    char ra[PATH_MAX + 256], rb[PATH_MAX + 256];
    if (resolved_name(a, ra, sizeof ra) || resolved_name(b, rb, sizeof rb))
        return strcmp(a, b) == 0;
    return strcmp(ra, rb) == 0;
}


/* Files a reader never sees half-written: written under a temporary name beside the
 * target and renamed into place when complete; and the checks on output paths that
 * come before any compute is spent (writable, distinct, a directory locked for a run). */
#ifndef MUE_AFILE_H
#define MUE_AFILE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    FILE *f;
    char tmp[4096];
    char path[4096];
} mue_afile;

/* Opens a temporary beside path (".mue-tmp.HOST.PID.N"; temporaries of writers that are
 * gone are removed first) for writing; 0 on success. A path that is a symbolic link is
 * written through: the link's target is replaced and the link stays; a file replaced
 * keeps its permissions. */
int mue_afile_open(mue_afile *a, const char *path);
/* Closes and renames into place; on any error removes the temporary and returns -1. */
int mue_afile_commit(mue_afile *a);
/* Closes and checks, without the rename (files written as a set); on an error removes
 * the temporary and returns -1. */
int mue_afile_close(mue_afile *a);
void mue_afile_abort(mue_afile *a);
/* Why the last write failed, after a -1 of the functions above ("File too large"). */
const char *mue_write_error(void);
/* Can a file be written at path: its directory exists and is writable, and a file there
 * is a regular file with a write bit (a read-only file is refused, for root too)? 0, or
 * -1 with a one-line reason in why. */
int mue_path_check(const char *path, char *why, size_t len);
/* Creates dir if missing; 0 if it is (now) a writable directory. */
int mue_dir_ready(const char *dir);
/* An exclusive lock on an output directory for the rest of the process (flock): the
 * descriptor, or -1 with a one-line reason (naming the holder's pid) in why. */
int mue_dir_lock(const char *dir, char *why, size_t len);
/* Do the two paths name the same file: the same inode when both exist (links, hard
 * links and dots see through), else the same resolved name? */
int mue_same_file(const char *a, const char *b);

#ifdef __cplusplus
}
#endif

#endif

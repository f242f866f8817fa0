#include "vegas/comm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One process: rank 0 of 1, every collective a copy or nothing. */
static int single_bcast(mue_comm *c, void *buf, size_t n)
{
    (void)c, (void)buf, (void)n;
    return 0;
}

static int single_gatherv(mue_comm *c, const void *send, size_t n, void *recv, const size_t *counts,
                          const size_t *displs)
{
    (void)c, (void)counts;
    char *dst = (char *)recv + displs[0];
    if (n && dst != send)
        memmove(dst, send, n);
    return 0;
}

static int single_max_int(mue_comm *c, int v, int *out)
{
    (void)c;
    *out = v;
    return 0;
}

/* Nothing of it changes: its collectives neither count nor quit. */
static mue_comm single = {"single", 0, 1, 0, 1, single_bcast, single_gatherv, single_max_int,
                          0, 0, 0, {0, 0.0, 0}};

mue_comm *mue_comm_or_single(mue_comm *c) { return c ? c : &single; }


enum { WORD_GO = 1, WORD_QUIT = 2 };
typedef struct {
    int32_t word, rc;
} word_msg;

int mue_comm_begin(mue_comm *c)
{
    if (c->size == 1)
        return 0;
    if (c->rank != 0 && c->quit)
        return -1;
    word_msg m = {WORD_GO, 0};
    if (c->bcast(c, &m, sizeof m) || m.word != WORD_GO) {
        c->quit = 1;
        c->quit_rc = m.word == WORD_QUIT && m.rc ? m.rc : 1;
        return -1;
    }
    return 0;
}

void mue_comm_finish(mue_comm *c, int rc)
{
    if (c->size == 1 || (c->rank != 0 && c->quit))
        return;
    word_msg m = {WORD_QUIT, rc};
    c->bcast(c, &m, sizeof m);
    c->quit = 1;
}

#define WHY_MAX 400
typedef struct {
    int32_t rc;
    char why[WHY_MAX];
} status_msg;

int mue_comm_status(mue_comm *c, int rc, char *why, size_t len)
{
    if (c->size == 1)
        return rc;
    status_msg *all = c->rank == 0 ? calloc((size_t)c->size, sizeof *all) : NULL;
    status_msg mine = {rc, ""};
    if (rc)
        snprintf(mine.why, sizeof mine.why, "%s", why);
    size_t counts[4096], displs[4096];
    int n = c->size < 4096 ? c->size : 4096;
    for (int r = 0; r < n; r++) {
        counts[r] = sizeof(status_msg);
        displs[r] = (size_t)r * sizeof(status_msg);
    }
    status_msg out = {0, ""};
    if (c->size > 4096 || (c->rank == 0 && !all) ||
        c->gatherv(c, &mine, sizeof mine, all, counts, displs)) {
        out.rc = 1;
        snprintf(out.why, sizeof out.why, "the ranks could not exchange their status");
    } else if (c->rank == 0)
        for (int r = 0; r < n && !out.rc; r++)
            if (all[r].rc) {
                out.rc = all[r].rc;
                all[r].why[WHY_MAX - 1] = 0;
                if (r == 0)
                    snprintf(out.why, sizeof out.why, "%.*s", WHY_MAX - 1, all[r].why);
                else
                    snprintf(out.why, sizeof out.why, "rank %d: %.*s", r, WHY_MAX - 20, all[r].why);
            }
    free(all);
    if (c->bcast(c, &out, sizeof out) && !out.rc) {
        out.rc = 1;
        snprintf(out.why, sizeof out.why, "the ranks could not exchange their status");
    }
    if (out.rc)
        snprintf(why, len, "%s", out.why);
    return out.rc;
}

int mue_comm_agree(mue_comm *c, uint64_t hash, const char *what, char *why, size_t len)
{
    if (c->size == 1)
        return 0;
    uint64_t mine = hash, lead = mine;
    int rc = c->bcast(c, &lead, sizeof lead) ? 1 : 0;
    if (rc)
        snprintf(why, len, "the ranks could not exchange their %s", what);
    else if (lead != mine) {
        rc = 2;
        snprintf(why, len,
                 "its build of mue or its %s differ from rank 0's (hash %016llx, rank 0 %016llx): "
                 "start every rank with the same mue-mpi and the same arguments",
                 what, (unsigned long long)mine, (unsigned long long)lead);
    }
    return mue_comm_status(c, rc, why, len);
}

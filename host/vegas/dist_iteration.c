#include "vegas/dist_iteration.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vegas/iteration.h"

enum { OP_ITER = 1, OP_STOP = 2, OP_ABORT = 3 };

/* What rank 0 sends before each iteration (then the edges, then the offsets). */
typedef struct {
    int32_t op, ndim, nbins, hist, has_offset, has_box_var;
    uint32_t iter, nstrat, per_box, pad;
    uint64_t npoints, nboxes;
} iter_msg;

/* What each rank sends first in the gather: its backend's outcome. */
typedef struct {
    int32_t rc;
    char err[300];
} rank_status;

int mue_dist_iteration_init(mue_dist_iteration *d, mue_comm *c, mue_evaluator ev,
                            const mue_hist_spec *hs)
{
    memset(d, 0, sizeof *d);
    d->comm = c;
    d->ev = ev;
    d->hs = hs;
    d->kill_iter = -1;
    /* test hook: this rank dies (SIGKILL) when iteration ITER reaches it, as a node
     * would, so that the tests see what the job does then */
    const char *k = getenv("MUE_TEST_KILL_RANK");
    int kr, ki;
    if (k && sscanf(k, "%d:%d", &kr, &ki) == 2 && kr == c->rank && kr != 0)
        d->kill_iter = ki;
    d->slot = malloc(sizeof(mue_acc) * MUE_SLICES_MAX);
    return d->slot ? 0 : -1;
}

void mue_dist_iteration_free(mue_dist_iteration *d)
{
    free(d->slot);
    free(d->offset);
    free(d->box_var);
    free(d->buf);
    memset(d, 0, sizeof *d);
}

static int fail(mue_dist_iteration *d, const char *what)
{
    snprintf(d->err, sizeof d->err, "%s", what);
    return -1;
}

static int reserve_buf(mue_dist_iteration *d, size_t n)
{
    if (n <= d->bufcap)
        return 0;
    unsigned char *b = realloc(d->buf, n);
    if (!b)
        return -1;
    d->buf = b;
    d->bufcap = n;
    return 0;
}

/* The bytes of one slice's sums: only what mue_acc_merge reads (the bins in use). */
static size_t slot_bytes(const mue_vegas_grid *g, const mue_hist_spec *hs)
{
    return 8 * (5 + (size_t)g->ndim * g->nbins + (hs ? 2 * (size_t)hs->nobs * hs->nbins : 0));
}

static unsigned char *put(unsigned char *p, const void *v, size_t n)
{
    memcpy(p, v, n);
    return p + n;
}

static const unsigned char *get(const unsigned char *p, void *v, size_t n)
{
    memcpy(v, p, n);
    return p + n;
}

static unsigned char *pack(unsigned char *p, const mue_acc *a, const mue_vegas_grid *g,
                           const mue_hist_spec *hs)
{
    p = put(p, &a->sum_f, 8);
    p = put(p, &a->sum_f2, 8);
    p = put(p, &a->var_sum, 8);
    p = put(p, &a->n_nonzero, 8);
    p = put(p, &a->n_bad, 8);
    for (int d = 0; d < g->ndim; d++)
        p = put(p, a->d[d], 8 * (size_t)g->nbins);
    for (int k = 0; hs && k < hs->nobs; k++) {
        p = put(p, a->h[k], 8 * (size_t)hs->nbins);
        p = put(p, a->h2[k], 8 * (size_t)hs->nbins);
    }
    return p;
}

static const unsigned char *unpack(const unsigned char *p, mue_acc *a, const mue_vegas_grid *g,
                                   const mue_hist_spec *hs)
{
    p = get(p, &a->sum_f, 8);
    p = get(p, &a->sum_f2, 8);
    p = get(p, &a->var_sum, 8);
    p = get(p, &a->n_nonzero, 8);
    p = get(p, &a->n_bad, 8);
    for (int d = 0; d < g->ndim; d++)
        p = get(p, a->d[d], 8 * (size_t)g->nbins);
    for (int k = 0; hs && k < hs->nobs; k++) {
        p = get(p, a->h[k], 8 * (size_t)hs->nbins);
        p = get(p, a->h2[k], 8 * (size_t)hs->nbins);
    }
    return p;
}

/* The first slice of rank q among n slices shared by R ranks. */
static int share(int n, int R, int q) { return (int)((long long)q * n / R); }

/* Every rank: its slices of the iteration, then the gathers; rank 0 merges all slices
 * in slice order into *out. */
static int run(mue_dist_iteration *d, const mue_vegas_grid *g, uint32_t iter, uint64_t npoints,
               const mue_hist_spec *hs, mue_acc *out)
{
    mue_comm *c = d->comm;
    const int R = c->size, me = c->rank;
    mue_range r[MUE_SLICES_MAX];
    const int nr = mue_iteration_slices(g, npoints, r);
    const int k0 = share(nr, R, me), k1 = share(nr, R, me + 1);
    rank_status st = {0, ""};
    for (int k = k0; k < k1; k++)
        mue_acc_clear(&d->slot[k], g, hs);
    if (k1 > k0 && d->ev.eval(d->ev.ctx, g, iter, r + k0, k1 - k0, hs, d->slot + k0)) {
        const char *e = d->ev.error(d->ev.ctx);
        st.rc = 1;
        snprintf(st.err, sizeof st.err, "%s", e && e[0] ? e : "the backend failed");
    }
    /* rank 0's own slices stay where its backend put them; the others come packed */
    const size_t sb = slot_bytes(g, hs);
    size_t *cnt = calloc(4 * (size_t)R, sizeof *cnt);
    if (!cnt)
        return fail(d, "out of memory");
    size_t *dsp = cnt + R, *bcnt = cnt + 2 * R, *bdsp = cnt + 3 * R, total = 0;
    for (int q = 0; q < R; q++) {
        int a = share(nr, R, q), b = share(nr, R, q + 1);
        cnt[q] = sizeof st + (q ? (size_t)(b - a) * sb : 0);
        dsp[q] = total;
        total += cnt[q];
        bcnt[q] = b > a ? 8 * (r[b - 1].box + r[b - 1].nbox - r[a].box) : 0;
        bdsp[q] = b > a ? 8 * r[a].box : 0;
    }
    int rc = reserve_buf(d, me ? cnt[me] : total);
    if (!rc) {
        unsigned char *p = put(d->buf, &st, sizeof st);
        for (int k = k0; k < k1 && me; k++)
            p = pack(p, &d->slot[k], g, hs);
        rc = c->gatherv(c, d->buf, cnt[me], d->buf, cnt, dsp);
        if (!rc && g->box_var)
            rc = c->gatherv(c, (char *)g->box_var + bdsp[me], bcnt[me], g->box_var, bcnt, bdsp);
        if (rc)
            fail(d, "the ranks could not exchange an iteration's sums");
    } else
        fail(d, "out of memory");
    if (!rc && me == 0) {
        for (int q = 0; q < R && !rc; q++) {
            rank_status s;
            const unsigned char *p = get(d->buf + dsp[q], &s, sizeof s);
            if (s.rc) {
                s.err[sizeof s.err - 1] = 0;
                if (q)
                    snprintf(d->err, sizeof d->err, "rank %d: %s", q, s.err);
                else
                    snprintf(d->err, sizeof d->err, "%s", s.err);
                rc = -1;
            }
            for (int k = share(nr, R, q); k < share(nr, R, q + 1) && q && !rc; k++)
                p = unpack(p, &d->slot[k], g, hs);
        }
        for (int k = 0; k < nr && !rc; k++)
            mue_acc_merge(out, &d->slot[k], g, hs);
    }
    free(cnt);
    return rc ? -1 : 0;
}

int mue_dist_iterate(void *ctx, const mue_vegas_grid *g, uint32_t iter, uint64_t npoints,
                     const mue_hist_spec *hs, mue_acc *out)
{
    mue_dist_iteration *d = ctx;
    mue_comm *c = d->comm;
    iter_msg m = {OP_ITER, g->ndim, g->nbins, hs != NULL, g->offset != NULL, g->box_var != NULL,
                  iter, g->nstrat, g->per_box, 0, npoints, g->nboxes};
    const size_t eb = 8 * (size_t)g->ndim * (g->nbins + 1);
    if (reserve_buf(d, eb))
        return fail(d, "out of memory");
    for (int k = 0; k < g->ndim; k++)
        memcpy(d->buf + 8 * (size_t)k * (g->nbins + 1), g->edge[k], 8 * (size_t)(g->nbins + 1));
    if (c->bcast(c, &m, sizeof m) || c->bcast(c, d->buf, eb) ||
        (g->offset && c->bcast(c, (void *)g->offset, 8 * (g->nboxes + 1))))
        return fail(d, "the ranks could not exchange the grid");
    return run(d, g, iter, npoints, hs, out);
}

int mue_dist_stop(mue_dist_iteration *d, int failed)
{
    iter_msg m;
    memset(&m, 0, sizeof m);
    m.op = failed ? OP_ABORT : OP_STOP;
    return d->comm->bcast(d->comm, &m, sizeof m);
}

static int reserve_boxes(mue_dist_iteration *d, uint64_t n)
{
    if (n <= d->cap)
        return 0;
    uint64_t *o = realloc(d->offset, (n + 1) * sizeof *o);
    if (o)
        d->offset = o;
    double *v = realloc(d->box_var, n * sizeof *v);
    if (v)
        d->box_var = v;
    if (!o || !v)
        return -1;
    d->cap = n;
    return 0;
}

int mue_dist_serve(mue_dist_iteration *d)
{
    mue_comm *c = d->comm;
    for (;;) {
        iter_msg m;
        if (c->bcast(c, &m, sizeof m))
            return fail(d, "lost rank 0");
        if (m.op == OP_STOP)
            return 0;
        if (m.op != OP_ITER || m.ndim < 1 || m.ndim > MUE_VEGAS_MAXDIM || m.nbins < 1 ||
            m.nbins > MUE_VEGAS_MAXBINS)
            return fail(d, "rank 0 ended the run");
        mue_vegas_grid *g = &d->grid;
        g->ndim = m.ndim;
        g->nbins = m.nbins;
        g->nstrat = m.nstrat;
        g->per_box = m.per_box;
        g->nboxes = m.nboxes;
        const size_t eb = 8 * (size_t)m.ndim * (m.nbins + 1);
        /* every rank goes through the same calls, out of memory or not */
        int oom = reserve_buf(d, eb) || ((m.has_offset || m.has_box_var) && reserve_boxes(d, m.nboxes));
        if (oom)
            return fail(d, "out of memory");
        if (c->bcast(c, d->buf, eb) || (m.has_offset && c->bcast(c, d->offset, 8 * (m.nboxes + 1))))
            return fail(d, "lost rank 0");
        for (int k = 0; k < g->ndim; k++)
            memcpy(g->edge[k], d->buf + 8 * (size_t)k * (g->nbins + 1), 8 * (size_t)(g->nbins + 1));
        g->offset = m.has_offset ? d->offset : NULL;
        g->box_var = m.has_box_var ? d->box_var : NULL;
        if ((int)m.iter == d->kill_iter)
            raise(SIGKILL);
        if (run(d, g, m.iter, m.npoints, m.hist ? d->hs : NULL, NULL))
            return -1;
    }
}

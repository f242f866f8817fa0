#include "vegas/iteration.h"

#include <stdlib.h>

int mue_iteration_slices(const mue_vegas_grid *g, uint64_t npoints, mue_range *r)
{
    if (npoints == 0)
        return 0;
    if (g->nstrat <= 1) {
        /* no boxes: slices of whole numbers of points, as if each were a box */
        uint64_t n = npoints / MUE_SLICE_MIN_POINTS;
        n = n < 1 ? 1 : n > MUE_SLICES_MAX ? MUE_SLICES_MAX : n;
        for (uint64_t k = 0; k < n; k++) {
            r[k].first = k * npoints / n;
            r[k].count = (k + 1) * npoints / n - r[k].first;
            r[k].box = 0;
            r[k].nbox = 1;
        }
        return (int)n;
    }
    const uint64_t boxes = g->nboxes;
    uint64_t n = npoints / MUE_SLICE_MIN_POINTS;
    n = n < 1 ? 1 : n > MUE_SLICES_MAX ? MUE_SLICES_MAX : n;
    if (n > boxes)
        n = boxes;
    /* slice k: boxes [k B / n, (k+1) B / n); B n < 2^48, no overflow */
    for (uint64_t k = 0; k < n; k++) {
        uint64_t b0 = k * boxes / n, b1 = (k + 1) * boxes / n;
        r[k].first = mue_vegas_box_first(g, b0);
        r[k].count = mue_vegas_box_first(g, b1) - r[k].first;
        r[k].box = b0;
        r[k].nbox = b1 - b0;
    }
    return (int)n;
}

int mue_local_iteration_init(mue_local_iteration *li, mue_evaluator ev)
{
    li->ev = ev;
    li->slot = malloc(sizeof(mue_acc) * MUE_SLICES_MAX);
    return li->slot ? 0 : -1;
}

void mue_local_iteration_free(mue_local_iteration *li)
{
    free(li->slot);
    li->slot = NULL;
}

int mue_local_iterate(void *ctx, const mue_vegas_grid *g, uint32_t iter, uint64_t npoints,
                      const mue_hist_spec *hs, mue_acc *out)
{
    mue_local_iteration *li = ctx;
    mue_range r[MUE_SLICES_MAX];
    int nr = mue_iteration_slices(g, npoints, r);
    for (int k = 0; k < nr; k++)
        mue_acc_clear(&li->slot[k], g, hs);
    if (nr && li->ev.eval(li->ev.ctx, g, iter, r, nr, hs, li->slot))
        return -1;
    for (int k = 0; k < nr; k++)
        mue_acc_merge(out, &li->slot[k], g, hs);
    return 0;
}

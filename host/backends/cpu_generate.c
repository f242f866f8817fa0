#include "backends/cpu_generate.h"

#include <stdlib.h>
#include <string.h>

#include "backends/cpu_chunks.h"
#include "mue/rng.h"
#include "util/threads.h"

/* Points first .. last-1 of the batch (whole boxes, the first of them h) into *b. */
static int gen_chunk(const mue_setup *S, uint64_t seed, const mue_vegas_grid *g, uint32_t iter,
                     uint64_t first, uint64_t last, uint64_t h, const mue_gen_opts *o,
                     mue_gen_batch *b)
{
    const int nd = g->ndim, strat = g->nstrat > 1, na = mue_gen_accept_draw(&S->par, nd);
    const uint64_t npoints = strat ? mue_vegas_box_first(g, g->nboxes) : 0;
    uint32_t box[MUE_VEGAS_MAXDIM];
    uint64_t box_end = last;
    double scale = 1.0;
    for (uint64_t i = first; i < last; i++) {
        /* the map's, the detector's and the accept step's: the point's stream */
        double u[MUE_POINT_MAXU + 2];
        mue_rng_uniforms(seed, iter, i, na + 1, u);
        if (strat) {
            if (i == first || i == box_end) {
                if (i != first) {
                    h++;
                    mue_vegas_box_next_nd(g, nd, box);
                } else
                    mue_vegas_box_coords_nd(g, nd, h, box);
                uint64_t b0 = mue_vegas_box_first(g, h);
                box_end = mue_vegas_box_first(g, h + 1);
                scale = g->offset ? mue_vegas_box_scale(npoints, g->nboxes, box_end - b0) : 1.0;
            }
            mue_vegas_stratify_box_nd(g, nd, box, u);
        }
        mue_event ev;
        double F = mue_gen_point(S->id, S, g, nd, u, scale, &ev);
        b->points++;
        if (F == 0.0)
            continue;
        if (!isfinite(F)) {
            b->n_bad++;
            continue;
        }
        b->n_nonzero++;
        b->sum_f += F;
        b->sum_min += o->fmax > 0.0 && F > o->fmax ? o->fmax : F;
        b->n_over += o->fmax > 0.0 && F > o->fmax;
        if (!mue_gen_accept(F, o->fmax, u[na]))
            continue;
        if (mue_gen_batch_reserve(b, 1, o->with_events))
            return -1;
        if (o->with_events) {
            mue_gen_event *e = &b->ev[b->n];
            e->index = i;
            e->F = F;
            e->ev = ev;
        } else
            b->F[b->n] = F;
        b->n++;
    }
    return 0;
}

int mue_cpu_generate(const mue_setup *S, uint64_t seed, int threads, const mue_vegas_grid *g,
                     uint32_t iter, const mue_gen_opts *o, mue_gen_batch *out)
{
    /* chunks of cb whole boxes (or MUE_CPU_CHUNK points), as the integration cuts them */
    const int strat = g->nstrat > 1;
    const uint64_t npoints = strat ? mue_vegas_box_first(g, g->nboxes) : 0;
    const uint64_t cb = mue_cpu_chunk_size(g);
    const uint64_t total = strat ? npoints : o->npoints;
    const uint64_t ntasks = ((strat ? g->nboxes : total) + cb - 1) / cb;
    mue_gen_batch *part = calloc(ntasks ? ntasks : 1, sizeof *part);
    if (!part)
        return -1;
    int nt = mue_cpu_threads(threads);
    int bad = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) reduction(| : bad)
    for (uint64_t t = 0; t < ntasks; t++) {
        uint64_t first, last, h = 0;
        if (strat) {
            h = t * cb;
            first = mue_vegas_box_first(g, h);
            last = mue_vegas_box_first(g, h + cb < g->nboxes ? h + cb : g->nboxes);
        } else {
            first = t * cb;
            last = first + cb < total ? first + cb : total;
        }
        bad |= gen_chunk(S, seed, g, iter, first, last, h, o, &part[t]) != 0;
    }
    for (uint64_t t = 0; t < ntasks && !bad; t++)
        bad |= mue_gen_batch_append(out, &part[t], o->with_events) != 0;
    for (uint64_t t = 0; t < ntasks; t++)
        mue_gen_batch_free(&part[t]);
    free(part);
    return bad ? -1 : 0;
}

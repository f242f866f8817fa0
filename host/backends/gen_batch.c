#include "backends/gen_batch.h"

#include <stdlib.h>
#include <string.h>

void mue_gen_batch_reset(mue_gen_batch *b)
{
    b->n = 0;
    b->points = 0;
    b->sum_f = b->sum_min = 0.0;
    b->n_nonzero = b->n_over = b->n_bad = 0;
}

void mue_gen_batch_free(mue_gen_batch *b)
{
    free(b->ev);
    free(b->F);
    memset(b, 0, sizeof *b);
}

int mue_gen_batch_reserve(mue_gen_batch *b, size_t n, int with_events)
{
    if (b->n + n <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->n + n)
        cap *= 2;
    if (with_events) {
        mue_gen_event *e = realloc(b->ev, cap * sizeof *e);
        if (!e)
            return -1;
        b->ev = e;
    } else {
        double *F = realloc(b->F, cap * sizeof *F);
        if (!F)
            return -1;
        b->F = F;
    }
    b->cap = cap;
    return 0;
}

int mue_gen_batch_append(mue_gen_batch *dst, const mue_gen_batch *src, int with_events)
{
    if (mue_gen_batch_reserve(dst, src->n, with_events))
        return -1;
    if (src->n) {
        if (with_events)
            memcpy(dst->ev + dst->n, src->ev, src->n * sizeof *src->ev);
        else
            memcpy(dst->F + dst->n, src->F, src->n * sizeof *src->F);
    }
    dst->n += src->n;
    dst->points += src->points;
    dst->sum_f += src->sum_f;
    dst->sum_min += src->sum_min;
    dst->n_nonzero += src->n_nonzero;
    dst->n_over += src->n_over;
    dst->n_bad += src->n_bad;
    return 0;
}

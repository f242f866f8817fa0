/* The GPU entry of the backend table in a build without nvcc: present, so that the
 * table and the command line are the same in every build, and never usable. */
#include <stdio.h>

#include "backends/backend.h"

static const char reason[] = "this build of mue has no CUDA backend (built without nvcc)";

static int none_usable(char *why, size_t len)
{
    snprintf(why, len, "%s", reason);
    return 0;
}

static void *none_create(const mue_setup *S, const mue_backend_opts *o, char *why, size_t len)
{
    (void)S;
    (void)o;
    snprintf(why, len, "%s", reason);
    return NULL;
}

static void none_destroy(void *ctx) { (void)ctx; }

static int none_eval(void *ctx, const mue_vegas_grid *g, uint32_t iter, const mue_range *r, int nr,
                     const mue_hist_spec *hs, mue_acc *out)
{
    (void)ctx, (void)g, (void)iter, (void)r, (void)nr, (void)hs, (void)out;
    return -1;
}

static const char *none_error(const void *ctx)
{
    (void)ctx;
    return reason;
}

static mue_backend_stats none_stats(const void *ctx)
{
    (void)ctx;
    mue_backend_stats s = {{0}, 0, 0.0, 0.0, 0.0, 0};
    return s;
}

static int none_gen(void *ctx, const mue_vegas_grid *g, uint32_t iter, const mue_gen_opts *o,
                    mue_gen_batch *out)
{
    (void)ctx, (void)g, (void)iter, (void)o, (void)out;
    return -1;
}

const mue_backend mue_backend_gpu = {"gpu",     0,          none_usable, none_create, none_destroy,
                                     none_eval, none_error, none_stats,  none_gen};

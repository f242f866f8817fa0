#include "events/event_writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libdeflate.h>
#include <zlib.h>

#include "util/threads.h"
#include "util/afile.h"

struct mue_event_writer {
    mue_afile af;
    int level, threads;
    int zlib; /* MUE_EW_ZLIB: compress with zlib (the single-writer baseline) */
    mue_ew_format_fn fmt;
    const void *fctx;
    /* the job in flight */
    pthread_t th;
    int running;
    const mue_gen_event *ev;
    const double *wt;
    size_t n;
    uint64_t number;
    /* what failed (errno of the first failed write, or -1 out of memory); 0: nothing */
    int err;
    uint64_t bytes;
    double busy;
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* One gzip member holding in[0 .. n-1] into a new buffer (*out, *outn), by libdeflate
 * (whole-buffer deflate, 2-3 times zlib's speed at level 1; no file name, time 0: the
 * same bytes every run), or by zlib for the single-writer baseline; 0, or -1. */
static int gzip_member(int level, int zlib, const char *in, size_t n, unsigned char **out, size_t *outn)
{
    if (!zlib) {
        struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
        if (!c)
            return -1;
        size_t cap = libdeflate_gzip_compress_bound(c, n);
        unsigned char *buf = malloc(cap);
        size_t got = buf ? libdeflate_gzip_compress(c, in, n, buf, cap) : 0;
        libdeflate_free_compressor(c);
        if (!got) {
            free(buf);
            return -1;
        }
        *out = buf;
        *outn = got;
        return 0;
    }
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    size_t cap = deflateBound(&z, (uLong)n);
    unsigned char *buf = malloc(cap);
    if (!buf) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)n;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *outn = cap - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(buf);
        return -1;
    }
    *out = buf;
    return 0;
}

/* Writes n bytes (as they are, or as one gzip member); records the first failure. */
static void put(mue_event_writer *w, const char *text, size_t n)
{
    if (w->err || n == 0)
        return;
    if (w->level > 0) {
        unsigned char *z;
        size_t zn;
        if (gzip_member(w->level, w->zlib, text, n, &z, &zn)) {
            w->err = -1;
            return;
        }
        if (fwrite(z, 1, zn, w->af.f) != zn)
            w->err = errno ? errno : EIO;
        w->bytes += zn;
        free(z);
        return;
    }
    if (fwrite(text, 1, n, w->af.f) != n)
        w->err = errno ? errno : EIO;
    w->bytes += n;
}

static void *job(void *arg)
{
    mue_event_writer *w = arg;
    double t0 = now_s();
    const size_t nblk = (w->n + MUE_EW_BLOCK - 1) / MUE_EW_BLOCK;
    char **text = calloc(nblk ? nblk : 1, sizeof *text);
    size_t *tn = calloc(nblk ? nblk : 1, sizeof *tn);
    unsigned char **z = calloc(nblk ? nblk : 1, sizeof *z);
    size_t *zn = calloc(nblk ? nblk : 1, sizeof *zn);
    int bad = !text || !tn || !z || !zn;
    const int nt = mue_cpu_threads(w->threads);
    /* blocks formatted (and compressed) in parallel, written in order */
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) reduction(| : bad)
    for (size_t b = 0; b < (bad ? 0 : nblk); b++) {
        size_t k0 = b * MUE_EW_BLOCK, k1 = k0 + MUE_EW_BLOCK < w->n ? k0 + MUE_EW_BLOCK : w->n;
        char *t = malloc((k1 - k0) * MUE_EW_EVENT_MAX);
        if (!t) {
            bad = 1;
            continue;
        }
        char *p = t;
        for (size_t k = k0; k < k1; k++)
            p = w->fmt(w->fctx, p, &w->ev[k], w->wt[k], w->number + k);
        tn[b] = (size_t)(p - t);
        if (w->level > 0) {
            bad |= gzip_member(w->level, w->zlib, t, tn[b], &z[b], &zn[b]) != 0;
            free(t);
        } else
            text[b] = t;
    }
    if (bad && !w->err)
        w->err = -1;
    for (size_t b = 0; b < nblk && !w->err; b++) {
        const void *d = w->level > 0 ? (const void *)z[b] : (const void *)text[b];
        size_t n = w->level > 0 ? zn[b] : tn[b];
        if (fwrite(d, 1, n, w->af.f) != n)
            w->err = errno ? errno : EIO;
        w->bytes += n;
    }
    for (size_t b = 0; b < nblk && text && z; b++) {
        free(text[b]);
        free(z[b]);
    }
    free(text);
    free(tn);
    free(z);
    free(zn);
    w->busy += now_s() - t0;
    return NULL;
}

static int wait_job(mue_event_writer *w)
{
    if (w->running) {
        pthread_join(w->th, NULL);
        w->running = 0;
    }
    return w->err;
}

static void say(const mue_event_writer *w, char *why, size_t len)
{
    if (w->err > 0)
        snprintf(why, len, "writing '%s' failed: %s", w->af.path, strerror(w->err));
    else
        snprintf(why, len, "writing '%s' failed: out of memory", w->af.path);
}

mue_event_writer *mue_ew_open(const char *path, int level, int threads, int flags, mue_ew_format_fn fmt,
                              const void *fctx, char *why, size_t len)
{
    mue_event_writer *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(why, len, "out of memory");
        return NULL;
    }
    if (mue_afile_open(&w->af, path)) {
        snprintf(why, len, "cannot write '%s': %s", path, strerror(errno));
        free(w);
        return NULL;
    }
    /* the blocks are already whole: no second copy through stdio's buffer */
    setvbuf(w->af.f, NULL, _IONBF, 0);
    w->level = level;
    w->threads = threads;
    w->zlib = (flags & MUE_EW_ZLIB) != 0;
    w->fmt = fmt;
    w->fctx = fctx;
    return w;
}

int mue_ew_text(mue_event_writer *w, const char *text, char *why, size_t len)
{
    if (!wait_job(w))
        put(w, text, strlen(text));
    if (w->err)
        return say(w, why, len), -1;
    return 0;
}

int mue_ew_submit(mue_event_writer *w, const mue_gen_event *ev, const double *wt, size_t n,
                  uint64_t number, char *why, size_t len)
{
    if (wait_job(w))
        return say(w, why, len), -1;
    w->ev = ev;
    w->wt = wt;
    w->n = n;
    w->number = number;
    if (pthread_create(&w->th, NULL, job, w) != 0) {
        job(w); /* no thread to be had: the same work, in this one */
        return w->err ? (say(w, why, len), -1) : 0;
    }
    w->running = 1;
    return 0;
}

int mue_ew_finish(mue_event_writer *w, const char *trailer, uint64_t *bytes, double *busy, char *why,
                  size_t len)
{
    if (!wait_job(w) && trailer)
        put(w, trailer, strlen(trailer));
    if (bytes)
        *bytes = w->bytes;
    if (busy)
        *busy = w->busy;
    if (w->err) {
        say(w, why, len);
        mue_afile_abort(&w->af);
        free(w);
        return -1;
    }
    /* the data on disk before the name: a crash after the rename leaves a whole file */
    if (fflush(w->af.f) != 0 || fsync(fileno(w->af.f)) != 0) {
        snprintf(why, len, "writing '%s' failed: %s", w->af.path, strerror(errno));
        mue_afile_abort(&w->af);
        free(w);
        return -1;
    }
    if (mue_afile_commit(&w->af)) {
        snprintf(why, len, "writing '%s' failed: %s", w->af.path, strerror(errno));
        free(w);
        return -1;
    }
    free(w);
    return 0;
}

void mue_ew_abort(mue_event_writer *w)
{
    if (!w)
        return;
    wait_job(w);
    mue_afile_abort(&w->af);
    free(w);
}

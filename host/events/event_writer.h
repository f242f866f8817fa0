/* The host side of an event file: text blocks formatted and (for a .gz name)
 * compressed on every core (libdeflate), written in order by a writer thread while the backend
 * works on the next batch; the file appears under its name only when complete
 * (output.h's temporary + rename). A compressed file is a series of gzip members, one
 * per block of events (as pigz writes them; every gzip reader reads it as one stream),
 * so the bytes do not depend on the thread count. */
#ifndef MUE_EVENT_WRITER_H
#define MUE_EVENT_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "mue/unweight.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Events per block: the unit of formatting, compression and of the parallel work. */
#define MUE_EW_BLOCK 2048
/* The most text one event may take (a formatter's promise). */
#define MUE_EW_EVENT_MAX 4096

/* Writes event e (its weight w, its number in the file) at p; returns the end. */
typedef char *(*mue_ew_format_fn)(const void *fctx, char *p, const mue_gen_event *e, double w,
                                  uint64_t number);

typedef struct mue_event_writer mue_event_writer;

/* mue_ew_open flags: compress with zlib instead of libdeflate (bench_generate's
 * single-writer baseline: the writer as mue 0.2.0 had it, with threads = 1) */
#define MUE_EW_ZLIB 1

/* Opens a temporary beside path; level 0 writes plain text, 1..9 gzip at that level.
 * threads: formatting and compression threads (0: all cores). NULL with a one-line
 * reason in why. */
mue_event_writer *mue_ew_open(const char *path, int level, int threads, int flags, mue_ew_format_fn fmt,
                              const void *fctx, char *why, size_t len);
/* Text written as it is (a header), after everything submitted before. 0, or -1 with
 * the reason in why. */
int mue_ew_text(mue_event_writer *w, const char *text, char *why, size_t len);
/* Hands over n events with their weights, numbered from number: formatted and written
 * by the writer thread while the caller goes on. The arrays must stay untouched until
 * the next mue_ew_submit, mue_ew_text or mue_ew_finish returns. 0, or -1 with the
 * reason (an earlier write that failed) in why. */
int mue_ew_submit(mue_event_writer *w, const mue_gen_event *ev, const double *wt, size_t n,
                  uint64_t number, char *why, size_t len);
/* Waits for the writer, writes trailer (may be NULL) and renames the file into place;
 * the bytes written and the seconds the writer thread worked into *bytes and *busy
 * (either may be NULL). 0, or -1 with the reason in why (the temporary is then
 * removed). Frees w. */
int mue_ew_finish(mue_event_writer *w, const char *trailer, uint64_t *bytes, double *busy, char *why,
                  size_t len);
/* Drops the file (no partial file under the name); frees w. */
void mue_ew_abort(mue_event_writer *w);

#ifdef __cplusplus
}
#endif

#endif

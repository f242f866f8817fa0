/* Reading mue's LHEF files back in the C tests (gzip or plain, through zlib): the
 * events' particle lines and the <mue> header's values. Include after cli_run.h. */
#ifndef MUE_TEST_LHE_READ_H
#define MUE_TEST_LHE_READ_H

#include <zlib.h>

typedef struct {
    int n;
    double w[64]; /* XWGTUP, then the <rwgt> weights in order */
    int nw;       /* how many of those */
    char wid[63][32];
    struct {
        int id, st;
        double p[5];
    } q[8];
} lhe_event;

/* The next event of the file; 0 at the end. */
__attribute__((unused)) static int next_event(gzFile f, lhe_event *e)
{
    char line[1024];
    while (gzgets(f, line, sizeof line))
        if (strncmp(line, "<event>", 7) == 0) {
            assert_non_null(gzgets(f, line, sizeof line));
            int pid;
            assert_int_equal(sscanf(line, "%d %d %lf", &e->n, &pid, &e->w[0]), 3);
            assert_true(e->n >= 4 && e->n <= 8);
            for (int k = 0; k < e->n; k++) {
                assert_non_null(gzgets(f, line, sizeof line));
                int m1, m2, c1, c2;
                assert_int_equal(sscanf(line, "%d %d %d %d %d %d %lf %lf %lf %lf %lf", &e->q[k].id,
                                        &e->q[k].st, &m1, &m2, &c1, &c2, &e->q[k].p[0], &e->q[k].p[1],
                                        &e->q[k].p[2], &e->q[k].p[3], &e->q[k].p[4]),
                                 11);
            }
            /* the named weights up to the event's end */
            e->nw = 0;
            while (gzgets(f, line, sizeof line) && strncmp(line, "</event>", 8) != 0) {
                char id[32];
                double v;
                if (e->nw < 63 && sscanf(line, "<wgt id=\"%31[^\"]\"> %lf", id, &v) == 2) {
                    snprintf(e->wid[e->nw], sizeof e->wid[0], "%s", id);
                    e->w[1 + e->nw++] = v;
                }
            }
            return 1;
        }
    return 0;
}

/* A value from the <mue> header block ("key = value"). */
__attribute__((unused)) static double header_value(const char *path, const char *key)
{
    gzFile f = gzopen(path, "rb");
    assert_non_null(f);
    char line[1024];
    double v = NAN;
    size_t n = strlen(key);
    while (gzgets(f, line, sizeof line) && strncmp(line, "</header>", 9) != 0)
        if (strncmp(line, key, n) == 0 && strncmp(line + n, " = ", 3) == 0)
            v = strtod(line + n + 3, NULL);
    gzclose(f);
    return v;
}

#endif

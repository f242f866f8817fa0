/* Are two runs' outputs the same? Byte for byte (checkpoints, whose 17-digit doubles
 * are the bits, scan.json, histogram CSVs), or line for line but for what measures the
 * machine rather than the integral (a JSON result's times and thread count). For
 * test_checkpoint.c and test_mpi.c, after cli_run.h. */
#ifndef MUE_TEST_SAME_OUTPUT_H
#define MUE_TEST_SAME_OUTPUT_H

/* 1 if both files exist and hold the same bytes */
__attribute__((unused)) static int files_equal(const char *a, const char *b)
{
    char *x = slurp(a), *y = slurp(b);
    int same = x && y && strcmp(x, y) == 0;
    if (!same)
        print_error("%s and %s differ (or one is missing)\n", a, b);
    free(x);
    free(y);
    return same;
}

/* a line of a result JSON that depends on the machine or the build, not on the integral */
__attribute__((unused)) static int machine_line(const char *l, size_t n)
{
    return memmem(l, n, "seconds\"", 8) || memmem(l, n, "\"threads\"", 9) ||
           memmem(l, n, "\"commit\"", 8);
}

/* 1 if the JSON results agree in every line but the machine's */
__attribute__((unused)) static int results_equal(const char *a, const char *b)
{
    char *x = slurp(a), *y = slurp(b);
    int same = x && y;
    const char *p = x, *q = y;
    while (same && (*p || *q)) {
        size_t np = strcspn(p, "\n"), nq = strcspn(q, "\n");
        if (machine_line(p, np) && machine_line(q, nq)) {
        } else if (np != nq || memcmp(p, q, np) != 0) {
            print_error("%s and %s differ:\n%.*s\n%.*s\n", a, b, (int)np, p, (int)nq, q);
            same = 0;
        }
        p += np + (p[np] == '\n');
        q += nq + (q[nq] == '\n');
    }
    free(x);
    free(y);
    return same;
}

/* 1 if the histogram CSVs of two --hist directories are the same bytes */
__attribute__((unused)) static int hists_equal(const char *da, const char *db)
{
    static const char *const names[] = {"E_e.csv", "theta_e.csv", "theta_mu.csv", "E_mu.csv"};
    int same = 1;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char a[4300], b[4300];
        snprintf(a, sizeof a, "%s/%s", da, names[k]);
        snprintf(b, sizeof b, "%s/%s", db, names[k]);
        same &= files_equal(a, b);
    }
    return same;
}

#endif

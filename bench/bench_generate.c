/* Event throughput of mue generate on this machine's CPU cores: the paper's signal
 * point (zprime, 100 MeV, g = 1e-3, cuts (i)+(ii)), 1e6 unweighted events per
 * configuration into LHEF.gz at gzip levels 1, 3 and 6, plain LHEF and HepMC3.gz, and
 * first the single-writer baseline (LHEF.gz level 1 formatted and compressed on one
 * thread with zlib, the writer of mue 0.2.0), side by side in one run; for each, events
 * per second (generation and writing, after the grid and the survey), the
 * time the backend spent on the batches and the time the writer thread worked, which
 * together say what bounds the rate. Writes bench/results/generate-<host>.json.
 *
 * usage: bench_generate RESULTS_DIR [SCRATCH_DIR] [EVENTS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends/cpu_backend.h"
#include "run/generate.h"
#include "machine.h"

typedef struct {
    const char *name, *file;
    int level;
    int single; /* the single-writer baseline */
} config;

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_generate RESULTS_DIR [SCRATCH_DIR] [EVENTS]\n");
        return 2;
    }
    const char *scratch = argc > 2 ? argv[2] : "/tmp";
    const uint64_t events = argc > 3 ? strtoull(argv[3], NULL, 10) : 1000000;
    const config cf[] = {{"lhef.gz level 1, single writer (zlib, 1 thread)", "bench_ev.lhe.gz", 1, 1},
                         {"lhef.gz level 1", "bench_ev.lhe.gz", 1, 0},
                         {"lhef.gz level 3", "bench_ev.lhe.gz", 3, 0},
                         {"lhef.gz level 6", "bench_ev.lhe.gz", 6, 0},
                         {"lhef plain", "bench_ev.lhe", 0, 0},
                         {"hepmc3.gz level 1", "bench_ev.hepmc3.gz", 1, 0}};
    const int ncf = sizeof cf / sizeof cf[0];
    char host[256], cpu[256], path[4096];
    bench_machine(host, sizeof host, cpu, sizeof cpu);
    snprintf(path, sizeof path, "%s/generate-%s.json", argv[1], host);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "bench_generate: cannot write %s\n", path);
        return 1;
    }
    fprintf(f, "{\n  \"machine\": \"%s\",\n  \"cpu\": \"%s\",\n  \"cores\": %d,\n", host, cpu,
            mue_cpu_max_threads());
    fprintf(f, "  \"process\": \"zprime, m = 100 MeV, g = 1e-3, cuts (i)+(ii), seed 1\",\n");
    fprintf(f, "  \"events\": %llu,\n  \"runs\": [\n", (unsigned long long)events);
    for (int k = 0; k < ncf; k++) {
        static mue_run_config c;
        mue_settings_defaults(MUE_CMD_GENERATE, MUE_PROC_ZPRIME, &c);
        c.par.input[MUE_ZPRIME_MASS] = 0.1;
        c.par.input[MUE_ZPRIME_COUPLING] = 1e-3;
        c.events = events;
        char out[4096];
        snprintf(out, sizeof out, "%s/%s", scratch, cf[k].file);
        c.out = out;
        c.gzip = cf[k].level > 0;
        c.gzip_level = c.gzip ? cf[k].level : 1;
        c.format = strstr(cf[k].file, "hepmc") ? MUE_GEN_HEPMC3 : MUE_GEN_LHEF;
        c.single_writer = cf[k].single;
        mue_gen_result *r = malloc(sizeof *r);
        char why[512];
        if (!r || mue_generate(&c, r, why, sizeof why)) {
            fprintf(stderr, "bench_generate: %s\n", r ? why : "out of memory");
            return 1;
        }
        unlink(out);
        printf("%-48s %.4g events/s  (%.2f s; batches on the backend %.2f s, writer thread "
               "%.2f s; %.1f bytes/event; efficiency %.3g)\n",
               cf[k].name, r->events_per_s, r->gen_seconds, r->eval_seconds,
               r->writer_busy_seconds, (double)r->bytes / (double)r->events, r->eff);
        fprintf(f,
                "    {\"output\": \"%s\", \"events_per_s\": %.6g, \"seconds\": %.4g, "
                "\"batch_eval_seconds\": %.4g, \"writer_seconds\": %.4g, \"bytes_per_event\": %.4g, "
                "\"efficiency\": %.4g, \"grid_seconds\": %.4g, \"survey_seconds\": %.4g, "
                "\"threads\": %d}%s\n",
                cf[k].name, r->events_per_s, r->gen_seconds, r->eval_seconds, r->writer_busy_seconds,
                (double)r->bytes / (double)r->events, r->eff, r->train_seconds, r->survey_seconds,
                r->run.threads, k + 1 < ncf ? "," : "");
        free(r);
    }
    fprintf(f, "  ]\n}\n");
    if (fclose(f) != 0)
        return 1;
    printf("wrote %s\n", path);
    return 0;
}

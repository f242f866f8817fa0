#include "run/process_table.h"

#include <stdio.h>
#include <string.h>

#include "mue/vegas_map.h"

#define MUE_INPUT_(slot, option, kind, def, lo, hi, label, json, help)                             \
    {slot, option, kind, def, lo, hi, label, json, help},
#define MUE_BENCH_(key, label, settings) {key, label, settings},
/* every array holds a terminator, so a process without inputs or benchmarks has one */
#define MUE_ROW_(ID, name, summary)                                                                \
    static const mue_obs_def obs_##name[] = {MUE_##ID##_OBSERVABLES};                              \
    static const mue_input_def inputs_##name[] = {MUE_##ID##_INPUTS(MUE_INPUT_){-1, 0, 0, 0, 0, 0, 0, 0, 0}}; \
    static const mue_particle_def particles_##name[] = {MUE_##ID##_PARTICLES};                     \
    static const mue_benchmark_def bench_##name[] = {MUE_##ID##_BENCHMARKS(MUE_BENCH_){0, 0, 0}};
MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
#undef MUE_INPUT_
#undef MUE_BENCH_

#define COUNT_(a) (int)(sizeof a / sizeof a[0])
const mue_process_info mue_process_table[MUE_NPROC] = {
#define MUE_ROW_(ID, name, summary)                                                                \
    {MUE_PROC_##ID, #name, summary, MUE_##ID##_TITLE, MUE_##ID##_FLAGS, MUE_##ID##_POINTS_MIN,   \
     MUE_##ID##_NDIM,                                                                              \
     COUNT_(obs_##name), obs_##name, COUNT_(inputs_##name) - 1, inputs_##name,                    \
     COUNT_(particles_##name), particles_##name, COUNT_(bench_##name) - 1, bench_##name},
    MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
};

/* the unit conventions processes.h asks of every row */
#define MUE_ROW_(ID, name, summary)                                                          \
    _Static_assert(MUE_##ID##_NDIM >= 1 && MUE_##ID##_NDIM <= MUE_VEGAS_MAXDIM,                   \
                   #name ": MUE_" #ID "_NDIM out of range");                                       \
    _Static_assert(sizeof obs_##name / sizeof obs_##name[0] <= MUE_MAX_OBS,                        \
                   #name ": more observables than MUE_MAX_OBS");                                   \
    _Static_assert(COUNT_(inputs_##name) - 1 <= MUE_INPUTS_MAX,                                    \
                   #name ": more model inputs than MUE_INPUTS_MAX");                               \
    _Static_assert(COUNT_(particles_##name) <= MUE_PROC_MAX_PARTICLES,                             \
                   #name ": more particles than MUE_PROC_MAX_PARTICLES");                          \
    _Static_assert(COUNT_(bench_##name) - 1 <= MUE_PROC_MAX_BENCHMARKS,                            \
                   #name ": more benchmarks than MUE_PROC_MAX_BENCHMARKS");
MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_

const mue_process_info *mue_process_info_of(mue_process_id id)
{
    return id >= 0 && id < MUE_NPROC ? &mue_process_table[id] : NULL;
}

const mue_process_info *mue_process_find(const char *name)
{
    for (int i = 0; i < MUE_NPROC; i++)
        if (strcmp(name, mue_process_table[i].name) == 0)
            return &mue_process_table[i];
    return NULL;
}

const char *mue_process_name(mue_process_id id)
{
    const mue_process_info *p = mue_process_info_of(id);
    return p ? p->name : "?";
}

const char *mue_process_names(char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (int i = 0; i < MUE_NPROC && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", mue_process_table[i].name);
    return buf;
}

static const char *const nu_names[3] = {"e", "mu", "tau"};

int mue_nu_flavours_parse(const char *list)
{
    int bits = 0;
    const char *s = list;
    for (;;) {
        size_t n = strcspn(s, ",");
        int k = 0;
        while (k < 3 && !(strlen(nu_names[k]) == n && strncmp(s, nu_names[k], n) == 0))
            k++;
        if (k == 3 || (bits >> k & 1))
            return 0;
        bits |= 1 << k;
        if (s[n] == '\0')
            return bits;
        s += n + 1;
    }
}

const char *mue_nu_flavours_str(int bits, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (int k = 0; k < 3 && n < len; k++)
        if (bits >> k & 1)
            n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "," : "", nu_names[k]);
    return buf;
}

const mue_input_def *mue_process_input_of_kind(const mue_process_info *p, int kind)
{
    for (int k = 0; k < p->ninputs; k++)
        if (p->inputs[k].kind == kind)
            return &p->inputs[k];
    return NULL;
}

int mue_process_has_particle(const mue_process_info *p, int pid)
{
    for (int k = 0; k < p->nparticles; k++)
        if (p->particles[k].pid == pid)
            return 1;
    return 0;
}

const char *mue_process_final_state(const mue_process_info *p, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (int k = 0; k < p->nparticles && n < len; k++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s (%d)", k ? ", " : "", p->particles[k].name,
                              p->particles[k].pid);
    return buf;
}

int mue_process_obs_index(const mue_process_info *p, const char *name)
{
    for (int k = 0; k < p->nobs; k++)
        if (strcmp(name, p->obs[k].name) == 0)
            return k;
    return -1;
}

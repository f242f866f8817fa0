#include "run/process_table.h"

#include <stdio.h>
#include <string.h>

#include "mue/vegas_map.h"

#define MUE_ROW_(ID, name, summary, uses)                                                          \
    static const mue_obs_def obs_##name[] = {MUE_##ID##_OBSERVABLES};
MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_

const mue_process_info mue_process_table[MUE_NPROC] = {
#define MUE_ROW_(ID, name, summary, uses)                                                          \
    {MUE_PROC_##ID, #name, summary, uses, MUE_##ID##_NDIM,                                         \
     (int)(sizeof obs_##name / sizeof obs_##name[0]), obs_##name},
    MUE_PROCESSES(MUE_ROW_)
#undef MUE_ROW_
};

/* the unit conventions processes.h asks of every row */
#define MUE_ROW_(ID, name, summary, uses)                                                          \
    _Static_assert(MUE_##ID##_NDIM >= 1 && MUE_##ID##_NDIM <= MUE_VEGAS_MAXDIM,                   \
                   #name ": MUE_" #ID "_NDIM out of range");                                       \
    _Static_assert(sizeof obs_##name / sizeof obs_##name[0] <= MUE_MAX_OBS,                        \
                   #name ": more observables than MUE_MAX_OBS");
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

int mue_process_obs_index(const mue_process_info *p, const char *name)
{
    for (int k = 0; k < p->nobs; k++)
        if (strcmp(name, p->obs[k].name) == 0)
            return k;
    return -1;
}

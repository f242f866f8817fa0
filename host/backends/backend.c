#include "backends/backend.h"

#include <string.h>

const mue_backend *const mue_backends[] = {&mue_backend_gpu, &mue_backend_cpu, NULL};

const mue_backend *mue_backend_find(const char *name)
{
    for (const mue_backend *const *b = mue_backends; *b; b++)
        if (strcmp((*b)->name, name) == 0)
            return *b;
    return NULL;
}

mue_evaluator mue_backend_evaluator(const mue_backend *be, void *ctx)
{
    mue_evaluator e = {be->eval, be->error, ctx};
    return e;
}

const mue_backend *mue_backend_auto(void)
{
    char why[256];
    for (const mue_backend *const *b = mue_backends; *b; b++)
        if ((*b)->usable(why, sizeof why))
            return *b;
    return &mue_backend_cpu;
}

#include "util/threads.h"

#ifdef _OPENMP
#include <omp.h>
#endif

int mue_cpu_max_threads(void)
{
#ifdef _OPENMP
    int n = omp_get_max_threads();
    return n > MUE_CPU_THREADS_MAX ? MUE_CPU_THREADS_MAX : n;
#else
    return 1;
#endif
}

int mue_cpu_threads(int threads) { return threads > 0 ? threads : mue_cpu_max_threads(); }

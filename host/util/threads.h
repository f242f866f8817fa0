/* How many CPU threads a run may use: OpenMP's count, capped, since libgomp crashes
 * when asked for 100000 threads (OMP_NUM_THREADS). Used by the CPU backend and the
 * event writer alike. */
#ifndef MUE_THREADS_H
#define MUE_THREADS_H

#ifdef __cplusplus
extern "C" {
#endif

#define MUE_CPU_THREADS_MAX 4096 /* --threads, and OMP_NUM_THREADS, at most */

/* OpenMP's thread count (OMP_NUM_THREADS, or the cores), at most MUE_CPU_THREADS_MAX. */
int mue_cpu_max_threads(void);
/* threads, or mue_cpu_max_threads() for 0 (all cores) */
int mue_cpu_threads(int threads);

#ifdef __cplusplus
}
#endif

#endif

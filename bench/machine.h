/* What the benchmark programs record about the machine they ran on. */
#ifndef MUE_BENCH_MACHINE_H
#define MUE_BENCH_MACHINE_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Host name and CPU model ("unknown" where they cannot be read). */
static inline void bench_machine(char *host, size_t hlen, char *cpu, size_t clen)
{
    snprintf(host, hlen, "unknown");
    snprintf(cpu, clen, "unknown");
    if (gethostname(host, hlen - 1) != 0)
        snprintf(host, hlen, "unknown");
    host[hlen - 1] = 0;
    FILE *ci = fopen("/proc/cpuinfo", "r");
    if (!ci)
        return;
    char line[512];
    while (fgets(line, sizeof line, ci))
        if (strncmp(line, "model name", 10) == 0) {
            char *v = strchr(line, ':');
            snprintf(cpu, clen, "%s", v ? v + 2 : line);
            cpu[strcspn(cpu, "\n")] = 0;
            break;
        }
    fclose(ci);
}

#endif

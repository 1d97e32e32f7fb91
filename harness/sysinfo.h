/* sysinfo.h: facts about the machine and the OpenMP runtime, for defaults,
 * for memory checks and for meta.json. Reads only; never prints. */
#ifndef OSW_SYSINFO_H
#define OSW_SYSINFO_H

#include <stddef.h>

typedef struct osw_sysinfo {
    char host[256];
    char cpu_model[256];
    int cores;                /* physical cores (hwloc, else /sys topology, else procs) */
    int hw_threads;           /* hardware threads (logical CPUs) online */
    int numa_nodes;           /* NUMA nodes (hwloc, else /sys/devices/system/node) */
    int procs;                /* CPUs this process may run on (omp_get_num_procs) */
    double mem_total;         /* bytes of physical memory */
    double mem_available;     /* bytes the kernel says can be allocated without swapping */
    char topology_source[16]; /* "hwloc" or "sysfs" */
    char thp[32];             /* transparent huge page mode, e.g. "madvise" */
} osw_sysinfo;

/* Fills *info. Never fails: unknown fields are 0 or "unknown". */
void osw_sysinfo_read(osw_sysinfo *info);

/* Re-reads only MemAvailable (bytes); 0 when unknown. */
double osw_mem_available(void);

#endif

/* sysinfo.h: facts about the machine and the OpenMP runtime, for defaults,
 * for memory checks and for meta.json. Reads only; never prints. */
#ifndef OSW_SYSINFO_H
#define OSW_SYSINFO_H

#include "kernel.h"

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
    double llc_bytes; /* the last-level cache of CPU 0 (a data or unified cache), 0: unknown */
} osw_sysinfo;

/* Fills *info. Never fails: unknown fields are 0 or "unknown". */
void osw_sysinfo_read(osw_sysinfo *info);

/* Re-reads only MemAvailable (bytes); 0 when unknown. */
double osw_mem_available(void);

/* Bytes of this process's anonymous memory backed by transparent huge pages
 * now inside the n address ranges r (osw_advised_ranges): the AnonHugePages
 * of every mapping of /proc/self/smaps that the ranges (disjoint) cover
 * wholly: a range madvise'd on its own is a mapping of its own, or one part
 * of a mapping merged with a neighbouring range of the same advice. NaN
 * when smaps cannot be read. */
double osw_anon_huge_bytes_in(const osw_range *r, size_t n);

/* Physical core of each CPU, for telling when two threads shared a core.
 * Returns a malloc'd map (the caller frees it) with map[cpu] for the OS CPU
 * numbers 0..*ncpu-1: dense core ids 0, 1, ... (unique across packages), or
 * -1 where unknown. From hwloc where built with it, else from
 * /sys/devices/system/cpu/cpuN/topology. NULL when no topology can be read. */
int *osw_cpu_core_map(int *ncpu);

/* Distinct physical cores, by map, among the CPUs OpenMP may run threads
 * on: those of its places where it has any (OMP_PLACES), else this
 * process's affinity mask. 0 when unknown. */
int osw_cores_available(const int *map, int ncpu);

/* Whether two of the threads whose CPUs are cpus[0..count) ran on one
 * physical core (by map). Returns 1 and the two thread numbers in *a < *b,
 * or 0. CPUs outside the map or unmapped are skipped. Pure. */
int osw_shared_core(const int *cpus, int count, const int *map, int ncpu, int *a, int *b);

/* The CPU affinity mask this process had when it was started, for the
 * programs `ompsweep exec` starts. GCC's OpenMP runtime (libgomp) binds the
 * initial thread to its first place while the library initialises, before
 * main, when OMP_PROC_BIND or OMP_PLACES is set (libomp does at its first
 * OpenMP call), and a child inherits that narrowed mask. So the mask is
 * read by a .preinit_array entry of this object, which the dynamic loader
 * runs before any library's initialiser; osw_affinity_save, called first
 * thing in main, reads it there where the entry did not run (a loader
 * without preinit support). Linux; elsewhere both are no-ops. */
void osw_affinity_save(void);

/* Gives the calling thread the saved mask (sched_setaffinity). For the child
 * between fork and execve: async-signal-safe. Returns 0, or -1 when no mask
 * was saved or the kernel refused it (the inherited mask then stays). */
int osw_affinity_restore(void);

/* The number of CPUs in the saved mask; 0 when none was saved. */
int osw_affinity_cpus(void);

#endif

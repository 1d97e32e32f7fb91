/* registry.c: expands kernels.def into the kernel table and the probe store. */
#define _GNU_SOURCE
#include "kernel.h"

#include <omp.h>
#include <sched.h>
#include <string.h>

/* A kernel of a family file (kernels/family.c) is a kernel like any other. */
#define OSW_KERNEL_IN(name, family) OSW_KERNEL(name)
#define OSW_KERNEL(name)            extern const osw_kernel osw_##name;
#include "kernels.def"
#undef OSW_KERNEL

const osw_kernel *const osw_kernels[] = {
#define OSW_KERNEL(name) &osw_##name,
#include "kernels.def"
#undef OSW_KERNEL
};

const size_t osw_kernel_count = sizeof(osw_kernels) / sizeof(osw_kernels[0]);

const osw_kernel *osw_kernel_find(const char *name)
{
    for (size_t i = 0; i < osw_kernel_count; i++)
        if (strcmp(osw_kernels[i]->name, name) == 0)
            return osw_kernels[i];
    return NULL;
}

#ifndef OSW_WIDE_KERNELS
#define OSW_WIDE_KERNELS ""
#define OSW_WIDE_BITS    0
#endif

const char *osw_kernel_isa(int *bits)
{
#if defined(__AVX512F__)
    *bits = 512;
    return "avx512f";
#elif defined(__AVX2__)
    *bits = 256;
    return "avx2";
#elif defined(__AVX__)
    *bits = 256;
    return "avx";
#elif defined(__SSE2__)
    *bits = 128;
    return "sse2";
#else
    *bits = 0;
    return "";
#endif
}

int osw_kernel_prefer_width(const char *name)
{
    /* OSW_WIDE_KERNELS: the names CMake applied the flag to, comma-separated. */
    const char *list = OSW_WIDE_KERNELS;
    size_t len = strlen(name);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, name, len) == 0)
            return OSW_WIDE_BITS;
        p += n + (end != NULL);
    }
    return 0;
}

const char *osw_kind_name(int kind)
{
    switch (kind) {
    case OSW_MEMORY_BOUND:
        return "memory";
    case OSW_CPU_BOUND:
        return "cpu";
    case OSW_WAITS:
        return "wait";
    default:
        return "";
    }
}

uint64_t osw_index_base = 0;

osw_taskloop_spec osw_taskloop = {OSW_TASKLOOP_NONE, 0};
size_t osw_taskloop_items;

_Alignas(64) osw_thread_probe osw_probe[OSW_MAX_THREADS];

int osw_probe_mode = OSW_PROBE_FULL;

double osw_probe_begin(int *cpu_begin)
{
    if (osw_probe_mode == OSW_PROBE_OFF) {
        *cpu_begin = -1;
        return 0;
    }
    *cpu_begin = sched_getcpu();
    return omp_get_wtime();
}

void osw_probe_end(double t_begin, int cpu_begin)
{
    if (osw_probe_mode == OSW_PROBE_OFF) {
        /* One store: the team (threads_ran); osw_probe_reset left cpu -1. */
        int tid = omp_get_thread_num();
        if (tid < OSW_MAX_THREADS)
            osw_probe[tid].team = omp_get_num_threads();
        return;
    }
    double t_end = omp_get_wtime();
    int tid = omp_get_thread_num();
    if (tid >= OSW_MAX_THREADS)
        return;
    osw_thread_probe *slot = &osw_probe[tid];
    int cpu_end = sched_getcpu();
    int team = omp_get_num_threads();
    slot->busy_s += t_end - t_begin;
    slot->cpu = cpu_end;
    if (team > slot->team)
        slot->team = team;
    if (cpu_end != cpu_begin)
        slot->migrations++;
}

void osw_probe_reset(void)
{
    memset(osw_probe, 0, sizeof(osw_probe));
    if (osw_probe_mode == OSW_PROBE_OFF)
        for (int t = 0; t < OSW_MAX_THREADS; t++)
            osw_probe[t].cpu = -1;
}

/* sysinfo.c: machine facts from hwloc where built with it, else from /proc
 * and /sys. */
#define _GNU_SOURCE
#include "sysinfo.h"

#include <dirent.h>
#include <math.h>
#include <sched.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef OSW_HAVE_HWLOC
#include <hwloc.h>
#endif

static void read_first_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    buf[0] = '\0';
    if (!f)
        return;
    if (fgets(buf, (int)len, f))
        buf[strcspn(buf, "\n")] = '\0';
    fclose(f);
}

/* Value of "key : value" in /proc/cpuinfo or "Key: N kB" in /proc/meminfo. */
static int proc_field(const char *path, const char *key, char *out, size_t len)
{
    FILE *f = fopen(path, "r");
    char line[512];
    int found = 0;
    if (!f)
        return 0;
    while (!found && fgets(line, sizeof(line), f)) {
        size_t klen = strlen(key);
        if (strncmp(line, key, klen) != 0)
            continue;
        char *colon = strchr(line + klen, ':');
        if (!colon)
            continue;
        char *v = colon + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        v[strcspn(v, "\n")] = '\0';
        snprintf(out, len, "%s", v);
        found = 1;
    }
    fclose(f);
    return found;
}

double osw_mem_available(void)
{
    char v[64];
    if (proc_field("/proc/meminfo", "MemAvailable", v, sizeof(v)))
        return strtod(v, NULL) * 1024.0;
    long pages = sysconf(_SC_AVPHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? (double)pages * (double)size : 0;
}

double osw_anon_huge_bytes_in(const osw_range *r, size_t n)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return NAN;
    char line[512];
    int inside = 0;
    double bytes = 0;
    while (fgets(line, sizeof(line), f)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3) { /* a mapping's first line */
            /* inside: the ranges (disjoint) cover the whole mapping, which may
             * span two of them where neighbouring advice merged */
            unsigned long covered = 0;
            for (size_t i = 0; i < n; i++) {
                uintptr_t end = r[i].start + r[i].len;
                uintptr_t a = lo > r[i].start ? lo : r[i].start;
                uintptr_t b = hi < end ? hi : end;
                covered += b > a ? b - a : 0;
            }
            inside = hi > lo && covered == hi - lo;
            continue;
        }
        unsigned long kib;
        if (inside && sscanf(line, "AnonHugePages: %lu kB", &kib) == 1)
            bytes += (double)kib * 1024.0;
    }
    fclose(f);
    return bytes;
}

/* The package and core ids of CPU cpu from sysfs: 1 and *pkg, *core, or 0
 * when sysfs names no core for it. */
static int sysfs_core_ids(int cpu, long *pkg, long *core)
{
    char path[128], text[32];
    snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/core_id", cpu);
    read_first_line(path, text, sizeof(text));
    if (!text[0])
        return 0;
    *core = atol(text);
    snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/physical_package_id", cpu);
    read_first_line(path, text, sizeof(text));
    *pkg = atol(text);
    return 1;
}

/* Counts distinct (package, core) pairs among online CPUs from sysfs. */
static int sysfs_cores(void)
{
    int ncpu = (int)sysconf(_SC_NPROCESSORS_CONF);
    int count = 0;
    long *seen = calloc((size_t)(ncpu > 0 ? ncpu : 1), sizeof(*seen));
    if (!seen)
        return 0;
    for (int cpu = 0; cpu < ncpu; cpu++) {
        long pkg, core;
        if (!sysfs_core_ids(cpu, &pkg, &core))
            continue;
        long key = pkg * 1000003L + core;
        int dup = 0;
        for (int i = 0; i < count; i++)
            dup |= seen[i] == key;
        if (!dup)
            seen[count++] = key;
    }
    free(seen);
    return count;
}

static int sysfs_numa_nodes(void)
{
    DIR *d = opendir("/sys/devices/system/node");
    int count = 0;
    struct dirent *e;
    if (!d)
        return 1;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, "node", 4) == 0 && e->d_name[4] >= '0' && e->d_name[4] <= '9')
            count++;
    closedir(d);
    return count ? count : 1;
}

/* The highest-level data or unified cache of CPU 0 (/sys), in bytes; 0 when
 * /sys does not say. */
static double llc_bytes(void)
{
    double best = 0;
    int best_level = 0;
    for (int i = 0; i < 16; i++) {
        char path[128], text[64];
        snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
        read_first_line(path, text, sizeof(text));
        if (!text[0])
            break;
        int level = atoi(text);
        snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
        read_first_line(path, text, sizeof(text));
        if (!text[0] || strncmp(text, "Instruction", 11) == 0)
            continue;
        snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
        read_first_line(path, text, sizeof(text));
        char *end;
        double size = strtod(text, &end);
        size *= *end == 'K' ? 1024.0 : *end == 'M' ? 1048576.0 : *end == 'G' ? 1073741824.0 : 1;
        if (level > best_level && size > 0) {
            best_level = level;
            best = size;
        }
    }
    return best;
}

void osw_sysinfo_read(osw_sysinfo *info)
{
    memset(info, 0, sizeof(*info));
    if (gethostname(info->host, sizeof(info->host) - 1) != 0)
        strcpy(info->host, "unknown");
    if (!proc_field("/proc/cpuinfo", "model name", info->cpu_model, sizeof(info->cpu_model)))
        strcpy(info->cpu_model, "unknown");
    info->hw_threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    info->procs = omp_get_num_procs();
    char v[64];
    if (proc_field("/proc/meminfo", "MemTotal", v, sizeof(v)))
        info->mem_total = strtod(v, NULL) * 1024.0;
    info->mem_available = osw_mem_available();
    info->llc_bytes = llc_bytes();

    char thp[256];
    read_first_line("/sys/kernel/mm/transparent_hugepage/enabled", thp, sizeof(thp));
    char *open = strchr(thp, '['), *close = open ? strchr(open, ']') : NULL;
    if (open && close) {
        *close = '\0';
        snprintf(info->thp, sizeof(info->thp), "%s", open + 1);
    } else {
        strcpy(info->thp, "unknown");
    }

#ifdef OSW_HAVE_HWLOC
    hwloc_topology_t topo;
    if (hwloc_topology_init(&topo) == 0) {
        if (hwloc_topology_load(topo) == 0) {
            info->cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
            int pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
            if (pus > 0)
                info->hw_threads = pus;
            info->numa_nodes = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
            strcpy(info->topology_source, "hwloc");
        }
        hwloc_topology_destroy(topo);
    }
#endif
    if (info->cores <= 0) {
        info->cores = sysfs_cores();
        info->numa_nodes = sysfs_numa_nodes();
        strcpy(info->topology_source, "sysfs");
    }
    if (info->cores <= 0)
        info->cores = info->hw_threads > 0 ? info->hw_threads : 1;
    if (info->numa_nodes <= 0)
        info->numa_nodes = 1;
}

/* Renumbers the keys in map[0..ncpu) (>= 0, or -1) to dense ids 0, 1, ...
 * in order of first appearance. */
static void densify(int *map, int ncpu)
{
    int *keys = malloc((size_t)ncpu * sizeof(*keys));
    int nkeys = 0;
    if (!keys)
        return;
    for (int cpu = 0; cpu < ncpu; cpu++) {
        if (map[cpu] < 0)
            continue;
        int id = -1;
        for (int i = 0; i < nkeys && id < 0; i++)
            if (keys[i] == map[cpu])
                id = i;
        if (id < 0) {
            keys[nkeys] = map[cpu];
            id = nkeys++;
        }
        map[cpu] = id;
    }
    free(keys);
}

int *osw_cpu_core_map(int *ncpu)
{
    int n = (int)sysconf(_SC_NPROCESSORS_CONF);
    *ncpu = 0;
#ifdef OSW_HAVE_HWLOC
    hwloc_topology_t topo;
    if (hwloc_topology_init(&topo) == 0) {
        int *map = NULL, mapped = 0;
        if (hwloc_topology_load(topo) == 0) {
            int npu = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
            for (int i = 0; i < npu; i++) {
                hwloc_obj_t pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned)i);
                if (pu && (int)pu->os_index >= n)
                    n = (int)pu->os_index + 1;
            }
            map = n > 0 ? malloc((size_t)n * sizeof(*map)) : NULL;
            for (int cpu = 0; map && cpu < n; cpu++)
                map[cpu] = -1;
            for (int i = 0; map && i < npu; i++) {
                hwloc_obj_t pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned)i);
                hwloc_obj_t core =
                    pu ? hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_CORE, pu) : NULL;
                if (core) {
                    map[pu->os_index] = (int)core->logical_index;
                    mapped++;
                }
            }
        }
        hwloc_topology_destroy(topo);
        if (map && mapped) {
            densify(map, n);
            *ncpu = n;
            return map;
        }
        free(map);
    }
#endif
    if (n <= 0)
        return NULL;
    int *map = malloc((size_t)n * sizeof(*map));
    int mapped = 0;
    if (!map)
        return NULL;
    for (int cpu = 0; cpu < n; cpu++) {
        long p = 0, c = 0;
        int named = sysfs_core_ids(cpu, &p, &c);
        map[cpu] = named && p >= 0 && c >= 0 && p < 32768 && c < 65536 ? (int)(p * 65536 + c) : -1;
        mapped += map[cpu] >= 0;
    }
    if (!mapped) {
        free(map);
        return NULL;
    }
    densify(map, n);
    *ncpu = n;
    return map;
}

int osw_cores_available(const int *map, int ncpu)
{
    if (!map || ncpu <= 0)
        return 0;
    char *usable = calloc((size_t)ncpu, 1), *seen = calloc((size_t)ncpu, 1);
    int count = 0, nplaces = omp_get_num_places();
    if (!usable || !seen)
        goto out;
    if (nplaces > 0) {
        /* OpenMP places: where the runtime may put threads (the initial
         * thread itself may already be bound to the first). */
        for (int p = 0; p < nplaces; p++) {
            int n = omp_get_place_num_procs(p);
            int *ids = n > 0 ? calloc((size_t)n, sizeof(*ids)) : NULL;
            if (!ids)
                continue;
            omp_get_place_proc_ids(p, ids);
            for (int i = 0; i < n; i++)
                if (ids[i] >= 0 && ids[i] < ncpu)
                    usable[ids[i]] = 1;
            free(ids);
        }
    } else {
        cpu_set_t *set = CPU_ALLOC((size_t)ncpu);
        size_t size = CPU_ALLOC_SIZE((size_t)ncpu);
        if (set && sched_getaffinity(0, size, set) == 0)
            for (int cpu = 0; cpu < ncpu; cpu++)
                usable[cpu] = CPU_ISSET_S((size_t)cpu, size, set) != 0;
        if (set)
            CPU_FREE(set);
    }
    for (int cpu = 0; cpu < ncpu; cpu++) {
        int core = map[cpu];
        if (usable[cpu] && core >= 0 && core < ncpu && !seen[core]) {
            seen[core] = 1;
            count++;
        }
    }
out:
    free(usable);
    free(seen);
    return count;
}

int osw_shared_core(const int *cpus, int count, const int *map, int ncpu, int *a, int *b)
{
    if (!map || ncpu <= 0)
        return 0;
    int *owner = malloc((size_t)ncpu * sizeof(*owner));
    int found = 0;
    if (!owner)
        return 0;
    for (int i = 0; i < ncpu; i++)
        owner[i] = -1;
    for (int t = 0; t < count && !found; t++) {
        int cpu = cpus[t];
        int core = cpu >= 0 && cpu < ncpu ? map[cpu] : -1;
        if (core < 0 || core >= ncpu)
            continue;
        if (owner[core] >= 0) {
            *a = owner[core];
            *b = t;
            found = 1;
        } else {
            owner[core] = t;
        }
    }
    free(owner);
    return found;
}

/* ---- the affinity mask at start ---- */

#ifdef __linux__
#include <sys/syscall.h>

/* Room for 8192 CPUs; the kernel writes nr_cpu_ids bits, rounded up to a
 * long, and says how many bytes. Raw syscalls: the preinit entry runs
 * before the sanitizers' interceptors are set up. */
static unsigned long start_mask[8192 / (8 * sizeof(unsigned long))];
static long start_mask_bytes; /* 0: not saved */

static void affinity_read(void)
{
    long got = syscall(SYS_sched_getaffinity, 0, sizeof(start_mask), start_mask);
    start_mask_bytes = got > 0 ? got : 0;
}

/* Runs before every shared library's initialiser (libgomp's among them):
 * the mask exec gave this process. */
static void affinity_preinit(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    affinity_read();
}
__attribute__((section(".preinit_array"),
               used)) static void (*const osw_affinity_preinit)(int, char **,
                                                                char **) = affinity_preinit;

void osw_affinity_save(void)
{
    if (!start_mask_bytes)
        affinity_read();
}

int osw_affinity_restore(void)
{
    if (!start_mask_bytes)
        return -1;
    return syscall(SYS_sched_setaffinity, 0, (size_t)start_mask_bytes, start_mask) == 0 ? 0 : -1;
}

int osw_affinity_cpus(void)
{
    int n = 0;
    for (long i = 0; i < start_mask_bytes / (long)sizeof(unsigned long); i++)
        n += __builtin_popcountl(start_mask[i]);
    return n;
}
#else
int osw_affinity_cpus(void)
{
    return 0;
}

void osw_affinity_save(void)
{
}

int osw_affinity_restore(void)
{
    return -1;
}
#endif

/* sysinfo.c: machine facts from hwloc where built with it, else from /proc
 * and /sys. */
#define _GNU_SOURCE
#include "sysinfo.h"

#include <dirent.h>
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

/* Counts distinct (package, core) pairs among online CPUs from sysfs. */
static int sysfs_cores(void)
{
    int ncpu = (int)sysconf(_SC_NPROCESSORS_CONF);
    int count = 0;
    long *seen = calloc((size_t)(ncpu > 0 ? ncpu : 1), sizeof(*seen));
    if (!seen)
        return 0;
    for (int cpu = 0; cpu < ncpu; cpu++) {
        char path[128], pkg[32], core[32];
        snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/core_id", cpu);
        read_first_line(path, core, sizeof(core));
        snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/physical_package_id",
                 cpu);
        read_first_line(path, pkg, sizeof(pkg));
        if (!core[0])
            continue;
        long key = atol(pkg) * 1000003L + atol(core);
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

/* energy.c: package energy from the powercap interface (energy.h). */
#define _GNU_SOURCE
#include "energy.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads the non-negative integer in file path into *v. 0, or -1. */
static int read_counter(const char *path, double *v)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    unsigned long long x;
    int ok = fscanf(f, "%llu", &x) == 1;
    fclose(f);
    if (!ok)
        return -1;
    *v = (double)x;
    return 0;
}

/* Whether name is a package domain, "intel-rapl:N". */
static int package_domain(const char *name)
{
    static const char prefix[] = "intel-rapl:";
    if (strncmp(name, prefix, sizeof(prefix) - 1) != 0)
        return 0;
    const char *p = name + sizeof(prefix) - 1;
    if (!*p)
        return 0;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

int osw_energy_open(osw_energy *e, const char *root)
{
    memset(e, 0, sizeof(*e));
    if (!root)
        root = "/sys/class/powercap";
    struct dirent **names = NULL;
    int count = scandir(root, &names, NULL, by_name);
    if (count < 0) {
        snprintf(e->why, sizeof(e->why), "no powercap interface (%.160s: %s)", root,
                 strerror(errno));
        return 0;
    }
    int found = 0, unreadable = 0;
    for (int i = 0; i < count; i++) {
        const char *name = names[i]->d_name;
        if (package_domain(name) && e->ndomains < OSW_ENERGY_MAX_DOMAINS) {
            found++;
            char path[4200], range_path[4300];
            snprintf(path, sizeof(path), "%s/%s/energy_uj", root, name);
            snprintf(range_path, sizeof(range_path), "%s/%s/max_energy_range_uj", root, name);
            double v, range;
            if (read_counter(path, &v) == 0 && read_counter(range_path, &range) == 0 && range > 0) {
                snprintf(e->path[e->ndomains], sizeof(e->path[0]), "%s", path);
                e->range_uj[e->ndomains] = range;
                e->ndomains++;
            } else {
                unreadable++;
            }
        }
        free(names[i]);
    }
    free(names);
    if (unreadable) { /* all or none: a sum over some packages would mislead */
        e->ndomains = 0;
        snprintf(e->why, sizeof(e->why),
                 "%d of %d RAPL package counter(s) under %.160s unreadable (root only?)",
                 unreadable, found, root);
    } else if (!found) {
        snprintf(e->why, sizeof(e->why), "no RAPL package domain (intel-rapl:N) under %.160s",
                 root);
    }
    return e->ndomains > 0;
}

int osw_energy_read(const osw_energy *e, osw_energy_snap *s)
{
    s->ndomains = 0;
    for (int i = 0; i < e->ndomains; i++)
        if (read_counter(e->path[i], &s->uj[i]) != 0)
            return -1;
    s->ndomains = e->ndomains;
    return e->ndomains > 0 ? 0 : -1;
}

double osw_energy_joules(const osw_energy *e, const osw_energy_snap *before,
                         const osw_energy_snap *after)
{
    if (e->ndomains == 0 || before->ndomains != e->ndomains || after->ndomains != e->ndomains)
        return NAN;
    double uj = 0;
    for (int i = 0; i < e->ndomains; i++) {
        double d = after->uj[i] - before->uj[i];
        if (d < 0) /* wrapped: the counter ran up to its range, then from 0 */
            d += e->range_uj[i];
        uj += d;
    }
    return uj * 1e-6;
}

const osw_energy *osw_energy_system(void)
{
    static osw_energy sys;
    static int opened;
    if (!opened) {
        const char *root = getenv("OSW_POWERCAP_ROOT");
        osw_energy_open(&sys, root && *root ? root : NULL);
        opened = 1;
    }
    return &sys;
}

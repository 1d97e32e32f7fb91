/* energy.h: package energy from the Linux powercap interface (Intel RAPL,
 * also AMD's under the same names): ROOT/intel-rapl:N/energy_uj, a counter
 * of microjoules that wraps at max_energy_range_uj. Only the top-level
 * package domains (intel-rapl:N) are summed: their subdomains
 * (intel-rapl:N:M, core, uncore, dram) and intel-rapl-mmio:N count parts of
 * the same energy again. Where no domain is readable (a VM, or a kernel that
 * lets only root read energy_uj since CVE-2020-8694), energy is
 * unavailable and says why. */
#ifndef OSW_ENERGY_H
#define OSW_ENERGY_H

#include <stddef.h>

/* Domains read at most. */
#define OSW_ENERGY_MAX_DOMAINS 16

/* The counters found under a powercap root. */
typedef struct osw_energy {
    int ndomains; /* 0: unavailable */
    char path[OSW_ENERGY_MAX_DOMAINS][4200];
    double range_uj[OSW_ENERGY_MAX_DOMAINS]; /* max_energy_range_uj */
    char why[256];                           /* when unavailable: why, one line */
} osw_energy;

/* One reading of every domain's counter, microjoules. */
typedef struct osw_energy_snap {
    int ndomains; /* 0: the reading failed */
    double uj[OSW_ENERGY_MAX_DOMAINS];
} osw_energy_snap;

/* Finds the package domains under root (NULL: /sys/class/powercap) whose
 * energy_uj and max_energy_range_uj read. Returns 1 when some did, 0 when
 * energy is unavailable (e->why says why). */
int osw_energy_open(osw_energy *e, const char *root);

/* Reads every domain of e into *s. Returns 0, or -1 (s->ndomains 0) when e
 * is unavailable or a counter did not read. */
int osw_energy_read(const osw_energy *e, osw_energy_snap *s);

/* Joules between two readings, summed over the domains; a counter below its
 * earlier value wrapped once (at range_uj). NaN when either reading failed. */
double osw_energy_joules(const osw_energy *e, const osw_energy_snap *before,
                         const osw_energy_snap *after);

/* This machine's counters (/sys/class/powercap, or the directory in
 * OSW_POWERCAP_ROOT when set, for tests), found at the first call. */
const osw_energy *osw_energy_system(void);

#endif

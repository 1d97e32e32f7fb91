/* tune_regions.h: the per-region part of `ompsweep tune` (tune_regions.c). */
#ifndef OSW_TUNE_REGIONS_H
#define OSW_TUNE_REGIONS_H

#include <stddef.h>
#include <stdio.h>

/* Prints to out the regions of the group (kernel base name without its
 * @BIND tag, size n) found in DIR/regions.csv: each region's time,
 * speedup, imbalance and team per thread count, where it stops scaling,
 * its share at the recommended thread count, and the program's serial
 * fraction. Nothing without regions.csv or rows of the group. Returns 0,
 * or an exit status with one line on stderr (a malformed regions.csv: 2). */
int osw_tune_regions(const char *dir, const char *base, size_t n, int recommended, FILE *out);

#endif

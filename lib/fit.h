/* fit.h: the scaling facts `ompsweep tune` and the figures (`ompsweep
 * plotdata`) share, so that both print the same numbers for the same data:
 * the best configuration per thread count, Amdahl's serial fraction by least
 * squares and its speedup limit, the bandwidth saturation point and the size
 * below which one thread wins. Pure functions: no I/O, no allocation. */
#ifndef OSW_FIT_H
#define OSW_FIT_H

#include "csv.h"

#include <stddef.h>

/* Fewest thread counts > 1 for an Amdahl fit: with one, the one-parameter
 * curve passes through the point exactly, and f (and 1/f) is noise. So a
 * fit needs this many parallel counts plus the 1-thread baseline. */
#define OSW_AMDAHL_MIN_PARALLEL 2
/* A rise in bandwidth below this fraction counts as saturated. */
#define OSW_SATURATION_RISE 0.05

/* One thread count's best configuration. */
typedef struct osw_scale_point {
    int threads;          /* the threads column */
    int team;             /* the threads that ran the best row (osw_row_team): the p of the fits */
    size_t best;          /* index of the best (smallest median) row in the rows given */
    double median;        /* its median_s */
    double speedup;       /* t1 / median; NaN without a 1-thread row */
    double karp_flatt;    /* (1/S - 1/p) / (1 - 1/p) for p > 1, else NaN */
    double gbps;          /* the largest gbps_median of a bound=memory row here; NaN: none */
    double ceiling_ratio; /* that row's ceiling_ratio (NaN: no ceiling measured) */
} osw_scale_point;

/* Fills pts (room for n) with one point per thread count of rows[0..n)
 * (usable rows of one kernel and size, in any order), sorted by threads;
 * *t1 gets the best 1-thread median (NaN when none), then each point's
 * speedup and Karp-Flatt metric against it. *memory is 1 when some row is
 * bound=memory with a finite gbps_median. Returns the number of points. */
size_t osw_scale_points(const osw_row *const *rows, size_t n, osw_scale_point *pts, double *t1,
                        int *memory);

/* Least-squares serial fraction f in [0, 1] of S(p) = 1 / (f + (1 - f) / p)
 * over the points with team > 1 and a finite speedup (the 1-thread point
 * fits any f exactly): a grid of 1001 values, then golden-section search
 * around the best. *used gets the number of such points. NaN when they are
 * fewer than OSW_AMDAHL_MIN_PARALLEL. */
double osw_amdahl_fit(const osw_scale_point *pts, size_t n, size_t *used);

/* The speedup limit 1/f of a serial fraction: INFINITY when f <= 1e-6, NaN
 * for a NaN f. */
double osw_amdahl_limit(double f);

/* Why osw_amdahl_fit gave NaN with `used` parallel points, in buf (one
 * clause, no full stop). */
void osw_amdahl_why(size_t used, char *buf, size_t len);

/* Bandwidth saturation over pts[0..n) (sorted by threads): the index of the
 * first point with a finite gbps after which no later count is more than
 * OSW_SATURATION_RISE better, or -1. *rising is 1 when the bandwidth still
 * rises at the last count (no saturation found), else 0. Needs 2 points with
 * a bandwidth. */
long osw_saturation(const osw_scale_point *pts, size_t n, int *rising);

/* Whether one thread wins at a size: its best median t1 is at most the best
 * parallel median tpar. */
int osw_serial_wins(double t1, double tpar);

/* A kernel's size crossover over sizes n[0..count) ascending, with the best
 * 1-thread median t1[i] and the best median over more threads tpar[i] (NaN
 * or INFINITY: none; such sizes are left out). */
typedef struct osw_crossover {
    size_t nsizes;           /* sizes with both medians */
    size_t below_n;          /* 1 thread beats parallel below this n; 0: none */
    int serial_everywhere;   /* 1 thread wins at every size */
    int parallel_everywhere; /* parallel wins at every size */
} osw_crossover;
void osw_crossover_find(const size_t *n, const double *t1, const double *tpar, size_t count,
                        osw_crossover *out);

/* Where the time ratio r = t(p)/t(1) of one thread count crosses 1 between
 * sizes na and nb, straight on log-log axes: the n at which log r is 0, given
 * ra = log r(na) and rb = log r(nb) of opposite signs. */
double osw_break_even_n(double na, double ra, double nb, double rb);

#endif

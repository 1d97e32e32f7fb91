/* stats.h: descriptive statistics of timing samples. Pure functions: no I/O,
 * no allocation beyond what a call documents, nothing about CSV or OpenMP.
 *
 * Method (Hoefler & Belli, SC15): report the distribution, never assume
 * normality. The 95% confidence interval of the median is the nonparametric
 * one from order statistics (binomial(n, 1/2) coverage, Conover 1999 §3.2);
 * outliers are Tukey's (outside [Q1 - 1.5 IQR, Q3 + 1.5 IQR]). */
#ifndef OSW_STATS_H
#define OSW_STATS_H

#include <stddef.h>

typedef struct osw_stats {
    size_t count;
    double min, max, median, mean;
    double stddev;       /* sample standard deviation (n - 1); 0 when count < 2 */
    double q1, q3;       /* quartiles, linear interpolation (Hyndman & Fan type 7) */
    double ci_lo, ci_hi; /* 95% CI of the median (see osw_median_ci) */
    double ci_level;     /* the CI's actual coverage (>= 0.95, or less when count < 6) */
    size_t outliers;     /* Tukey outliers */
} osw_stats;

/* Computes every field of *out from x[0..count). Sorts x in place (the caller
 * passes a scratch copy if it needs the order). count 0 gives NaN fields and
 * count 0. Returns 0, or -EINVAL when x is NULL with count > 0. */
int osw_stats_compute(double *x, size_t count, osw_stats *out);

/* Order-statistic ranks (0-based, into sorted data) of the narrowest
 * symmetric interval [x(lo), x(hi)] that covers the median with probability
 * >= level. When count is too small to reach level, gives [0, count-1] and the
 * coverage it does reach. Returns that coverage (0 when count is 0). */
double osw_median_ci(size_t count, double level, size_t *lo, size_t *hi);

/* Relative width (x(hi) - x(lo)) / median of the osw_median_ci interval at
 * level for sorted x[0..count): the stopping criterion of adaptive sampling.
 * +INFINITY when count cannot reach level (count < 6 for 0.95) or the median
 * is not positive. */
double osw_median_ci_rel_width(const double *sorted, size_t count, double level);

/* Quantile p in [0,1] of sorted x[0..count), linear interpolation. */
double osw_quantile_sorted(const double *x, size_t count, double p);

/* Spearman's rank correlation rho between the order of x[0..count) (x[0]
 * first: the order the samples were taken) and their values: Pearson's
 * correlation of the positions 1..count with the values' ranks, tied values
 * given the average of the ranks they span (mid-ranks), as
 * scipy.stats.spearmanr(range(count), x) computes it. +1: every sample
 * larger than the one before; 0: no monotone trend. x is not modified
 * (a scratch copy of count value-position pairs is allocated and freed).
 * NaN when count < 3, when every value is the same (no ranking), when some
 * value is NaN, or when out of memory. */
double osw_spearman_order(const double *x, size_t count);

/* A value and its position, for sorting by value with ties in position
 * order (qsort is not stable): osw_ranked_cmp is that total order. */
typedef struct osw_ranked {
    double value;
    size_t pos;
} osw_ranked;
int osw_ranked_cmp(const void *a, const void *b);

#endif

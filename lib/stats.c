/* stats.c: order statistics, moments and the CI of the median. */
#define _GNU_SOURCE
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double osw_quantile_sorted(const double *x, size_t count, double p)
{
    if (count == 0)
        return NAN;
    double h = (double)(count - 1) * p;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < count ? lo + 1 : lo;
    return x[lo] + (h - (double)lo) * (x[hi] - x[lo]);
}

/* log of the binomial coefficient C(n, k), through lgamma. */
static double log_choose(double n, double k)
{
    return lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1);
}

double osw_median_ci(size_t count, double level, size_t *lo, size_t *hi)
{
    if (count == 0) {
        *lo = *hi = 0;
        return 0;
    }
    /* For X ~ Binomial(count, 1/2), the interval [x(j), x(count-1-j)]
     * (0-based order statistics) misses the median with probability
     * 2 P(X <= j): take the largest j whose coverage still reaches level. */
    double n = (double)count;
    double tail = 0; /* P(X <= j) */
    size_t best = 0;
    double coverage = 1 - 2 * exp(-n * log(2.0)); /* j = 0: [min, max] */
    if (coverage < 0)
        coverage = 0;
    for (size_t j = 0; 2 * j + 1 < count; j++) {
        tail += exp(log_choose(n, (double)j) - n * log(2.0));
        double cov = 1 - 2 * tail;
        if (cov < level)
            break;
        best = j;
        coverage = cov;
    }
    /* best = how many order statistics are cut from each end. */
    *lo = best;
    *hi = count - 1 - best;
    return coverage;
}

int osw_stats_compute(double *x, size_t count, osw_stats *out)
{
    if (!x && count > 0)
        return -EINVAL;
    out->count = count;
    out->outliers = 0;
    if (count == 0) {
        out->min = out->max = out->median = out->mean = out->stddev = NAN;
        out->q1 = out->q3 = out->ci_lo = out->ci_hi = NAN;
        out->ci_level = 0;
        return 0;
    }
    qsort(x, count, sizeof(*x), cmp_double);
    out->min = x[0];
    out->max = x[count - 1];
    out->median = osw_quantile_sorted(x, count, 0.5);
    out->q1 = osw_quantile_sorted(x, count, 0.25);
    out->q3 = osw_quantile_sorted(x, count, 0.75);

    /* Welford's update: stable for samples that differ in the last digits. */
    double mean = 0, m2 = 0;
    for (size_t i = 0; i < count; i++) {
        double delta = x[i] - mean;
        mean += delta / (double)(i + 1);
        m2 += delta * (x[i] - mean);
    }
    out->mean = mean;
    out->stddev = count > 1 ? sqrt(m2 / (double)(count - 1)) : 0;

    size_t lo, hi;
    out->ci_level = osw_median_ci(count, 0.95, &lo, &hi);
    out->ci_lo = x[lo];
    out->ci_hi = x[hi];

    double iqr = out->q3 - out->q1;
    double fence_lo = out->q1 - 1.5 * iqr, fence_hi = out->q3 + 1.5 * iqr;
    for (size_t i = 0; i < count; i++)
        if (x[i] < fence_lo || x[i] > fence_hi)
            out->outliers++;
    return 0;
}

double osw_median_ci_rel_width(const double *sorted, size_t count, double level)
{
    size_t lo, hi;
    if (count == 0 || osw_median_ci(count, level, &lo, &hi) < level)
        return INFINITY;
    double median = osw_quantile_sorted(sorted, count, 0.5);
    if (!(median > 0))
        return INFINITY;
    return (sorted[hi] - sorted[lo]) / median;
}

/* ---- Spearman's rho against the order ---- */

int osw_ranked_cmp(const void *a, const void *b)
{
    const osw_ranked *x = a, *y = b;
    if (x->value != y->value)
        return (x->value > y->value) - (x->value < y->value);
    return (x->pos > y->pos) - (x->pos < y->pos); /* a total order: stable */
}

double osw_spearman_order(const double *x, size_t count)
{
    if (!x || count < 3)
        return NAN;
    for (size_t i = 0; i < count; i++)
        if (isnan(x[i]))
            return NAN;
    osw_ranked *r = malloc(count * sizeof(*r));
    if (!r)
        return NAN;
    for (size_t i = 0; i < count; i++)
        r[i] = (osw_ranked){x[i], i};
    qsort(r, count, sizeof(*r), osw_ranked_cmp);
    /* Pearson's correlation of the positions p (0-based) with the ranks q
     * (0-based mid-ranks); both have the mean m = (count - 1) / 2. The
     * positions' sum of squares about m is count (count^2 - 1) / 12. */
    double n = (double)count, m = (n - 1) / 2, sxy = 0, syy = 0;
    for (size_t i = 0; i < count;) {
        size_t j = i + 1;
        while (j < count && r[j].value == r[i].value)
            j++;
        double q = ((double)i + (double)(j - 1)) / 2 - m; /* tied i..j-1 */
        for (size_t k = i; k < j; k++) {
            sxy += ((double)r[k].pos - m) * q;
            syy += q * q;
        }
        i = j;
    }
    free(r);
    double sxx = n * (n * n - 1) / 12;
    if (!(syy > 0))
        return NAN;
    double rho = sxy / sqrt(sxx * syy);
    return rho > 1 ? 1 : rho < -1 ? -1 : rho;
}

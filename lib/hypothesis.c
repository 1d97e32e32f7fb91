/* hypothesis.c: Mann-Whitney U test and the Hodges-Lehmann-Bauer interval of
 * a ratio of times (methods and sources in hypothesis.h). */
#define _GNU_SOURCE
#include "hypothesis.h"
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- the exact null distribution of U ---- */

/* Frequencies of U for sizes m, n without ties (m + n <= OSW_MWU_EXACT_MAX):
 * the coefficients of the Gaussian binomial [m+n choose m]_q =
 * prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i), built one factor at a time. Each
 * partial product is itself a Gaussian binomial, so every division is exact.
 * freq has room for m n + min(m, n) + 1 coefficients (the partial products
 * reach degree i n + i before a division); returns their sum C(m+n, m). */
static int64_t u_frequencies(size_t m, size_t n, int64_t *freq)
{
    if (m > n) {
        size_t t = m;
        m = n;
        n = t;
    }
    size_t top = m * n;
    memset(freq, 0, (top + m + 1) * sizeof(*freq));
    freq[0] = 1;
    size_t deg = 0;
    for (size_t i = 1; i <= m; i++) {
        size_t shift = n + i;
        /* times (1 - q^shift) */
        for (size_t k = deg + shift; k >= shift; k--)
            freq[k] -= freq[k - shift];
        /* divided by (1 - q^i): running sums with stride i; the terms above
         * the new degree deg + n cancel to 0 */
        for (size_t k = i; k <= deg + shift; k++)
            freq[k] += freq[k - i];
        deg += n;
    }
    int64_t total = 0;
    for (size_t k = 0; k <= top; k++)
        total += freq[k];
    return total;
}

/* Room for the frequencies of any sizes with m + n <= OSW_MWU_EXACT_MAX. */
#define OSW_MWU_EXACT_TOP ((OSW_MWU_EXACT_MAX / 2) * (OSW_MWU_EXACT_MAX - OSW_MWU_EXACT_MAX / 2))
#define OSW_MWU_FREQ_LEN  (OSW_MWU_EXACT_TOP + OSW_MWU_EXACT_MAX / 2 + 1)

/* P(U <= u) from the frequencies. */
static double cdf_from(const int64_t *freq, size_t top, int64_t total, long u)
{
    if (u < 0)
        return 0;
    if ((size_t)u >= top)
        return 1;
    int64_t below = 0;
    for (long k = 0; k <= u; k++)
        below += freq[k];
    return (double)below / (double)total;
}

double osw_mwu_exact_cdf(size_t nx, size_t ny, long u)
{
    if (nx == 0 || ny == 0 || nx + ny > OSW_MWU_EXACT_MAX)
        return NAN;
    int64_t freq[OSW_MWU_FREQ_LEN];
    int64_t total = u_frequencies(nx, ny, freq);
    return cdf_from(freq, nx * ny, total, u);
}

/* ---- the normal distribution ---- */

static double norm_cdf(double t)
{
    return 0.5 * erfc(-t / sqrt(2.0));
}

double osw_norm_quantile(double p)
{
    if (!(p > 0 && p < 1))
        return NAN;
    /* Bisection on the monotone cdf: slow but exact to the last bits, and
     * called once per comparison. */
    double lo = -40, hi = 40;
    for (int it = 0; it < 400; it++) {
        double mid = 0.5 * (lo + hi);
        if (mid == lo || mid == hi)
            break;
        if (norm_cdf(mid) < p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* ---- the test ---- */

struct tagged {
    double v;
    int from_y;
};

static int cmp_tagged(const void *a, const void *b)
{
    double x = ((const struct tagged *)a)->v, y = ((const struct tagged *)b)->v;
    return (x > y) - (x < y);
}

static int all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

int osw_mwu_test(const double *x, size_t nx, const double *y, size_t ny, osw_mwu *out)
{
    if (!x || !y || !out || nx == 0 || ny == 0 || !all_finite(x, nx) || !all_finite(y, ny))
        return -EINVAL;
    size_t total = nx + ny;
    struct tagged *pool = malloc(total * sizeof(*pool));
    if (!pool)
        return -ENOMEM;
    for (size_t i = 0; i < nx; i++)
        pool[i] = (struct tagged){x[i], 0};
    for (size_t j = 0; j < ny; j++)
        pool[nx + j] = (struct tagged){y[j], 1};
    qsort(pool, total, sizeof(*pool), cmp_tagged);

    /* Mid-ranks: a group of t tied values at 0-based positions i..i+t-1
     * all get rank i + (t + 1) / 2. */
    double rank_sum_x = 0, tie_term = 0;
    int ties = 0;
    for (size_t i = 0; i < total;) {
        size_t j = i + 1;
        while (j < total && pool[j].v == pool[i].v)
            j++;
        double t = (double)(j - i), rank = (double)i + (t + 1) / 2;
        for (size_t k = i; k < j; k++)
            if (!pool[k].from_y)
                rank_sum_x += rank;
        if (j - i > 1) {
            ties = 1;
            tie_term += t * t * t - t;
        }
        i = j;
    }
    free(pool);

    double m = (double)nx, n = (double)ny, big_n = m + n;
    double u = rank_sum_x - m * (m + 1) / 2;
    double mu = m * n / 2;
    double var = m * n / 12 * ((big_n + 1) - tie_term / (big_n * (big_n - 1)));
    double dev = fabs(u - mu) - 0.5;
    double z = var > 0 && dev > 0 ? dev / sqrt(var) : 0;

    out->u = u;
    out->z = z;
    out->ties = ties;
    out->exact = !ties && total <= OSW_MWU_EXACT_MAX;
    if (out->exact) {
        int64_t freq[OSW_MWU_FREQ_LEN];
        int64_t count = u_frequencies(nx, ny, freq);
        long ui = lround(u), top = (long)(nx * ny);
        long lower = ui < top - ui ? ui : top - ui; /* the distribution is symmetric */
        out->p = 2 * cdf_from(freq, (size_t)top, count, lower);
    } else if (var <= 0) {
        out->p = 1; /* every value tied: no evidence either way */
    } else {
        out->p = erfc(z / sqrt(2.0));
    }
    if (out->p > 1)
        out->p = 1;
    return 0;
}

/* ---- the interval ---- */

size_t osw_hl_rank(size_t nx, size_t ny, double alpha, double *coverage)
{
    if (nx == 0 || ny == 0) {
        if (coverage)
            *coverage = 0;
        return 0;
    }
    size_t pairs = nx * ny, kmax = (pairs + 1) / 2, k = 1;
    double cov;
    if (nx + ny <= OSW_MWU_EXACT_MAX) {
        int64_t freq[OSW_MWU_FREQ_LEN];
        int64_t total = u_frequencies(nx, ny, freq);
        /* The largest k with 2 P(U <= k - 1) <= alpha. */
        int64_t below = 0;
        for (size_t c = 1; c <= kmax; c++) {
            below += freq[c - 1]; /* P(U <= c - 1) * total */
            if (2 * (double)below / (double)total > alpha)
                break;
            k = c;
        }
        cov = 1 - 2 * cdf_from(freq, pairs, total, (long)k - 1);
    } else {
        double mu = (double)pairs / 2;
        double sigma = sqrt((double)pairs * (double)(nx + ny + 1) / 12);
        double z = osw_norm_quantile(1 - alpha / 2);
        double kk = floor(mu - z * sigma + 0.5);
        k = !(kk >= 1) ? 1 : kk > (double)kmax ? kmax : (size_t)kk;
        cov = 1 - 2 * norm_cdf(((double)k - 0.5 - mu) / sigma);
    }
    if (cov < 0)
        cov = 0;
    if (coverage)
        *coverage = cov;
    return k;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Doubles mapped to unsigned integers in the same order (finite values). */
static uint64_t order_key(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof(u));
    return (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
}

static double from_key(uint64_t key)
{
    uint64_t u = (key >> 63) ? key & ~(UINT64_C(1) << 63) : ~key;
    double d;
    memcpy(&d, &u, sizeof(d));
    return d;
}

/* #{(i,j): ly[j] - lx[i] <= v} for ascending lx, ly: as lx[i] grows, the
 * qualifying j form a growing prefix of ly. */
static size_t count_le(const double *lx, size_t nx, const double *ly, size_t ny, double v)
{
    size_t count = 0, j = 0;
    for (size_t i = 0; i < nx; i++) {
        while (j < ny && ly[j] - lx[i] <= v)
            j++;
        count += j;
    }
    return count;
}

/* The k-th smallest (1-based) of the differences ly[j] - lx[i]: the least
 * double v with count_le(v) >= k, by bisection over the doubles' order. */
static double kth_difference(const double *lx, size_t nx, const double *ly, size_t ny, size_t k)
{
    double first = ly[0] - lx[nx - 1];
    if (count_le(lx, nx, ly, ny, first) >= k)
        return first;
    uint64_t lo = order_key(first), hi = order_key(ly[ny - 1] - lx[0]);
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (count_le(lx, nx, ly, ny, from_key(mid)) >= k)
            hi = mid;
        else
            lo = mid;
    }
    return from_key(hi);
}

static int all_positive(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(v[i] > 0 && isfinite(v[i])))
            return 0;
    return 1;
}

int osw_ratio_ci(const double *x, size_t nx, const double *y, size_t ny, double alpha,
                 osw_ratio *out)
{
    if (!x || !y || !out || nx == 0 || ny == 0 || !(alpha > 0 && alpha < 1) ||
        !all_positive(x, nx) || !all_positive(y, ny))
        return -EINVAL;
    double *lx = malloc((nx + ny) * sizeof(*lx));
    if (!lx)
        return -ENOMEM;
    double *ly = lx + nx;
    for (size_t i = 0; i < nx; i++)
        lx[i] = log(x[i]);
    for (size_t j = 0; j < ny; j++)
        ly[j] = log(y[j]);
    qsort(lx, nx, sizeof(*lx), cmp_double);
    qsort(ly, ny, sizeof(*ly), cmp_double);

    size_t pairs = nx * ny;
    double mid = kth_difference(lx, nx, ly, ny, (pairs + 1) / 2);
    if (pairs % 2 == 0)
        mid = 0.5 * (mid + kth_difference(lx, nx, ly, ny, pairs / 2 + 1));
    double level;
    size_t k = osw_hl_rank(nx, ny, alpha, &level);
    out->estimate = exp(mid);
    out->lo = exp(kth_difference(lx, nx, ly, ny, k));
    out->hi = exp(kth_difference(lx, nx, ly, ny, pairs + 1 - k));
    out->level = level;
    free(lx);
    return 0;
}

int osw_holm_adjust(const double *p, size_t m, double *adj)
{
    if (m == 0)
        return 0;
    if (!p || !adj)
        return -EINVAL;
    for (size_t i = 0; i < m; i++)
        if (!(p[i] >= 0 && p[i] <= 1))
            return -EINVAL;
    osw_ranked *r = malloc(m * sizeof(*r));
    if (!r)
        return -ENOMEM;
    for (size_t i = 0; i < m; i++)
        r[i] = (osw_ranked){p[i], i};
    qsort(r, m, sizeof(*r), osw_ranked_cmp);
    double run = 0;
    for (size_t j = 0; j < m; j++) {
        double a = (double)(m - j) * r[j].value;
        run = a > run ? a : run;
        adj[r[j].pos] = run < 1 ? run : 1;
    }
    free(r);
    return 0;
}

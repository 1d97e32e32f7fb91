/* hypothesis.h: comparing two sets of timing samples (base x, new y). Pure
 * functions: no I/O, no global state; each call allocates only scratch memory
 * that it frees before returning. Knows nothing of CSV or OpenMP.
 *
 * Mann-Whitney U test (Mann & Whitney 1947, Ann. Math. Statist. 18:50-60),
 * two-sided. U of the first sample is
 *     U_x = #{(i,j): x_i > y_j} + #{(i,j): x_i == y_j} / 2
 *         = R_x - nx (nx + 1) / 2,
 * R_x the sum of x's mid-ranks in the pooled sample. Null distribution:
 *   - EXACT when no value occurs twice in the pooled sample and
 *     nx + ny <= OSW_MWU_EXACT_MAX (50; every nx, ny <= 25 qualifies): the
 *     frequencies of U are the coefficients of the Gaussian binomial
 *     coefficient [nx+ny choose nx]_q, counted in 64-bit integers (at most
 *     C(50,25) ~ 1.3e14, exact). p = min(1, 2 min(P(U <= u), P(U >= u))).
 *   - otherwise the NORMAL approximation with continuity correction and the
 *     tie-corrected variance (Lehmann 1975, Nonparametrics, §1.4; Conover
 *     1999, Practical Nonparametric Statistics, §5.1):
 *       mu = nx ny / 2,
 *       sigma^2 = nx ny / 12 * ((N + 1) - sum_k (t_k^3 - t_k) / (N (N - 1))),
 *       N = nx + ny, t_k the size of the k-th group of tied values,
 *       z = max(0, |U - mu| - 1/2) / sigma,   p = erfc(z / sqrt 2).
 *     All values tied (sigma = 0) gives p = 1.
 *
 * Ratio new/base and its confidence interval: the Hodges-Lehmann estimator
 * and the distribution-free interval of Bauer (1972, JASA 67:687-690;
 * Hollander, Wolfe & Chicken 2014, Nonparametric Statistical Methods, 3rd
 * ed., §4.2-4.3), applied to log-times. With the nx ny pairwise differences
 * D_ij = log y_j - log x_i in increasing order D(1) <= ... <= D(nx ny):
 *     estimate = exp(median of the D_ij),
 *     interval = [exp D(k), exp D(nx ny + 1 - k)],
 * k the largest rank with 2 P(U <= k - 1) <= alpha under the no-tie null
 * distribution of U (exact as above when nx + ny <= OSW_MWU_EXACT_MAX,
 * otherwise k = floor(nx ny / 2 - z_{1-alpha/2} sqrt(nx ny (N + 1) / 12) +
 * 1/2)). Under the model "new = ratio * base in distribution" (a shift of the
 * log-times) this covers the ratio of medians, and of every other quantile,
 * with probability >= 1 - alpha. It is deterministic (no resampling) and
 * agrees with the test: the interval leaves out 1 exactly when the exact
 * test rejects at alpha (for the normal approximation, up to rounding of k).
 * When even [D(1), D(nx ny)] cannot reach 1 - alpha (tiny samples, e.g.
 * 3 vs 3 at alpha 0.05), that widest interval is returned with the coverage
 * it does reach in .level. The k-th difference is found without storing the
 * nx ny differences: bisection over the doubles' order, counting with two
 * pointers, O((nx + ny) log) time, O(nx + ny) memory. */
#ifndef OSW_HYPOTHESIS_H
#define OSW_HYPOTHESIS_H

#include <stddef.h>

/* The largest nx + ny for which the exact null distribution is used. */
#define OSW_MWU_EXACT_MAX 50

typedef struct osw_mwu {
    double u;  /* U of x (see above), in [0, nx ny] */
    double z;  /* normal score (continuity-corrected, >= 0); also set when exact */
    double p;  /* two-sided p-value, in (0, 1] */
    int exact; /* 1: exact null distribution, 0: normal approximation */
    int ties;  /* 1 when some value occurs more than once in the pooled sample */
} osw_mwu;

/* Two-sided Mann-Whitney U test of x[0..nx) against y[0..ny). Values must be
 * finite. Returns 0, -EINVAL (NULL, nx or ny 0, a NaN or infinity) or
 * -ENOMEM. */
int osw_mwu_test(const double *x, size_t nx, const double *y, size_t ny, osw_mwu *out);

/* Exact null distribution of U for sizes nx, ny without ties:
 * P(U <= u). Returns NaN when nx + ny > OSW_MWU_EXACT_MAX or nx or ny is 0
 * (or when out of memory). */
double osw_mwu_exact_cdf(size_t nx, size_t ny, long u);

/* The rank k (1-based, 1 <= k <= (nx ny + 1) / 2) of the lower end of the
 * Hodges-Lehmann-Bauer interval at level 1 - alpha, as described above;
 * *coverage (may be NULL) receives the interval's coverage 1 - 2 P(U <= k-1)
 * (exact, or its normal approximation). Returns 0 when nx or ny is 0. */
size_t osw_hl_rank(size_t nx, size_t ny, double alpha, double *coverage);

typedef struct osw_ratio {
    double estimate; /* Hodges-Lehmann estimate of the ratio y / x */
    double lo, hi;   /* the interval (lo <= estimate <= hi) */
    double level;    /* its coverage: >= 1 - alpha unless the samples are too small */
} osw_ratio;

/* Estimate and 1 - alpha confidence interval of the ratio y / x (new / base)
 * of two sets of positive times. alpha in (0, 1). Returns 0, -EINVAL (NULL,
 * an empty set, a value that is not positive and finite, alpha out of range)
 * or -ENOMEM. */
int osw_ratio_ci(const double *x, size_t nx, const double *y, size_t ny, double alpha,
                 osw_ratio *out);

/* Quantile of the standard normal distribution, p in (0, 1) (NaN outside). */
double osw_norm_quantile(double p);

/* Holm's step-down adjustment (Holm 1979, Scand. J. Statist. 6:65) of m
 * p-values: adj[i] = max over the j-th smallest p-values up to p[i]'s rank
 * of min(1, (m - j) p_(j)), j counted from 0. Rejecting every hypothesis
 * with adj[i] <= alpha is Holm's test: the chance of any false rejection
 * among the m stays at most alpha. p and adj may be the same array.
 * Returns 0, -EINVAL (NULL, a p-value outside [0, 1]) or -ENOMEM. */
int osw_holm_adjust(const double *p, size_t m, double *adj);

#endif

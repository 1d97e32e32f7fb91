/* test_hypothesis: the Mann-Whitney U test and the ratio interval of
 * lib/hypothesis.c against values computed independently.
 *
 * The reference numbers come from a first-principles Python 3 script (standard
 * library only), reproduced in the comments: U counted pair by pair, the exact
 * null distribution by enumerating all C(m+n, m) rank placements
 * (itertools.combinations), the normal approximation straight from the
 * textbook formula with the tie-corrected variance, the interval from the
 * sorted list of all pairwise log differences. The critical values of U for
 * equal sizes at two-sided alpha = 0.05 (2, 5, 8, 13, 17, 23 for n = 5..10)
 * are the classic table values (e.g. Siegel & Castellan 1988, Nonparametric
 * Statistics for the Behavioral Sciences, Table J), reproduced by the same
 * enumeration. Exit 0 when all pass. */
#include "hypothesis.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int failures, checks;

static void check(int ok, const char *what)
{
    checks++;
    if (!ok) {
        failures++;
        fprintf(stderr, "FAIL %s\n", what);
    }
}

static void check_near(double got, double want, double rel, const char *what)
{
    checks++;
    if (!(fabs(got - want) <= rel * fabs(want) + 1e-300)) {
        failures++;
        fprintf(stderr, "FAIL %s: got %.17g, want %.17g\n", what, got, want);
    }
}

/* Counter-based generator (splitmix64 of the counter): deterministic. */
static uint64_t mix(uint64_t counter)
{
    uint64_t z = counter + UINT64_C(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static double uniform(uint64_t counter) /* in (0, 1) */
{
    return ((double)(mix(counter) >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(uint64_t counter) /* Box-Muller */
{
    double u1 = uniform(2 * counter), u2 = uniform(2 * counter + 1);
    return sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
}

static void test_exact(void)
{
    /* x = [1.1, 2.3, 3.5, 0.7, 4.2], y = [2.9, 5.1, 6.0, 4.4, 3.8, 7.2]:
     * U_x = 3 (pairs x > y: 3.5 > 2.9, 4.2 > 2.9, 4.2 > 3.8); enumerating the
     * 462 placements, P(U <= 3) = 7/462, p = 2 * 7/462 = 1/33. */
    const double x[] = {1.1, 2.3, 3.5, 0.7, 4.2}, y[] = {2.9, 5.1, 6.0, 4.4, 3.8, 7.2};
    osw_mwu r;
    check(osw_mwu_test(x, 5, y, 6, &r) == 0, "exact: returns 0");
    check(r.exact == 1 && r.ties == 0, "exact: exact method, no ties");
    check_near(r.u, 3, 0, "exact: U");
    check_near(r.p, 1.0 / 33, 1e-12, "exact: p = 1/33");
    check(osw_mwu_test(y, 6, x, 5, &r) == 0, "exact swapped: returns 0");
    check_near(r.u, 27, 0, "exact swapped: U = 30 - 3");
    check_near(r.p, 1.0 / 33, 1e-12, "exact swapped: same p");

    /* Complete separation, 3 vs 3: P(U = 0) = 1/C(6,3) = 1/20, p = 0.1. */
    const double a[] = {1, 2, 3}, b[] = {4, 5, 6};
    osw_mwu_test(a, 3, b, 3, &r);
    check_near(r.p, 0.1, 1e-12, "3 vs 3 separated: p = 0.1");
    check_near(r.u, 0, 0, "3 vs 3 separated: U = 0");
    /* 1 vs 1: p = 1. */
    osw_mwu_test(a, 1, b, 1, &r);
    check_near(r.p, 1, 0, "1 vs 1: p = 1");

    /* The exact cdf: P(U <= 0) = 1 / C(m+n, m); symmetric about m n / 2. */
    check_near(osw_mwu_exact_cdf(8, 8, 0), 1.0 / 12870, 1e-12, "cdf(8,8,0)");
    check_near(osw_mwu_exact_cdf(25, 25, -1), 0, 0, "cdf below 0");
    check_near(osw_mwu_exact_cdf(25, 25, 625), 1, 0, "cdf at the top");
    check_near(osw_mwu_exact_cdf(25, 25, 312), 0.5, 1e-12, "cdf(25,25) at the centre");
    check(isnan(osw_mwu_exact_cdf(25, 26, 3)), "cdf beyond OSW_MWU_EXACT_MAX is NaN");
    check(isnan(osw_mwu_exact_cdf(0, 5, 3)), "cdf of an empty sample is NaN");
    /* Every exact cdf sums the same frequencies as C(m+n, m): check the
     * total through the centre of symmetry for odd m n. */
    check_near(osw_mwu_exact_cdf(7, 9, 31) + osw_mwu_exact_cdf(7, 9, 31), 1, 1e-12,
               "cdf(7,9) symmetric: 2 P(U <= 31) = 1");
}

static void test_ranks(void)
{
    /* Table critical values c (two-sided 0.05) give k = c + 1. */
    static const struct {
        size_t m, n, k;
        double coverage;
    } table[] = {
        {5, 5, 3, 0.9682539682539683},  {6, 6, 6, 0.9588744588744589},
        {7, 7, 9, 0.9621212121212122},  {8, 8, 14, 0.9501165501165502},
        {9, 9, 18, 0.9600164541341012}, {10, 10, 24, 0.9567429474550218},
        {4, 7, 4, 0.9575757575757575},  {3, 3, 1, 0.9},
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        double cov;
        size_t k = osw_hl_rank(table[i].m, table[i].n, 0.05, &cov);
        char what[64];
        snprintf(what, sizeof(what), "rank k for %zu vs %zu", table[i].m, table[i].n);
        check(k == table[i].k, what);
        check_near(cov, table[i].coverage, 1e-12, what);
    }
    /* Normal approximation: 30 vs 30, mu = 450, sigma = sqrt(900 * 61 / 12),
     * k = floor(450 - 1.959964 * 67.64 + 0.5) = 317. */
    double cov;
    check(osw_hl_rank(30, 30, 0.05, &cov) == 317, "rank k for 30 vs 30 (normal)");
    check(cov > 0.949 && cov < 0.953, "coverage for 30 vs 30 near 0.95");
    /* At the exact/normal boundary both give close ranks: 25 vs 25 exact,
     * 25 vs 26 normal. */
    size_t k50 = osw_hl_rank(25, 25, 0.05, NULL), k51 = osw_hl_rank(25, 26, 0.05, NULL);
    check(k50 >= 205 && k50 <= 215 && k51 >= k50 && k51 <= k50 + 20,
          "ranks continuous across the exact limit");
    check(osw_hl_rank(0, 5, 0.05, &cov) == 0 && cov == 0, "rank of an empty sample");
    check(osw_hl_rank(1, 1, 0.05, NULL) == 1, "rank of 1 vs 1");
    check_near(osw_norm_quantile(0.975), 1.959963984540054, 1e-12, "z(0.975)");
    check(fabs(osw_norm_quantile(0.5)) < 1e-15, "z(0.5) = 0");
    check(isnan(osw_norm_quantile(0)) && isnan(osw_norm_quantile(1.5)), "z outside (0,1)");
}

static void test_normal(void)
{
    osw_mwu r;
    /* Ties: x = [1,2,2,3,3,3,4,5], y = [3,4,4,5,5,6,7,7,8]. U_x = 7.5; tie
     * groups 2 (x2), 3 (x4), 4 (x3), 5 (x3), 7 (x2): sum t^3 - t = 6 + 60 +
     * 24 + 24 + 6 = 120; sigma^2 = 72/12 (18 - 120/272); z = (|7.5 - 36| -
     * 0.5)/sigma = 2.727939278646863; p = erfc(z/sqrt 2). */
    const double x[] = {1, 2, 2, 3, 3, 3, 4, 5}, y[] = {3, 4, 4, 5, 5, 6, 7, 7, 8};
    check(osw_mwu_test(x, 8, y, 9, &r) == 0, "ties: returns 0");
    check(r.exact == 0 && r.ties == 1, "ties: normal approximation");
    check_near(r.u, 7.5, 0, "ties: U = 7.5");
    check_near(r.z, 2.727939278646863, 1e-12, "ties: z");
    check_near(r.p, 0.006373133838085877, 1e-10, "ties: p");

    /* Heavy ties: x = [2,2,2,2,3], y = [2,2,3,3,3,3]: U = 8, p = 0.17058693287144142. */
    const double a[] = {2, 2, 2, 2, 3}, b[] = {2, 2, 3, 3, 3, 3};
    osw_mwu_test(a, 5, b, 6, &r);
    check_near(r.u, 8, 0, "heavy ties: U");
    check_near(r.p, 0.17058693287144142, 1e-10, "heavy ties: p");

    /* All tied: p = 1. */
    const double c[] = {5, 5, 5};
    osw_mwu_test(c, 3, c, 3, &r);
    check(r.p == 1 && r.ties == 1, "all tied: p = 1");

    /* No ties, 30 vs 30 (normal): x_i = ((i 7919) mod 1009)/100,
     * y_i = ((i 104729) mod 1013)/100 + 1.3, i = 1..30: U = 375,
     * z = 1.1014396937223137, p = 0.2707053377245184. */
    double lx[30], ly[30];
    for (int i = 1; i <= 30; i++) {
        lx[i - 1] = ((i * 7919) % 1009) / 100.0;
        ly[i - 1] = ((i * 104729L) % 1013) / 100.0 + 1.3;
    }
    osw_mwu_test(lx, 30, ly, 30, &r);
    check(r.exact == 0 && r.ties == 0, "30 vs 30: normal, no ties");
    check_near(r.u, 375, 0, "30 vs 30: U");
    check_near(r.z, 1.1014396937223137, 1e-12, "30 vs 30: z");
    check_near(r.p, 0.2707053377245184, 1e-10, "30 vs 30: p");

    /* At the limit, 25 vs 25 (exact): e_i = 1 + 0.01 i, f_i = 1.045 + 0.01 i,
     * i = 0..24: U = 210; the frequencies by the recursion
     * c(m, n, u) = c(m-1, n, u-n) + c(m, n-1, u) give p = 0.047161706806839204,
     * and the normal approximation 0.047805795330980644 is close. */
    double e[25], f[25];
    for (int i = 0; i < 25; i++) {
        e[i] = 1 + 0.01 * i;
        f[i] = 1.045 + 0.01 * i;
    }
    osw_mwu re;
    osw_mwu_test(e, 25, f, 25, &re);
    check(re.exact == 1, "25 vs 25: exact");
    check_near(re.u, 210, 0, "25 vs 25: U");
    check_near(re.p, 0.047161706806839204, 1e-12, "25 vs 25: exact p");
    check_near(erfc(re.z / sqrt(2.0)), 0.047805795330980644, 1e-12, "25 vs 25: normal p");
    osw_mwu_test(e, 25, f, 24, &re);
    check(re.exact == 1, "25 vs 24: exact");
    double g[26];
    for (int i = 0; i < 26; i++)
        g[i] = 1.045 + 0.01 * i;
    osw_mwu_test(e, 25, g, 26, &re);
    check(re.exact == 0, "25 vs 26: normal");

    /* Bad input. */
    const double bad[] = {1, NAN};
    check(osw_mwu_test(bad, 2, x, 8, &r) == -EINVAL, "NaN: -EINVAL");
    check(osw_mwu_test(x, 0, y, 9, &r) == -EINVAL, "empty: -EINVAL");
    check(osw_mwu_test(NULL, 1, y, 9, &r) == -EINVAL, "NULL: -EINVAL");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The interval by brute force: every difference, sorted. */
static void brute_ci(const double *x, size_t nx, const double *y, size_t ny, double alpha,
                     double *est, double *lo, double *hi)
{
    size_t pairs = nx * ny;
    double *d = malloc(pairs * sizeof(*d));
    for (size_t i = 0; i < nx; i++)
        for (size_t j = 0; j < ny; j++)
            d[i * ny + j] = log(y[j]) - log(x[i]);
    qsort(d, pairs, sizeof(*d), cmp_double);
    double mid = pairs % 2 ? d[pairs / 2] : 0.5 * (d[pairs / 2 - 1] + d[pairs / 2]);
    size_t k = osw_hl_rank(nx, ny, alpha, NULL);
    *est = exp(mid);
    *lo = exp(d[k - 1]);
    *hi = exp(d[pairs - k]);
    free(d);
}

static void test_ratio(void)
{
    osw_ratio ci;
    /* x = [1.0,1.1,1.3,0.9,1.2], y = [1.5,1.2,1.35,1.6,1.45]: 25 sorted log
     * differences D; estimate exp D(13) = 1.3181818181818181, k = 3:
     * [exp D(3), exp D(23)] = [1.0384615384615385, 1.611111111111111]. */
    const double x[] = {1.0, 1.1, 1.3, 0.9, 1.2}, y[] = {1.5, 1.2, 1.35, 1.6, 1.45};
    check(osw_ratio_ci(x, 5, y, 5, 0.05, &ci) == 0, "ratio: returns 0");
    check_near(ci.estimate, 1.3181818181818181, 1e-12, "ratio: estimate");
    check_near(ci.lo, 1.0384615384615385, 1e-12, "ratio: lo");
    check_near(ci.hi, 1.611111111111111, 1e-12, "ratio: hi");
    check_near(ci.level, 0.9682539682539683, 1e-12, "ratio: level");

    /* Constructed: new = 1.25 x a permutation of base: the shift is exactly
     * log 1.25, so the estimate is 1.25 and the interval contains it. */
    double base[40], fresh[40];
    for (size_t i = 0; i < 40; i++)
        base[i] = 1e-3 * exp(0.1 * normal(1000 + i));
    for (size_t i = 0; i < 40; i++)
        fresh[i] = 1.25 * base[(i * 17) % 40];
    for (size_t n = 5; n <= 40; n += 35) { /* exact (10 in all) and normal (80) */
        for (size_t i = 0; i < n; i++)
            fresh[i] = 1.25 * base[(i * 17) % n];
        osw_ratio_ci(base, n, fresh, n, 0.05, &ci);
        check_near(ci.estimate, 1.25, 1e-12, "constructed: estimate = 1.25");
        check(ci.lo <= 1.25 && 1.25 <= ci.hi && ci.lo > 1.0 && ci.hi < 1.6,
              "constructed: interval contains 1.25, excludes 1");
    }

    /* Against brute force, with and without ties, exact and normal ranks. */
    static const size_t sizes[][2] = {{1, 1}, {1, 7}, {7, 11}, {12, 12}, {30, 40}, {3, 90}};
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        for (int rounded = 0; rounded < 2; rounded++) {
            size_t nx = sizes[s][0], ny = sizes[s][1];
            double a[100], b[100];
            for (size_t i = 0; i < nx; i++)
                a[i] = 2 + normal(5000 + 100 * s + i);
            for (size_t j = 0; j < ny; j++)
                b[j] = 2.2 + normal(9000 + 100 * s + j);
            if (rounded) { /* ties within and across the samples */
                for (size_t i = 0; i < nx; i++)
                    a[i] = fmax(0.5, round(4 * a[i]) / 4);
                for (size_t j = 0; j < ny; j++)
                    b[j] = fmax(0.5, round(4 * b[j]) / 4);
            }
            for (size_t i = 0; i < nx; i++)
                a[i] = fmax(a[i], 0.1);
            for (size_t j = 0; j < ny; j++)
                b[j] = fmax(b[j], 0.1);
            double est, lo, hi;
            brute_ci(a, nx, b, ny, 0.1, &est, &lo, &hi);
            check(osw_ratio_ci(a, nx, b, ny, 0.1, &ci) == 0, "brute: returns 0");
            char what[80];
            snprintf(what, sizeof(what), "brute force %zu vs %zu%s", nx, ny,
                     rounded ? " (ties)" : "");
            check(ci.estimate == est && ci.lo == lo && ci.hi == hi, what);
            check(ci.lo <= ci.estimate && ci.estimate <= ci.hi, "lo <= estimate <= hi");
        }
    }

    /* Coverage: lognormal times, true ratio 1.1, 2000 replicates each of
     * 15 vs 15 (exact ranks) and 40 vs 40 (normal ranks). The count of
     * misses is binomial(2000, <= 0.05): mean <= 100, sd ~ 10; accept 30 to
     * 130 misses (3 sd). The data are fixed, so the outcome is too. */
    static const size_t reps[] = {15, 40};
    for (size_t r = 0; r < 2; r++) {
        size_t n = reps[r], covered = 0, agree = 0;
        for (uint64_t t = 0; t < 2000; t++) {
            double a[40], b[40];
            for (size_t i = 0; i < n; i++) {
                a[i] = 1e-4 * exp(0.2 * normal(1000000 * (r + 1) + 100 * t + i));
                b[i] = 1.1e-4 * exp(0.2 * normal(1000000 * (r + 1) + 100 * t + 50 + i));
            }
            osw_ratio_ci(a, n, b, n, 0.05, &ci);
            covered += ci.lo <= 1.1 && 1.1 <= ci.hi;
            /* The interval leaves out 1 exactly when the exact test rejects. */
            osw_mwu m;
            osw_mwu_test(a, n, b, n, &m);
            agree += (m.p <= 0.05) == (ci.lo > 1 || ci.hi < 1);
        }
        char what[80];
        snprintf(what, sizeof(what), "coverage %zu vs %zu: %zu of 2000", n, n, covered);
        check(covered >= 1870 && covered <= 1970, what);
        snprintf(what, sizeof(what), "test and interval agree %zu vs %zu: %zu of 2000", n, n,
                 agree);
        check(n > 25 ? agree >= 1990 : agree == 2000, what);
    }

    /* Bad input. */
    const double zero[] = {1, 0}, neg[] = {-1}, inf[] = {INFINITY};
    check(osw_ratio_ci(zero, 2, y, 5, 0.05, &ci) == -EINVAL, "ratio: zero time");
    check(osw_ratio_ci(neg, 1, y, 5, 0.05, &ci) == -EINVAL, "ratio: negative time");
    check(osw_ratio_ci(x, 5, inf, 1, 0.05, &ci) == -EINVAL, "ratio: infinite time");
    check(osw_ratio_ci(x, 5, y, 0, 0.05, &ci) == -EINVAL, "ratio: empty");
    check(osw_ratio_ci(x, 5, y, 5, 0, &ci) == -EINVAL, "ratio: alpha 0");
    check(osw_ratio_ci(x, 5, y, 5, 1, &ci) == -EINVAL, "ratio: alpha 1");
}

/* Holm's adjustment, values worked by hand from its definition (as R's
 * p.adjust(p, "holm") defines it): sorted 0.005, 0.01, 0.03, 0.04 times 4,
 * 3, 2, 1 is 0.02, 0.03, 0.06, 0.04, and the running maximum keeps 0.06. */
static void test_holm(void)
{
    double p[] = {0.01, 0.04, 0.03, 0.005}, adj[4];
    const double want[] = {0.03, 0.06, 0.06, 0.02};
    check(osw_holm_adjust(p, 4, adj) == 0, "holm: returns 0");
    for (int i = 0; i < 4; i++)
        check_near(adj[i], want[i], 1e-12, "holm: adjusted p");
    /* in place, ties and the cap at 1 */
    double q[] = {0.5, 0.01, 0.5, 0.01};
    const double wq[] = {1, 0.04, 1, 0.04};
    check(osw_holm_adjust(q, 4, q) == 0, "holm: in place");
    for (int i = 0; i < 4; i++)
        check_near(q[i], wq[i], 1e-12, "holm: ties, capped at 1");
    double one = 0.2;
    check(osw_holm_adjust(&one, 1, &one) == 0 && one == 0.2, "holm: one p-value is itself");
    check(osw_holm_adjust(p, 0, adj) == 0, "holm: none");
    double bad[] = {0.1, 1.5};
    check(osw_holm_adjust(bad, 2, adj) == -EINVAL, "holm: a p-value above 1");
    bad[1] = NAN;
    check(osw_holm_adjust(bad, 2, adj) == -EINVAL, "holm: NaN");
    check(osw_holm_adjust(NULL, 2, adj) == -EINVAL, "holm: NULL");
}

int main(void)
{
    test_exact();
    test_ranks();
    test_normal();
    test_ratio();
    test_holm();
    if (failures) {
        fprintf(stderr, "test_hypothesis: %d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("test_hypothesis: %d checks passed\n", checks);
    return 0;
}

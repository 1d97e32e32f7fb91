/* test_unit: unit tests of the harness's pure modules (parse, stats, csv).
 *
 * Usage: test_unit CASE   runs one case (exit 0 pass, 1 fail, 2 unknown case)
 *        test_unit        runs every case
 *        test_unit --list prints the case names, one a line
 *        test_unit --count N  exits 0 when the table holds exactly N cases
 *
 * The case table at the end of this file is the one list of cases:
 * tests/unit/CMakeLists.txt reads its CASE(name) lines to register one CTest
 * test `unit.<name>` per case. */
#define _GNU_SOURCE
#include "csv.h"
#include "envaxis.h"
#include "placement.h"
#include "error.h"
#include "kernel.h"
#include "measure.h"
#include "parse.h"
#include "rows.h"
#include "runtime.h"
#include "stats.h"
#include "sysinfo.h"
#include "util.h" /* osw_alloc, for the alloc cases only */

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- assertions: report and go on, the case fails at the end ---- */

static int failures;

static void report(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%d: FAIL: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    failures++;
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            report(__FILE__, __LINE__, "%s", #cond);                                               \
    } while (0)

#define CHECK_INT(actual, expected)                                                                \
    do {                                                                                           \
        long long a_ = (long long)(actual), e_ = (long long)(expected);                            \
        if (a_ != e_)                                                                              \
            report(__FILE__, __LINE__, "%s == %lld, expected %lld", #actual, a_, e_);              \
    } while (0)

#define CHECK_NEAR(actual, expected, tol)                                                          \
    do {                                                                                           \
        double a_ = (actual), e_ = (expected);                                                     \
        if (!(fabs(a_ - e_) <= (tol)))                                                             \
            report(__FILE__, __LINE__, "%s == %.17g, expected %.17g (tolerance %g)", #actual, a_,  \
                   e_, (double)(tol));                                                             \
    } while (0)

#define CHECK_NAN(actual)                                                                          \
    do {                                                                                           \
        double a_ = (actual);                                                                      \
        if (!isnan(a_))                                                                            \
            report(__FILE__, __LINE__, "%s == %.17g, expected NaN", #actual, a_);                  \
    } while (0)

#define CHECK_STR(actual, expected)                                                                \
    do {                                                                                           \
        const char *a_ = (actual), *e_ = (expected);                                               \
        if (!a_ || strcmp(a_, e_) != 0)                                                            \
            report(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #actual,                   \
                   a_ ? a_ : "(null)", e_);                                                        \
    } while (0)

#define CHECK_CONTAINS(text, needle)                                                               \
    do {                                                                                           \
        const char *t_ = (text), *n_ = (needle);                                                   \
        if (!t_ || !strstr(t_, n_))                                                                \
            report(__FILE__, __LINE__, "%s == \"%s\" does not contain \"%s\"", #text,              \
                   t_ ? t_ : "(null)", n_);                                                        \
    } while (0)

/* Exact equality of two doubles (the expected value is exactly representable). */
#define CHECK_DBL(actual, expected) CHECK_NEAR(actual, expected, 0.0)

/* ---- stats ---- */

static void case_stats_median_odd(void)
{
    double x[] = {9, 1, 5, 3, 7};
    osw_stats s;
    CHECK_INT(osw_stats_compute(x, 5, &s), 0);
    CHECK_INT(s.count, 5);
    CHECK_DBL(s.median, 5);
    CHECK_DBL(s.min, 1);
    CHECK_DBL(s.max, 9);
    CHECK_DBL(s.mean, 5);
    /* Sorted in place, as documented. */
    CHECK_DBL(x[0], 1);
    CHECK_DBL(x[4], 9);
}

static void case_stats_median_even(void)
{
    double x[] = {4, 1, 3, 2};
    osw_stats s;
    CHECK_INT(osw_stats_compute(x, 4, &s), 0);
    CHECK_DBL(s.median, 2.5);
    double y[] = {10, 20};
    CHECK_INT(osw_stats_compute(y, 2, &s), 0);
    CHECK_DBL(s.median, 15);
}

static void case_stats_mean_stddev(void)
{
    double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
    osw_stats s;
    CHECK_INT(osw_stats_compute(x, 8, &s), 0);
    CHECK_DBL(s.mean, 5);
    /* Sample (n - 1) standard deviation: sqrt(32 / 7). */
    CHECK_NEAR(s.stddev, 2.1380899352993950, 1e-12);
    CHECK_NEAR(s.stddev, sqrt(32.0 / 7.0), 1e-15);
    /* Welford keeps samples that differ in the last digits exact enough. */
    double y[] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    CHECK_INT(osw_stats_compute(y, 4, &s), 0);
    CHECK_NEAR(s.mean, 1e9 + 10, 1e-6);
    CHECK_NEAR(s.stddev, sqrt(90.0 / 3.0), 1e-6);
}

static void case_stats_quartiles_type7(void)
{
    double x[] = {9, 7, 5, 5, 4, 4, 4, 2};
    osw_stats s;
    CHECK_INT(osw_stats_compute(x, 8, &s), 0);
    /* Hyndman & Fan type 7 (R's default): h = (n - 1) p. */
    CHECK_DBL(s.q1, 4);
    CHECK_DBL(s.median, 4.5);
    CHECK_DBL(s.q3, 5.5);
    double y[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    CHECK_INT(osw_stats_compute(y, 10, &s), 0);
    CHECK_DBL(s.q1, 3.25);
    CHECK_DBL(s.q3, 7.75);
    const double sorted[] = {10, 20, 30, 40};
    CHECK_DBL(osw_quantile_sorted(sorted, 4, 0.0), 10);
    CHECK_DBL(osw_quantile_sorted(sorted, 4, 1.0), 40);
    CHECK_DBL(osw_quantile_sorted(sorted, 4, 0.5), 25);
    CHECK_NEAR(osw_quantile_sorted(sorted, 4, 0.9), 37, 1e-12);
    CHECK_NAN(osw_quantile_sorted(sorted, 0, 0.5));
}

static void case_stats_outliers_tukey(void)
{
    /* Q1 = 3.25, Q3 = 7.75, IQR = 4.5: fences -3.5 and 14.5. */
    double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 100};
    osw_stats s;
    CHECK_INT(osw_stats_compute(x, 10, &s), 0);
    CHECK_INT(s.outliers, 1);
    double y[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 14.5}; /* on the fence: not an outlier */
    CHECK_INT(osw_stats_compute(y, 10, &s), 0);
    CHECK_DBL(s.q3, 7.75); /* the upper fence stays 7.75 + 1.5 * 4.5 = 14.5 */
    CHECK_INT(s.outliers, 0);
    double z[] = {-50, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 200};
    CHECK_INT(osw_stats_compute(z, 12, &s), 0);
    CHECK_INT(s.outliers, 2);
    double flat[] = {3, 3, 3, 3, 3};
    CHECK_INT(osw_stats_compute(flat, 5, &s), 0);
    CHECK_INT(s.outliers, 0);
    CHECK_DBL(s.stddev, 0);
}

static void case_stats_ci_median_n10(void)
{
    size_t lo = 99, hi = 99;
    double cov = osw_median_ci(10, 0.95, &lo, &hi);
    CHECK_INT(lo, 1);
    CHECK_INT(hi, 8);
    /* 1 - 2 (1 + 10) / 1024 */
    CHECK_NEAR(cov, 0.978515625, 1e-12);
    double x[] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    osw_stats s;
    CHECK_INT(osw_stats_compute(x, 10, &s), 0);
    CHECK_DBL(s.ci_lo, 2);
    CHECK_DBL(s.ci_hi, 9);
    CHECK_NEAR(s.ci_level, 0.978515625, 1e-12);
}

static void case_stats_ci_median_n5(void)
{
    /* n = 5 cannot reach 95%: [min, max], with the 93.75% it does reach. */
    size_t lo = 99, hi = 99;
    double cov = osw_median_ci(5, 0.95, &lo, &hi);
    CHECK_INT(lo, 0);
    CHECK_INT(hi, 4);
    CHECK_NEAR(cov, 0.9375, 1e-12);
    double x[] = {5, 3, 1, 4, 2};
    osw_stats s;
    CHECK_INT(osw_stats_compute(x, 5, &s), 0);
    CHECK_DBL(s.ci_lo, 1);
    CHECK_DBL(s.ci_hi, 5);
    CHECK_NEAR(s.ci_level, 0.9375, 1e-12);
    CHECK(s.ci_level < 0.95);
}

static void case_stats_ci_median_larger(void)
{
    /* Exact binomial(n, 1/2) values, computed independently. */
    static const struct {
        size_t n, lo, hi;
        double coverage;
    } want[] = {
        {6, 0, 5, 0.96875},
        {20, 5, 14, 0.9586105346679688},
        {100, 39, 60, 0.9647997997822952},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        size_t lo = 0, hi = 0;
        double cov = osw_median_ci(want[i].n, 0.95, &lo, &hi);
        CHECK_INT(lo, want[i].lo);
        CHECK_INT(hi, want[i].hi);
        CHECK_NEAR(cov, want[i].coverage, 1e-9);
    }
    size_t lo = 99, hi = 99;
    CHECK_DBL(osw_median_ci(0, 0.95, &lo, &hi), 0);
}

static void case_stats_empty(void)
{
    osw_stats s;
    memset(&s, 0x55, sizeof(s));
    CHECK_INT(osw_stats_compute(NULL, 0, &s), 0);
    CHECK_INT(s.count, 0);
    CHECK_NAN(s.min);
    CHECK_NAN(s.max);
    CHECK_NAN(s.median);
    CHECK_NAN(s.mean);
    CHECK_NAN(s.stddev);
    CHECK_NAN(s.q1);
    CHECK_NAN(s.q3);
    CHECK_NAN(s.ci_lo);
    CHECK_NAN(s.ci_hi);
    CHECK_DBL(s.ci_level, 0);
    CHECK_INT(s.outliers, 0);
    CHECK_INT(osw_stats_compute(NULL, 3, &s), -EINVAL);
}

static void case_stats_single(void)
{
    double x[] = {0.25};
    osw_stats s;
    CHECK_INT(osw_stats_compute(x, 1, &s), 0);
    CHECK_INT(s.count, 1);
    CHECK_DBL(s.min, 0.25);
    CHECK_DBL(s.max, 0.25);
    CHECK_DBL(s.median, 0.25);
    CHECK_DBL(s.mean, 0.25);
    CHECK_DBL(s.stddev, 0);
    CHECK_DBL(s.q1, 0.25);
    CHECK_DBL(s.q3, 0.25);
    CHECK_DBL(s.ci_lo, 0.25);
    CHECK_DBL(s.ci_hi, 0.25);
    /* One sample covers a continuous median with probability 0. */
    CHECK_DBL(s.ci_level, 0);
    CHECK_INT(s.outliers, 0);
}

/* Spearman's rho of order against value, values worked by hand: 1 - 6
 * sum d^2 / (n (n^2 - 1)) without ties, Pearson's correlation of the
 * mid-ranks with ties (tests/unit/spearman_scipy.py checks more against
 * scipy). */
static void case_stats_spearman_order(void)
{
    double up[] = {1, 2, 3, 4, 5}, down[] = {5e-3, 4e-3, 3e-3, 2e-3, 1e-3};
    CHECK_NEAR(osw_spearman_order(up, 5), 1, 1e-15);
    CHECK_NEAR(osw_spearman_order(down, 5), -1, 1e-15);
    double swap[] = {1, 3, 2}; /* ranks 1 3 2: sum d^2 = 2, 1 - 12/24 */
    CHECK_NEAR(osw_spearman_order(swap, 3), 0.5, 1e-15);
    /* Ties: mid-ranks 1.5 1.5 3.5 3.5 against 1 2 3 4: 4 / sqrt(5 * 4). */
    double tied[] = {1, 1, 2, 2};
    CHECK_NEAR(osw_spearman_order(tied, 4), 2 / sqrt(5), 1e-15);
    /* A burst in the middle of ten: ranks 1 2 3 7 8 9 10 4 5 6, d = 0 0 0 3
     * 3 3 3 -4 -4 -4, sum d^2 = 84. */
    double burst[] = {1, 2, 3, 8, 9, 10, 11, 4, 5, 6};
    CHECK_NEAR(osw_spearman_order(burst, 10), 1 - 6 * 84.0 / (10 * 99), 1e-14);
    /* x is left as it was (the stats are computed on a copy). */
    CHECK_DBL(burst[3], 8);
    CHECK_DBL(burst[7], 4);
    /* Not available: fewer than 3, every value equal, a NaN, NULL. */
    double two[] = {2, 1}, same[] = {7, 7, 7, 7}, with_nan[] = {1, NAN, 3};
    CHECK_NAN(osw_spearman_order(two, 2));
    CHECK_NAN(osw_spearman_order(up, 0));
    CHECK_NAN(osw_spearman_order(same, 4));
    CHECK_NAN(osw_spearman_order(with_nan, 3));
    CHECK_NAN(osw_spearman_order(NULL, 3));
    /* Infinity ranks above every finite value. */
    double inf_last[] = {1, 2, INFINITY};
    CHECK_NEAR(osw_spearman_order(inf_last, 3), 1, 1e-15);
}

/* ---- parse: threads ---- */

/* Parses text and compares with want[0..nwant). */
static void threads_ok(const char *file, int line, const char *text, int ncores, const int *want,
                       size_t nwant)
{
    int *got = NULL;
    size_t n = 0;
    char err[OSW_ERRLEN] = "";
    int rc = osw_parse_threads(text, ncores, &got, &n, err);
    if (rc != 0) {
        report(file, line, "threads '%s': rc %d (%s)", text, rc, err);
        return;
    }
    int same = n == nwant;
    for (size_t i = 0; same && i < n; i++)
        same = got[i] == want[i];
    if (!same) {
        char buf[512] = "";
        for (size_t i = 0; i < n && strlen(buf) < sizeof(buf) - 16; i++)
            snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%d", i ? "," : "", got[i]);
        report(file, line, "threads '%s' gave [%s] (%zu items), expected %zu items", text, buf, n,
               nwant);
    }
    free(got);
}

#define THREADS_OK(text, ncores, ...)                                                              \
    do {                                                                                           \
        const int w_[] = {__VA_ARGS__};                                                            \
        threads_ok(__FILE__, __LINE__, text, ncores, w_, sizeof(w_) / sizeof(w_[0]));              \
    } while (0)

/* The parse must fail with OSW_EUSAGE and an err that contains needle. */
static void threads_bad(const char *file, int line, const char *text, const char *needle)
{
    int *got = NULL;
    size_t n = 0;
    char err[OSW_ERRLEN] = "";
    int rc = osw_parse_threads(text, 8, &got, &n, err);
    if (rc != OSW_EUSAGE)
        report(file, line, "threads '%s': rc %d, expected OSW_EUSAGE", text, rc);
    else if (!err[0] || !strstr(err, needle))
        report(file, line, "threads '%s': err \"%s\" does not name \"%s\"", text, err, needle);
    else if (strchr(err, '\n'))
        report(file, line, "threads '%s': err has a newline", text);
    free(got);
}

static void case_parse_threads_list(void)
{
    THREADS_OK("1,2,4-16", 8, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
    THREADS_OK("8", 2, 8);
    THREADS_OK("4096", 2, 4096);
    THREADS_OK("3-3", 2, 3);
    THREADS_OK("16,1,4", 2, 16, 1, 4); /* order kept */
}

static void case_parse_threads_step(void)
{
    THREADS_OK("1-16:2", 8, 1, 3, 5, 7, 9, 11, 13, 15);
    THREADS_OK("2-8:3", 8, 2, 5, 8);
    THREADS_OK("1-3:10", 8, 1);
}

static void case_parse_threads_pow2_all(void)
{
    THREADS_OK("pow2", 6, 1, 2, 4, 6);
    THREADS_OK("pow2", 8, 1, 2, 4, 8);
    THREADS_OK("pow2", 1, 1);
    THREADS_OK("all", 3, 1, 2, 3);
    THREADS_OK("all", 1, 1);
}

static void case_parse_threads_duplicates(void)
{
    THREADS_OK("1,2,2,1", 8, 1, 2);
    THREADS_OK("1-4,2-6", 8, 1, 2, 3, 4, 5, 6);
    THREADS_OK("4,pow2", 4, 4, 1, 2);
    THREADS_OK("all,2", 3, 1, 2, 3);
}

/* Each error case on its own line so a failure names it. */
static void case_parse_threads_errors_all(void)
{
    threads_bad(__FILE__, __LINE__, "0", "'0'");
    threads_bad(__FILE__, __LINE__, "-1", "'-1'");
    threads_bad(__FILE__, __LINE__, "abc", "'abc'");
    threads_bad(__FILE__, __LINE__, "4-2", "'4-2'");
    threads_bad(__FILE__, __LINE__, "1-", "'1-'");
    threads_bad(__FILE__, __LINE__, "1,,2", "1,,2");
    threads_bad(__FILE__, __LINE__, ",1", ",1");
    threads_bad(__FILE__, __LINE__, "1,", "1,");
    threads_bad(__FILE__, __LINE__, "4097", "'4097'");
    threads_bad(__FILE__, __LINE__, "1-5000", "'1-5000'");
    threads_bad(__FILE__, __LINE__, "1-4:0", "'1-4:0'");
    threads_bad(__FILE__, __LINE__, "4:2", "'4:2'");
    threads_bad(__FILE__, __LINE__, "", "--threads");
    threads_bad(__FILE__, __LINE__, "1,x", "'x'");
    threads_bad(__FILE__, __LINE__, " 1", "' 1'");
    threads_bad(__FILE__, __LINE__, "+2", "'+2'");
    threads_bad(__FILE__, __LINE__, "99999999999999999999", "'99999999999999999999'");
}

/* ---- parse: sizes ---- */

static void size_ok(const char *file, int line, const char *text, size_t want)
{
    size_t got = 12345;
    char err[OSW_ERRLEN] = "";
    int rc = osw_parse_size(text, &got, err);
    if (rc != 0)
        report(file, line, "size '%s': rc %d (%s)", text, rc, err);
    else if (got != want)
        report(file, line, "size '%s' gave %zu, expected %zu", text, got, want);
}

static void sizes_bad(const char *file, int line, const char *text, const char *needle)
{
    size_t *got = NULL, n = 0;
    char err[OSW_ERRLEN] = "";
    int rc = osw_parse_sizes(text, &got, &n, err);
    if (rc != OSW_EUSAGE)
        report(file, line, "sizes '%s': rc %d (%zu items), expected OSW_EUSAGE", text, rc, n);
    else if (!err[0] || !strstr(err, needle))
        report(file, line, "sizes '%s': err \"%s\" does not name \"%s\"", text, err, needle);
    free(got);
}

static void case_parse_sizes_forms(void)
{
    size_ok(__FILE__, __LINE__, "1e6", 1000000);
    size_ok(__FILE__, __LINE__, "2^24", 16777216);
    size_ok(__FILE__, __LINE__, "100M", 100000000);
    size_ok(__FILE__, __LINE__, "16Mi", 16777216);
    size_ok(__FILE__, __LINE__, "1K", 1000);
    size_ok(__FILE__, __LINE__, "1Ki", 1024);
    size_ok(__FILE__, __LINE__, "1000", 1000);
    size_ok(__FILE__, __LINE__, "3G", 3000000000);
    size_ok(__FILE__, __LINE__, "2T", 2000000000000);
    size_ok(__FILE__, __LINE__, "1Gi", 1073741824);
    size_ok(__FILE__, __LINE__, "2^48", (size_t)1 << 48);
    size_ok(__FILE__, __LINE__, "2.5e3", 2500);
    size_ok(__FILE__, __LINE__, "0", 0); /* one size: 0 accepted, callers check */

    size_t *list = NULL, n = 0;
    char err[OSW_ERRLEN] = "";
    CHECK_INT(osw_parse_sizes("1e6,2^24,100M,16Mi,1K,1000", &list, &n, err), 0);
    CHECK_INT(n, 6);
    if (n == 6) {
        CHECK_INT(list[0], 1000000);
        CHECK_INT(list[1], 16777216);
        CHECK_INT(list[2], 100000000);
        CHECK_INT(list[3], 16777216);
        CHECK_INT(list[4], 1000);
        CHECK_INT(list[5], 1000);
    }
    free(list);
}

static void case_parse_sizes_errors(void)
{
    sizes_bad(__FILE__, __LINE__, "0", "'0'");
    sizes_bad(__FILE__, __LINE__, "1000,0", "'0'");
    sizes_bad(__FILE__, __LINE__, "-5", "'-5'");
    sizes_bad(__FILE__, __LINE__, "1e30", "'1e30'");
    sizes_bad(__FILE__, __LINE__, "abc", "'abc'");
    sizes_bad(__FILE__, __LINE__, "1.5", "'1.5'");
    sizes_bad(__FILE__, __LINE__, "2^", "'2^'");
    sizes_bad(__FILE__, __LINE__, "1Q", "'1Q'");
    sizes_bad(__FILE__, __LINE__, "1e-3", "'1e-3'");
    sizes_bad(__FILE__, __LINE__, "2^49", "'2^49'");
    sizes_bad(__FILE__, __LINE__, "1^5", "'1^5'");
    sizes_bad(__FILE__, __LINE__, "1e6 ", "'1e6 '");
    sizes_bad(__FILE__, __LINE__, "", "--sizes");
    sizes_bad(__FILE__, __LINE__, "1,,2", "1,,2");
}

/* Only the forms parse.h documents: decimal integers, decimal exponents,
 * powers and SI suffixes. strtod's hexadecimal forms are not sizes. */
static void case_parse_sizes_rejects_hex(void)
{
    sizes_bad(__FILE__, __LINE__, "0x10", "'0x10'");
    sizes_bad(__FILE__, __LINE__, "0x1p4", "'0x1p4'");
}

/* ---- parse: schedules ---- */

struct sched_want {
    omp_sched_t kind;
    int modifier, chunk;
    const char *name;
};

static void schedules_ok(const char *file, int line, const char *text, const struct sched_want *w,
                         size_t nwant)
{
    osw_schedule *got = NULL;
    size_t n = 0;
    char err[OSW_ERRLEN] = "";
    int rc = osw_parse_schedules(text, &got, &n, err);
    if (rc != 0) {
        report(file, line, "schedules '%s': rc %d (%s)", text, rc, err);
        return;
    }
    if (n != nwant)
        report(file, line, "schedules '%s': %zu entries, expected %zu", text, n, nwant);
    for (size_t i = 0; i < n && i < nwant; i++) {
        char name[32];
        osw_schedule_name(&got[i], name, sizeof(name));
        if (got[i].kind != w[i].kind || got[i].modifier != w[i].modifier ||
            got[i].chunk != w[i].chunk || strcmp(name, w[i].name) != 0)
            report(file, line,
                   "schedules '%s' entry %zu: kind %d modifier %d chunk %d name '%s', expected "
                   "kind %d modifier %d chunk %d name '%s'",
                   text, i, (int)got[i].kind, got[i].modifier, got[i].chunk, name, (int)w[i].kind,
                   w[i].modifier, w[i].chunk, w[i].name);
    }
    free(got);
}

#define SCHEDULES_OK(text, ...)                                                                    \
    do {                                                                                           \
        const struct sched_want w_[] = {__VA_ARGS__};                                              \
        schedules_ok(__FILE__, __LINE__, text, w_, sizeof(w_) / sizeof(w_[0]));                    \
    } while (0)

#define S_STATIC  omp_sched_static
#define S_DYNAMIC omp_sched_dynamic
#define S_GUIDED  omp_sched_guided
#define S_AUTO    omp_sched_auto

static void schedules_bad(const char *file, int line, const char *text, const char *needle)
{
    osw_schedule *got = NULL;
    size_t n = 0;
    char err[OSW_ERRLEN] = "";
    int rc = osw_parse_schedules(text, &got, &n, err);
    if (rc != OSW_EUSAGE)
        report(file, line, "schedules '%s': rc %d (%zu entries), expected OSW_EUSAGE", text, rc, n);
    else if (!err[0] || !strstr(err, needle))
        report(file, line, "schedules '%s': err \"%s\" does not name \"%s\"", text, err, needle);
    free(got);
}

static void case_parse_schedules_single(void)
{
    SCHEDULES_OK("static", {S_STATIC, 0, 0, "static"});
    SCHEDULES_OK("dynamic:64", {S_DYNAMIC, 0, 64, "dynamic"});
    SCHEDULES_OK("guided:8", {S_GUIDED, 0, 8, "guided"});
    SCHEDULES_OK("auto", {S_AUTO, 0, 0, "auto"});
    SCHEDULES_OK("nonmonotonic:dynamic:1", {S_DYNAMIC, -1, 1, "nonmonotonic:dynamic"});
    SCHEDULES_OK("monotonic:static", {S_STATIC, 1, 0, "monotonic:static"});
    SCHEDULES_OK("monotonic:guided:2", {S_GUIDED, 1, 2, "monotonic:guided"});
    SCHEDULES_OK("nonmonotonic:guided", {S_GUIDED, -1, 0, "nonmonotonic:guided"});
    SCHEDULES_OK("static:4", {S_STATIC, 0, 4, "static"});
}

static void case_parse_schedules_lists(void)
{
    SCHEDULES_OK("dynamic:1,4,16", {S_DYNAMIC, 0, 1, "dynamic"}, {S_DYNAMIC, 0, 4, "dynamic"},
                 {S_DYNAMIC, 0, 16, "dynamic"});
    SCHEDULES_OK("guided:1,8", {S_GUIDED, 0, 1, "guided"}, {S_GUIDED, 0, 8, "guided"});
    SCHEDULES_OK("static,dynamic:16,guided", {S_STATIC, 0, 0, "static"},
                 {S_DYNAMIC, 0, 16, "dynamic"}, {S_GUIDED, 0, 0, "guided"});
    SCHEDULES_OK("nonmonotonic:dynamic:2,3", {S_DYNAMIC, -1, 2, "nonmonotonic:dynamic"},
                 {S_DYNAMIC, -1, 3, "nonmonotonic:dynamic"});
    /* OMP_SCHEDULE's spelling, as tune's export line prints it: KIND,CHUNK is
     * KIND:CHUNK; a further bare number adds another chunk. */
    SCHEDULES_OK("dynamic,16", {S_DYNAMIC, 0, 16, "dynamic"});
    SCHEDULES_OK("static,4", {S_STATIC, 0, 4, "static"});
    SCHEDULES_OK("static,dynamic,16,guided", {S_STATIC, 0, 0, "static"},
                 {S_DYNAMIC, 0, 16, "dynamic"}, {S_GUIDED, 0, 0, "guided"});
    SCHEDULES_OK("nonmonotonic:dynamic,4,8", {S_DYNAMIC, -1, 4, "nonmonotonic:dynamic"},
                 {S_DYNAMIC, -1, 8, "nonmonotonic:dynamic"});
}

static void case_parse_schedules_pow2(void)
{
    osw_schedule *got = NULL;
    size_t n = 0;
    char err[OSW_ERRLEN] = "";
    CHECK_INT(osw_parse_schedules("dynamic:pow2", &got, &n, err), 0);
    CHECK_INT(n, 11);
    for (size_t i = 0; i < n && i < 11; i++) {
        CHECK_INT(got[i].kind, omp_sched_dynamic);
        CHECK_INT(got[i].modifier, 0);
        CHECK_INT(got[i].chunk, 1 << i);
    }
    free(got);
}

static void case_parse_schedules_name(void)
{
    char buf[32];
    osw_schedule s = {.kind = omp_sched_dynamic, .modifier = -1, .chunk = 7};
    CHECK_STR(osw_schedule_name(&s, buf, sizeof(buf)), "nonmonotonic:dynamic");
    s = (osw_schedule){.kind = omp_sched_static, .modifier = 1, .chunk = 0};
    CHECK_STR(osw_schedule_name(&s, buf, sizeof(buf)), "monotonic:static");
    s = (osw_schedule){.kind = omp_sched_guided, .modifier = 0, .chunk = 3};
    CHECK_STR(osw_schedule_name(&s, buf, sizeof(buf)), "guided");
    s = (osw_schedule){.kind = omp_sched_auto, .modifier = 0, .chunk = 0};
    CHECK_STR(osw_schedule_name(&s, buf, sizeof(buf)), "auto");
    /* The returned pointer is buf. */
    CHECK(osw_schedule_name(&s, buf, sizeof(buf)) == buf);
}

static void case_parse_schedules_errors(void)
{
    schedules_bad(__FILE__, __LINE__, "bogus", "'bogus'");
    schedules_bad(__FILE__, __LINE__, "dynamic:0", "'0'");
    schedules_bad(__FILE__, __LINE__, "dynamic:-3", "'-3'");
    schedules_bad(__FILE__, __LINE__, "auto:4", "auto");
    schedules_bad(__FILE__, __LINE__, "monotonic:auto", "auto");
    schedules_bad(__FILE__, __LINE__, "nonmonotonic:static", "nonmonotonic:static");
    schedules_bad(__FILE__, __LINE__, "4,static", "'4'");
    schedules_bad(__FILE__, __LINE__, "auto,4", "'4'");
    schedules_bad(__FILE__, __LINE__, "dynamic:", "dynamic");
    schedules_bad(__FILE__, __LINE__, "dynamic:4x", "4x");
    schedules_bad(__FILE__, __LINE__, "dynamic:1,,4", "dynamic:1,,4");
    schedules_bad(__FILE__, __LINE__, "static,", "static,");
    schedules_bad(__FILE__, __LINE__, "", "--schedules");
    schedules_bad(__FILE__, __LINE__, "Static", "'Static'");
}

/* A chunk error quotes the item as the user typed it ("dynamic:0"), not the
 * kind alone. */
static void case_parse_schedules_error_names_item(void)
{
    schedules_bad(__FILE__, __LINE__, "dynamic:0", "'dynamic:0'");
    schedules_bad(__FILE__, __LINE__, "guided:-3", "'guided:-3'");
}

/* taskloop:grainsize:G and taskloop:num_tasks:N: the value in chunk, the
 * mode in taskloop, lists and pow2 as for a chunk; the CSV name is the
 * schedule without its value and reads back. */
static void taskloop_ok(const char *file, int line, const char *text, const int *modes,
                        const int *values, size_t nwant)
{
    osw_schedule *got = NULL;
    size_t n = 0;
    char err[OSW_ERRLEN] = "";
    int rc = osw_parse_schedules(text, &got, &n, err);
    if (rc != 0) {
        report(file, line, "schedules '%s': rc %d (%s)", text, rc, err);
        return;
    }
    if (n != nwant)
        report(file, line, "schedules '%s': %zu entries, expected %zu", text, n, nwant);
    for (size_t i = 0; i < n && i < nwant; i++) {
        char name[32];
        osw_schedule_name(&got[i], name, sizeof(name));
        const char *want = modes[i] == OSW_TASKLOOP_GRAINSIZE   ? "taskloop:grainsize"
                           : modes[i] == OSW_TASKLOOP_NUM_TASKS ? "taskloop:num_tasks"
                                                                : NULL;
        osw_schedule back;
        char perr[OSW_ERRLEN] = "";
        if (got[i].taskloop != modes[i] || got[i].chunk != values[i] || got[i].modifier != 0 ||
            (want && strcmp(name, want) != 0))
            report(file, line, "schedules '%s' entry %zu: taskloop %d chunk %d name '%s'", text, i,
                   got[i].taskloop, got[i].chunk, name);
        else if (osw_parse_schedule_name(name, &back, perr) != 0 ||
                 back.taskloop != got[i].taskloop || back.kind != got[i].kind)
            report(file, line, "schedule name '%s' does not read back (%s)", name, perr);
    }
    free(got);
}

#define TL_G OSW_TASKLOOP_GRAINSIZE
#define TL_N OSW_TASKLOOP_NUM_TASKS

static void case_parse_schedules_taskloop(void)
{
    taskloop_ok(__FILE__, __LINE__, "taskloop:grainsize:64", (const int[]){TL_G}, (const int[]){64},
                1);
    taskloop_ok(__FILE__, __LINE__, "taskloop:num_tasks:16", (const int[]){TL_N}, (const int[]){16},
                1);
    taskloop_ok(__FILE__, __LINE__, "taskloop:grainsize:1,4,16", (const int[]){TL_G, TL_G, TL_G},
                (const int[]){1, 4, 16}, 3);
    taskloop_ok(__FILE__, __LINE__, "static,taskloop:num_tasks:2,dynamic:8",
                (const int[]){OSW_TASKLOOP_NONE, TL_N, OSW_TASKLOOP_NONE}, (const int[]){0, 2, 8},
                3);
    int modes[11], values[11];
    for (int i = 0; i < 11; i++) {
        modes[i] = TL_G;
        values[i] = 1 << i;
    }
    taskloop_ok(__FILE__, __LINE__, "taskloop:grainsize:pow2", modes, values, 11);
    /* Applying one sets the kernels' osw_taskloop; a for schedule clears it. */
    osw_schedule s = {.kind = omp_sched_static, .chunk = 5, .taskloop = TL_N};
    osw_schedule_apply(&s);
    CHECK_INT(osw_taskloop.mode, TL_N);
    CHECK_INT(osw_taskloop.value, 5);
    s = (osw_schedule){.kind = omp_sched_dynamic, .chunk = 3};
    osw_schedule_apply(&s);
    CHECK_INT(osw_taskloop.mode, OSW_TASKLOOP_NONE);
}

static void case_parse_schedules_taskloop_errors(void)
{
    schedules_bad(__FILE__, __LINE__, "taskloop", "taskloop:grainsize:G");
    schedules_bad(__FILE__, __LINE__, "taskloop:grainsize", "needs its value");
    schedules_bad(__FILE__, __LINE__, "taskloop:grainsize:0", "'taskloop:grainsize:0'");
    schedules_bad(__FILE__, __LINE__, "taskloop:num_tasks:-1", "'-1'");
    schedules_bad(__FILE__, __LINE__, "taskloop:chunks:4", "'taskloop:chunks'");
    schedules_bad(__FILE__, __LINE__, "monotonic:taskloop:grainsize:4", "taskloop:grainsize");
    schedules_bad(__FILE__, __LINE__, "taskloop:grainsize,4", "needs its value");
    /* Not an OMP_SCHEDULE value. */
    osw_schedule s;
    char err[OSW_ERRLEN] = "";
    CHECK_INT(osw_parse_omp_schedule("taskloop:grainsize,4", &s, err), OSW_EUSAGE);
    CHECK(strstr(err, "OMP_SCHEDULE") != NULL);
}

/* A taskloop schedule on a kernel without a taskloop driver is a usage
 * error naming the kernels that have one; exec (no kernels) refuses it. */
/* libgomp's task count of a taskloop (libgomp/taskloop.c, GCC 12):
 * floor(items / grainsize), at least 1; num_tasks capped at the items. */
static void case_gomp_taskloop_tasks(void)
{
    CHECK_INT(osw_gomp_taskloop_tasks(0, 1, 5793), 5793);
    CHECK_INT(osw_gomp_taskloop_tasks(0, 32, 5793), 181); /* over 128: serial at 2 threads */
    CHECK_INT(osw_gomp_taskloop_tasks(0, 64, 5793), 90);
    CHECK_INT(osw_gomp_taskloop_tasks(0, 10000, 5793), 1);
    CHECK_INT(osw_gomp_taskloop_tasks(1, 16, 5793), 16);
    CHECK_INT(osw_gomp_taskloop_tasks(1, 9000, 5793), 5793);
    CHECK_INT(osw_gomp_taskloop_tasks(0, 4, 0), 0);
    CHECK_INT(osw_gomp_taskloop_tasks(0, 0, 10), 0);
    CHECK_INT(osw_gomp_taskloop_tasks(1, -1, 10), 0);
}

static void case_parse_taskloop_check(void)
{
    const osw_kernel *with = NULL, *without = NULL;
    for (size_t i = 0; i < osw_kernel_count; i++) {
        if (osw_kernels[i]->taskloop && !with)
            with = osw_kernels[i];
        if (!osw_kernels[i]->taskloop && !without)
            without = osw_kernels[i];
    }
    CHECK(with != NULL && without != NULL);
    if (!with || !without)
        return;
    osw_schedule sched[2] = {{.kind = omp_sched_dynamic, .chunk = 4},
                             {.kind = omp_sched_static, .chunk = 8, .taskloop = TL_G}};
    char err[OSW_ERRLEN] = "";
    const osw_kernel *ks[2] = {with, without};
    CHECK_INT(osw_check_taskloop(ks, 1, sched, 2, err), 0);
    CHECK_INT(osw_check_taskloop(ks, 2, sched, 1, err), 0);
    CHECK_INT(osw_check_taskloop(ks, 2, sched, 2, err), OSW_EUSAGE);
    CHECK(strstr(err, without->name) != NULL);
    CHECK(strstr(err, with->name) != NULL);
    err[0] = '\0';
    CHECK_INT(osw_check_taskloop(NULL, 0, sched, 2, err), OSW_EUSAGE);
    CHECK(strstr(err, "OMP_SCHEDULE") != NULL);
}

/* ---- parse: OMP_SCHEDULE ---- */

static void omp_schedule_ok(const char *file, int line, const char *text, omp_sched_t kind,
                            int modifier, int chunk)
{
    osw_schedule s;
    memset(&s, 0x55, sizeof(s));
    char err[OSW_ERRLEN] = "";
    int rc = osw_parse_omp_schedule(text, &s, err);
    if (rc != 0)
        report(file, line, "OMP_SCHEDULE '%s': rc %d (%s)", text, rc, err);
    else if (s.kind != kind || s.modifier != modifier || s.chunk != chunk)
        report(file, line, "OMP_SCHEDULE '%s': kind %d modifier %d chunk %d, expected %d %d %d",
               text, (int)s.kind, s.modifier, s.chunk, (int)kind, modifier, chunk);
}

static void omp_schedule_bad(const char *file, int line, const char *text, const char *needle)
{
    osw_schedule s;
    char err[OSW_ERRLEN] = "";
    int rc = osw_parse_omp_schedule(text, &s, err);
    if (rc != OSW_EUSAGE)
        report(file, line, "OMP_SCHEDULE '%s': rc %d, expected OSW_EUSAGE", text, rc);
    else if (!err[0] || !strstr(err, needle))
        report(file, line, "OMP_SCHEDULE '%s': err \"%s\" does not name \"%s\"", text, err, needle);
}

static void case_parse_omp_schedule(void)
{
    omp_schedule_ok(__FILE__, __LINE__, "dynamic,4", omp_sched_dynamic, 0, 4);
    omp_schedule_ok(__FILE__, __LINE__, "GUIDED", omp_sched_guided, 0, 0);
    omp_schedule_ok(__FILE__, __LINE__, " static , 2 ", omp_sched_static, 0, 2);
    omp_schedule_ok(__FILE__, __LINE__, "monotonic:dynamic,3", omp_sched_dynamic, 1, 3);
    omp_schedule_ok(__FILE__, __LINE__, "nonmonotonic:guided", omp_sched_guided, -1, 0);
    omp_schedule_ok(__FILE__, __LINE__, "auto", omp_sched_auto, 0, 0);
}

static void case_parse_omp_schedule_errors(void)
{
    omp_schedule_bad(__FILE__, __LINE__, "bogus", "bogus");
    omp_schedule_bad(__FILE__, __LINE__, "dynamic,0", "'0'");
    omp_schedule_bad(__FILE__, __LINE__, "dynamic,x", "'x'");
    omp_schedule_bad(__FILE__, __LINE__, "dynamic,", "OMP_SCHEDULE");
    omp_schedule_bad(__FILE__, __LINE__, "dynamic,-2", "'-2'");
    omp_schedule_bad(__FILE__, __LINE__, "", "OMP_SCHEDULE");
    omp_schedule_bad(__FILE__, __LINE__, "nonmonotonic:static", "nonmonotonic");
}

/* ---- parse: kernels ---- */

static void case_parse_kernels(void)
{
    const osw_kernel **list = NULL;
    size_t n = 0;
    char err[OSW_ERRLEN] = "";
    CHECK(osw_kernel_count >= 1);
    /* all: the loop kernels in registry order; a family or `constructs`:
     * construct kernels. */
    size_t loops = 0, constructs = 0, sync = 0;
    for (size_t i = 0; i < osw_kernel_count; i++) {
        loops += !osw_kernels[i]->family;
        constructs += osw_kernels[i]->family != NULL;
        sync += osw_kernels[i]->family && strcmp(osw_kernels[i]->family, "syncbench") == 0;
    }
    CHECK_INT(osw_parse_kernels("all", &list, &n, err), 0);
    CHECK_INT(n, loops);
    for (size_t i = 0, j = 0; i < osw_kernel_count && j < n; i++)
        if (!osw_kernels[i]->family)
            CHECK(list[j++] == osw_kernels[i]);
    free(list);
    list = NULL;
    CHECK_INT(osw_parse_kernels("constructs", &list, &n, err), 0);
    CHECK_INT(n, constructs);
    for (size_t j = 0; j < n; j++)
        CHECK(list[j]->family != NULL);
    free(list);
    list = NULL;
    CHECK_INT(osw_parse_kernels("syncbench,sync_barrier,all", &list, &n, err), 0);
    CHECK_INT(n, sync + loops);
    free(list);
    list = NULL;

    CHECK_INT(osw_parse_kernels("mean_f64,triad", &list, &n, err), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(list[0]->name, "mean_f64");
        CHECK_STR(list[1]->name, "triad");
        CHECK(list[0] == osw_kernel_find("mean_f64"));
    }
    free(list);
    list = NULL;

    CHECK_INT(osw_parse_kernels("triad,triad", &list, &n, err), 0);
    CHECK_INT(n, 1);
    free(list);
}

static void case_parse_kernels_errors(void)
{
    const osw_kernel **list = NULL;
    size_t n = 0;
    char err[OSW_ERRLEN] = "";
    CHECK_INT(osw_parse_kernels("triad,nosuch", &list, &n, err), OSW_EUSAGE);
    CHECK_CONTAINS(err, "'nosuch'");
    /* The message lists every accepted name. */
    CHECK_CONTAINS(err, "all");
    /* Loop kernels by name, construct kernels by family. */
    for (size_t i = 0; i < osw_kernel_count; i++)
        CHECK_CONTAINS(err, osw_kernels[i]->family ? osw_kernels[i]->family : osw_kernels[i]->name);
    free(list);
    list = NULL;
    err[0] = '\0';
    CHECK_INT(osw_parse_kernels("", &list, &n, err), OSW_EUSAGE);
    CHECK(err[0] != '\0');
    free(list);
    list = NULL;
    CHECK_INT(osw_parse_kernels("triad,", &list, &n, err), OSW_EUSAGE);
    free(list);
}

/* ---- csv ---- */

/* A fresh temporary file's path (the file exists, empty). */
static void temp_path(char *path, size_t len)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, len, "%s/osw-unit-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        exit(1);
    }
    close(fd);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs(text, f);
    fclose(f);
}

static osw_row sample_row(const char *kernel, int threads, double median)
{
    osw_row r;
    memset(&r, 0, sizeof(r));
    snprintf(r.kernel, sizeof(r.kernel), "%s", kernel);
    r.n = 1000000;
    r.threads = threads;
    snprintf(r.schedule, sizeof(r.schedule), "nonmonotonic:dynamic");
    r.chunk = 16;
    r.reps = 10;
    r.min_s = 0.001;
    r.median_s = median;
    r.mean_s = 0.00125;
    r.stddev_s = 0.0001;
    r.ci_lo_s = 0.001;
    r.ci_hi_s = 0.0015;
    r.outliers = 2;
    r.gbps_median = 19.5;
    r.gbps_best = 24.25;
    r.speedup = NAN;
    r.efficiency = NAN;
    r.verified = 1;
    r.rel_err = 1.5e-15;
    r.ranks = 1;
    r.inner = 37;
    r.speedup_lo = NAN;
    r.speedup_hi = NAN;
    r.imbalance = 0.125;
    r.cpu_per_wall = 3.875;
    r.overhead_ns = 12.5;
    snprintf(r.bound, sizeof(r.bound), "memory");
    return r;
}

/* Cell of column name in row i, or "(absent)" (so a missing column fails a
 * check rather than indexing out of bounds). */
static const char *cellof(const osw_table *t, size_t i, const char *name)
{
    int c = osw_table_col(t, name);
    return c < 0 || i >= t->nrows ? "(absent)" : t->rows[i][c];
}

static void case_csv_roundtrip(void)
{
    char path[256];
    temp_path(path, sizeof(path));
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    osw_row r1 = sample_row("triad", 1, 0.00125);
    osw_row r2 = sample_row("mean_f64", 4, 0.0005);
    r2.speedup = 2.5;
    r2.efficiency = 0.625;
    r2.speedup_lo = 2.25;
    r2.speedup_hi = 2.75;
    r2.verified = 0;
    r2.rel_err = NAN;
    r2.overhead_ns = NAN;
    CHECK_INT(osw_csv_summary_header(f), 0);
    CHECK_INT(osw_csv_summary_row(f, &r1), 0);
    CHECK_INT(osw_csv_summary_row(f, &r2), 0);
    fclose(f);

    osw_table t;
    char err[256] = "";
    int rc = osw_csv_read(path, &t, err);
    CHECK_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "  err: %s\n", err);
        unlink(path);
        return;
    }
    CHECK_INT(t.nrows, 2);
    CHECK_INT(t.dropped_partial, 0);
    /* The header, name by name, is osw_summary_header. */
    char *header = strdup(osw_summary_header);
    size_t col = 0;
    for (char *save = NULL, *tok = strtok_r(header, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save), col++) {
        if (col < t.ncols)
            CHECK_STR(t.header[col], tok);
        CHECK_INT(osw_table_col(&t, tok), col);
    }
    free(header);
    CHECK_INT(t.ncols, col);
    CHECK_STR(t.header[0], "kernel");
    CHECK_INT(osw_table_col(&t, "nosuch"), -1);

    if (t.nrows == 2) {
        /* Cells as text. */
        CHECK_STR(cellof(&t, 0, "kernel"), "triad");
        CHECK_STR(cellof(&t, 0, "n"), "1000000");
        CHECK_STR(cellof(&t, 0, "schedule"), "nonmonotonic:dynamic");
        CHECK_STR(cellof(&t, 0, "chunk"), "16");
        CHECK_STR(cellof(&t, 0, "median_s"), "0.001250000000");
        CHECK_STR(cellof(&t, 0, "gbps_best"), "24.2500");
        CHECK_STR(cellof(&t, 0, "bound"), "memory");
        /* NaN is an empty cell. */
        CHECK_STR(cellof(&t, 0, "speedup"), "");
        CHECK_STR(cellof(&t, 0, "efficiency"), "");
        CHECK_STR(cellof(&t, 0, "speedup_lo"), "");
        CHECK_STR(cellof(&t, 1, "rel_err"), "");
        CHECK_STR(cellof(&t, 1, "speedup"), "2.5");
        CHECK_STR(cellof(&t, 1, "verified"), "0");

        /* Back into rows. */
        osw_row b;
        CHECK_INT(osw_row_from_table(&t, 0, &b, err), 0);
        CHECK_STR(b.kernel, "triad");
        CHECK_INT(b.n, 1000000);
        CHECK_INT(b.threads, 1);
        CHECK_STR(b.schedule, "nonmonotonic:dynamic");
        CHECK_INT(b.chunk, 16);
        CHECK_INT(b.reps, 10);
        CHECK_NEAR(b.min_s, 0.001, 1e-15);
        CHECK_NEAR(b.median_s, 0.00125, 1e-15);
        CHECK_NEAR(b.mean_s, 0.00125, 1e-15);
        CHECK_NEAR(b.stddev_s, 0.0001, 1e-15);
        CHECK_NEAR(b.ci_lo_s, 0.001, 1e-15);
        CHECK_NEAR(b.ci_hi_s, 0.0015, 1e-15);
        CHECK_INT(b.outliers, 2);
        CHECK_NEAR(b.gbps_median, 19.5, 1e-12);
        CHECK_NEAR(b.gbps_best, 24.25, 1e-12);
        CHECK_NAN(b.speedup);
        CHECK_NAN(b.efficiency);
        CHECK_INT(b.verified, 1);
        CHECK_NEAR(b.rel_err, 1.5e-15, 1e-27);
        CHECK_INT(b.ranks, 1);
        CHECK_INT(b.inner, 37);
        CHECK_NAN(b.speedup_lo);
        CHECK_NAN(b.speedup_hi);
        CHECK_NEAR(b.imbalance, 0.125, 1e-12);
        CHECK_NEAR(b.cpu_per_wall, 3.875, 1e-12);
        CHECK_STR(b.bound, "memory");
        CHECK_NEAR(b.overhead_ns, 12.5, 1e-12);

        CHECK_INT(osw_row_from_table(&t, 1, &b, err), 0);
        CHECK_STR(b.kernel, "mean_f64");
        CHECK_INT(b.threads, 4);
        CHECK_NEAR(b.median_s, 0.0005, 1e-15);
        CHECK_NEAR(b.speedup, 2.5, 1e-12);
        CHECK_NEAR(b.efficiency, 0.625, 1e-12);
        CHECK_NEAR(b.speedup_lo, 2.25, 1e-12);
        CHECK_NEAR(b.speedup_hi, 2.75, 1e-12);
        CHECK_INT(b.verified, 0);
        CHECK_NAN(b.rel_err);
        CHECK_NAN(b.overhead_ns);
    }
    osw_table_free(&t);
    CHECK_INT(t.nrows, 0);
    CHECK(t.header == NULL);
    unlink(path);
}

static void case_csv_samples(void)
{
    char path[256];
    temp_path(path, sizeof(path));
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    osw_row r = sample_row("triad", 2, 0.00125);
    const double seconds[] = {0.5, 0.25, 0.125};
    CHECK_INT(osw_csv_samples_header(f), 0);
    CHECK_INT(osw_csv_samples_rows(f, &r, seconds, NULL, 3), 0);
    CHECK_INT(osw_csv_samples_rows(f, &r, seconds, NULL, 0), 0);
    fclose(f);
    osw_table t;
    char err[256] = "";
    CHECK_INT(osw_csv_read(path, &t, err), 0);
    CHECK_INT(t.ncols, 9);
    CHECK_INT(t.nrows, 3);
    if (t.nrows == 3 && t.ncols == 9) {
        CHECK_STR(t.header[5], "env");
        CHECK_STR(t.header[6], "rep");
        CHECK_STR(t.header[7], "seconds");
        CHECK_STR(t.header[8], "round");
        CHECK_STR(t.rows[2][8], "1");
        CHECK_STR(t.rows[0][0], "triad");
        CHECK_STR(t.rows[0][2], "2");
        CHECK_STR(t.rows[0][5], "");
        CHECK_STR(t.rows[0][6], "1");
        CHECK_STR(t.rows[2][6], "3");
        CHECK_NEAR(strtod(t.rows[1][7], NULL), 0.25, 1e-15);
    }
    osw_table_free(&t);
    unlink(path);
}

static void case_csv_partial_line(void)
{
    char path[256];
    temp_path(path, sizeof(path));
    write_text(path, "a,b,c\n1,2,3\n4,5,6\n7,8");
    osw_table t;
    char err[256] = "";
    int rc = osw_csv_read(path, &t, err);
    CHECK_INT(rc, 0);
    if (rc == 0) {
        CHECK_INT(t.ncols, 3);
        CHECK_INT(t.nrows, 2);
        CHECK_INT(t.dropped_partial, 1);
        if (t.nrows == 2) {
            CHECK_STR(t.rows[1][0], "4");
            CHECK_STR(t.rows[1][2], "6");
        }
        osw_table_free(&t);
    }
    /* A complete last line is kept and nothing is flagged. */
    write_text(path, "a,b,c\n1,2,3\n");
    rc = osw_csv_read(path, &t, err);
    CHECK_INT(rc, 0);
    if (rc == 0) {
        CHECK_INT(t.nrows, 1);
        CHECK_INT(t.dropped_partial, 0);
        osw_table_free(&t);
    }
    unlink(path);
}

static void case_csv_wrong_cell_count(void)
{
    char path[256];
    temp_path(path, sizeof(path));
    write_text(path, "a,b,c\n1,2,3\n4,5\n7,8,9\n");
    osw_table t;
    char err[256] = "";
    CHECK_INT(osw_csv_read(path, &t, err), OSW_EFORMAT);
    /* The message names the file and line 3. */
    CHECK_CONTAINS(err, path);
    CHECK_CONTAINS(err, ":3:");
    CHECK_INT(t.nrows, 0); /* nothing left to free */
    CHECK(t.rows == NULL);

    write_text(path, "a,b\n1,2,3\n");
    err[0] = '\0';
    CHECK_INT(osw_csv_read(path, &t, err), OSW_EFORMAT);
    CHECK_CONTAINS(err, ":2:");
    unlink(path);
}

static void case_csv_quoted(void)
{
    char path[256];
    temp_path(path, sizeof(path));
    write_text(path, "name,note,x\r\n"
                     "\"a,b\",\"say \"\"hi\"\"\",1\r\n"
                     "plain,\"\",\"\"\"\"\n"
                     "\"multi\nline\",z,3\n");
    osw_table t;
    char err[256] = "";
    int rc = osw_csv_read(path, &t, err);
    CHECK_INT(rc, 0);
    if (rc == 0) {
        CHECK_INT(t.ncols, 3);
        CHECK_INT(t.nrows, 3);
        CHECK_STR(t.header[2], "x");
        if (t.nrows == 3) {
            CHECK_STR(t.rows[0][0], "a,b");
            CHECK_STR(t.rows[0][1], "say \"hi\"");
            CHECK_STR(t.rows[0][2], "1");
            CHECK_STR(t.rows[1][0], "plain");
            CHECK_STR(t.rows[1][1], "");
            CHECK_STR(t.rows[1][2], "\"");
            CHECK_STR(t.rows[2][0], "multi\nline");
        }
        osw_table_free(&t);
    }
    /* An unterminated quote and text after a closing quote are malformed. */
    write_text(path, "a,b\n\"x,1\n");
    CHECK_INT(osw_csv_read(path, &t, err), OSW_EFORMAT);
    write_text(path, "a,b\n\"x\"y,1\n");
    CHECK_INT(osw_csv_read(path, &t, err), OSW_EFORMAT);
    CHECK_CONTAINS(err, ":2:");
    unlink(path);
}

static void case_csv_empty_and_missing(void)
{
    char path[256];
    temp_path(path, sizeof(path));
    osw_table t;
    char err[256] = "";
    CHECK_INT(osw_csv_read(path, &t, err), OSW_EFORMAT);
    CHECK(err[0] != '\0');
    /* A header without its newline is no header either. */
    write_text(path, "a,b");
    err[0] = '\0';
    CHECK_INT(osw_csv_read(path, &t, err), OSW_EFORMAT);
    CHECK(err[0] != '\0');
    /* A header alone is a table of no rows. */
    write_text(path, "a,b\n");
    CHECK_INT(osw_csv_read(path, &t, err), 0);
    CHECK_INT(t.ncols, 2);
    CHECK_INT(t.nrows, 0);
    osw_table_free(&t);
    unlink(path);
    err[0] = '\0';
    CHECK_INT(osw_csv_read(path, &t, err), -ENOENT);
    CHECK_CONTAINS(err, path);
}

static void case_csv_row_from_table_errors(void)
{
    char path[256];
    temp_path(path, sizeof(path));
    osw_table t;
    osw_row r;
    char err[256] = "";
    /* median_s missing: a required column. */
    write_text(path, "kernel,n,threads,schedule,chunk\ntriad,10,1,static,0\n");
    CHECK_INT(osw_csv_read(path, &t, err), 0);
    if (t.nrows == 1) {
        CHECK_INT(osw_row_from_table(&t, 0, &r, err), OSW_EFORMAT);
        CHECK_CONTAINS(err, "median_s");
    }
    osw_table_free(&t);
    /* Optional columns absent: defaults (verified 1, ranks 1, inner 1). */
    write_text(path, "kernel,n,threads,schedule,chunk,median_s\ntriad,10,2,guided,4,0.5\n"
                     "triad,x,2,guided,4,0.5\n");
    CHECK_INT(osw_csv_read(path, &t, err), 0);
    if (t.nrows == 2) {
        CHECK_INT(osw_row_from_table(&t, 0, &r, err), 0);
        CHECK_INT(r.n, 10);
        CHECK_INT(r.threads, 2);
        CHECK_INT(r.chunk, 4);
        CHECK_INT(r.verified, 1);
        CHECK_INT(r.ranks, 1);
        CHECK_INT(r.inner, 1);
        CHECK_NAN(r.min_s);
        CHECK_NEAR(r.median_s, 0.5, 0);
        CHECK_INT(osw_row_from_table(&t, 1, &r, err), OSW_EFORMAT);
        /* FILE:LINE: the column and the value. */
        CHECK_CONTAINS(err, path);
        CHECK_CONTAINS(err, ":3: column n: 'x' is not a count");
    }
    osw_table_free(&t);
    unlink(path);
}

/* csv.h: "Bump [OSW_SCHEMA_VERSION] with any change to the columns". Each
 * version's summary header, as released: a change of columns without a bump
 * fails here. After a bump, add the new version's header to this table.
 * This is deliberately the one hand-written copy of the header, a guard
 * against an accidental change of lib/schema.def; every other list of the
 * columns (the tests', the docs' check) is read from schema.def. */
static const char *const schema_headers[] = {
    NULL,
    /* 1 */
    "kernel,n,threads,schedule,chunk,reps,min_s,median_s,mean_s,stddev_s,ci_lo_s,ci_hi_s,"
    "outliers,gbps_median,gbps_best,speedup,efficiency,verified,rel_err,ranks,inner,"
    "speedup_lo,speedup_hi,imbalance,cpu_per_wall,bound",
    /* 2: overhead_ns */
    "kernel,n,threads,schedule,chunk,reps,min_s,median_s,mean_s,stddev_s,ci_lo_s,ci_hi_s,"
    "outliers,gbps_median,gbps_best,speedup,efficiency,verified,rel_err,ranks,inner,"
    "speedup_lo,speedup_hi,imbalance,cpu_per_wall,bound,overhead_ns",
    /* 3: result */
    "kernel,n,threads,schedule,chunk,reps,min_s,median_s,mean_s,stddev_s,ci_lo_s,ci_hi_s,"
    "outliers,gbps_median,gbps_best,speedup,efficiency,verified,rel_err,ranks,inner,"
    "speedup_lo,speedup_hi,imbalance,cpu_per_wall,bound,overhead_ns,result",
    /* 4: status */
    "kernel,n,threads,schedule,chunk,reps,min_s,median_s,mean_s,stddev_s,ci_lo_s,ci_hi_s,"
    "outliers,gbps_median,gbps_best,speedup,efficiency,verified,rel_err,ranks,inner,"
    "speedup_lo,speedup_hi,imbalance,cpu_per_wall,bound,overhead_ns,result,status",
    /* 5: stop_reason */
    "kernel,n,threads,schedule,chunk,reps,min_s,median_s,mean_s,stddev_s,ci_lo_s,ci_hi_s,"
    "outliers,gbps_median,gbps_best,speedup,efficiency,verified,rel_err,ranks,inner,"
    "speedup_lo,speedup_hi,imbalance,cpu_per_wall,bound,overhead_ns,result,status,stop_reason",
    /* 6: huge_page_share */
    "kernel,n,threads,schedule,chunk,reps,min_s,median_s,mean_s,stddev_s,ci_lo_s,ci_hi_s,"
    "outliers,gbps_median,gbps_best,speedup,efficiency,verified,rel_err,ranks,inner,"
    "speedup_lo,speedup_hi,imbalance,cpu_per_wall,bound,overhead_ns,result,status,stop_reason,"
    "huge_page_share",
    /* 7: threads_ran */
    "kernel,n,threads,schedule,chunk,reps,min_s,median_s,mean_s,stddev_s,ci_lo_s,ci_hi_s,"
    "outliers,gbps_median,gbps_best,speedup,efficiency,verified,rel_err,ranks,inner,"
    "speedup_lo,speedup_hi,imbalance,cpu_per_wall,bound,overhead_ns,result,status,stop_reason,"
    "huge_page_share,threads_ran",
    /* 8: env (a KEYOPT column after chunk), placement, runtime, energy_j,
     * ceiling_ratio */
    "kernel,n,threads,schedule,chunk,env,reps,min_s,median_s,mean_s,stddev_s,ci_lo_s,ci_hi_s,"
    "outliers,gbps_median,gbps_best,speedup,efficiency,verified,rel_err,ranks,inner,"
    "speedup_lo,speedup_hi,imbalance,cpu_per_wall,bound,overhead_ns,result,status,stop_reason,"
    "huge_page_share,threads_ran,placement,runtime,energy_j,ceiling_ratio",
    /* 9: samples.csv's round (summary.csv unchanged) */
    "kernel,n,threads,schedule,chunk,env,reps,min_s,median_s,mean_s,stddev_s,ci_lo_s,ci_hi_s,"
    "outliers,gbps_median,gbps_best,speedup,efficiency,verified,rel_err,ranks,inner,"
    "speedup_lo,speedup_hi,imbalance,cpu_per_wall,bound,overhead_ns,result,status,stop_reason,"
    "huge_page_share,threads_ran,placement,runtime,energy_j,ceiling_ratio",
    /* 10: drift_rho */
    "kernel,n,threads,schedule,chunk,env,reps,min_s,median_s,mean_s,stddev_s,ci_lo_s,ci_hi_s,"
    "outliers,gbps_median,gbps_best,speedup,efficiency,verified,rel_err,ranks,inner,"
    "speedup_lo,speedup_hi,imbalance,cpu_per_wall,bound,overhead_ns,result,status,stop_reason,"
    "huge_page_share,threads_ran,placement,runtime,energy_j,ceiling_ratio,drift_rho",
};

static void case_csv_schema_version(void)
{
    size_t known = sizeof(schema_headers) / sizeof(schema_headers[0]);
    CHECK(OSW_SCHEMA_VERSION >= 1);
    if (OSW_SCHEMA_VERSION < 1 || (size_t)OSW_SCHEMA_VERSION >= known) {
        report(__FILE__, __LINE__,
               "OSW_SCHEMA_VERSION %d has no header in schema_headers: add \"%s\"",
               OSW_SCHEMA_VERSION, osw_summary_header);
        return;
    }
    if (strcmp(osw_summary_header, schema_headers[OSW_SCHEMA_VERSION]) != 0)
        report(__FILE__, __LINE__,
               "osw_summary_header changed but OSW_SCHEMA_VERSION is still %d:\n  now:  %s\n  "
               "v%d:   %s",
               OSW_SCHEMA_VERSION, osw_summary_header, OSW_SCHEMA_VERSION,
               schema_headers[OSW_SCHEMA_VERSION]);
}

/* ---- schema.def: summary.csv's one list of columns ---- */

/* schema.def as these cases read it (the same lines csv.h and csv.c expand). */
struct schema_col {
    const char *name, *kind, *need, *unit;
    size_t offset, size;
    long min, max;
    double dflt; /* STR: 0 (its default is "") */
};

#define SCHEMA_DFLT_STR(d)   0
#define SCHEMA_DFLT_TEXT(d)  0
#define SCHEMA_DFLT_SIZE(d)  (d)
#define SCHEMA_DFLT_INT(d)   (d)
#define SCHEMA_DFLT_COUNT(d) (d)
#define SCHEMA_DFLT_BOOL(d)  (d)
#define SCHEMA_DFLT_LONG(d)  (d)
#define SCHEMA_DFLT_F64(d)   (d)

static const struct schema_col schema[] = {
#define OSW_COL(name_, kind_, size_, fmt, need_, dflt_, min_, max_, unit_)                         \
    {#name_,                                                                                       \
     #kind_,                                                                                       \
     #need_,                                                                                       \
     unit_,                                                                                        \
     offsetof(osw_row, name_),                                                                     \
     sizeof(((osw_row *)0)->name_),                                                                \
     min_,                                                                                         \
     max_,                                                                                         \
     SCHEMA_DFLT_##kind_(dflt_)},
#include "schema.def"
#undef OSW_COL
};

#define NSCHEMA (sizeof(schema) / sizeof(schema[0]))

static int is_kind(const struct schema_col *c, const char *kind)
{
    return strcmp(c->kind, kind) == 0;
}

/* The header line CMake joined from schema.def's lines is the one the
 * preprocessor reads; the KEY columns come first and are samples.csv's. */
static void case_csv_schema_def(void)
{
    char joined[1024] = "", keys[256] = "";
    int in_keys = 1;
    for (size_t c = 0; c < NSCHEMA; c++) {
        const char *sep = c ? "," : "";
        snprintf(joined + strlen(joined), sizeof(joined) - strlen(joined), "%s%s", sep,
                 schema[c].name);
        if (strcmp(schema[c].need, "KEY") == 0 || strcmp(schema[c].need, "KEYOPT") == 0) {
            if (!in_keys)
                report(__FILE__, __LINE__, "KEY column %s after a column that is not KEY",
                       schema[c].name);
            snprintf(keys + strlen(keys), sizeof(keys) - strlen(keys), "%s%s", sep, schema[c].name);
        } else {
            in_keys = 0;
        }
        for (size_t d = 0; d < c; d++)
            if (strcmp(schema[c].name, schema[d].name) == 0)
                report(__FILE__, __LINE__, "column %s listed twice", schema[c].name);
        CHECK(strspn(schema[c].name, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
              strlen(schema[c].name));
    }
    CHECK_STR(osw_summary_header, joined);
    char samples[512];
    snprintf(samples, sizeof(samples), "%s,rep,seconds,round", keys);
    CHECK_STR(osw_samples_header, samples);
}

/* A distinct value in every field, written and read back; then every
 * double NaN and every optional text empty: empty cells, read back so. */
static void case_csv_every_column(void)
{
    osw_row w;
    memset(&w, 0, sizeof(w));
    char *base = (char *)&w;
    for (size_t c = 0; c < NSCHEMA; c++) {
        void *field = base + schema[c].offset;
        long v = (long)schema[c].dflt + 2 + (long)c; /* not the default */
        if (is_kind(&schema[c], "STR"))
            snprintf(field, schema[c].size, "v%zu", c);
        else if (is_kind(&schema[c], "TEXT")) /* quoted on write: a comma and a quote */
            snprintf(field, schema[c].size, "A={0:2},{2:2};B=\"v%zu\"", c);
        else if (is_kind(&schema[c], "SIZE"))
            *(size_t *)field = (size_t)v;
        else if (is_kind(&schema[c], "INT"))
            *(int *)field = (int)(schema[c].min + 1);
        else if (is_kind(&schema[c], "COUNT"))
            *(int *)field = (int)v;
        else if (is_kind(&schema[c], "BOOL"))
            *(int *)field = schema[c].dflt == 0;
        else if (is_kind(&schema[c], "LONG"))
            *(long *)field = v;
        else if (is_kind(&schema[c], "F64"))
            *(double *)field = (double)c + 0.5; /* exact in every column's format */
        else
            report(__FILE__, __LINE__, "column %s: unknown kind %s", schema[c].name,
                   schema[c].kind);
    }
    /* The schedule cell must be one the writer writes (osw_cell_is_schedule). */
    snprintf(w.schedule, sizeof(w.schedule), "nonmonotonic:guided");
    osw_row nan_row = w;
    nan_row.threads = w.threads + 1; /* another configuration: a key is read once */
    for (size_t c = 0; c < NSCHEMA; c++) {
        if (is_kind(&schema[c], "F64"))
            *(double *)((char *)&nan_row + schema[c].offset) = NAN;
        if ((is_kind(&schema[c], "STR") || is_kind(&schema[c], "TEXT")) &&
            strcmp(schema[c].need, "OPT") == 0)
            *((char *)&nan_row + schema[c].offset) = '\0';
    }

    char path[256];
    temp_path(path, sizeof(path));
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK_INT(osw_csv_summary_header(f), 0);
    CHECK_INT(osw_csv_summary_row(f, &w), 0);
    CHECK_INT(osw_csv_summary_row(f, &nan_row), 0);
    fclose(f);
    osw_table t;
    char err[256] = "";
    int rc = osw_csv_read(path, &t, err);
    CHECK_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "  err: %s\n", err);
        unlink(path);
        return;
    }
    CHECK_INT(t.ncols, NSCHEMA);
    CHECK_INT(t.nrows, 2);
    if (t.nrows == 2 && t.ncols == NSCHEMA) {
        osw_row r[2];
        CHECK_INT(osw_row_from_table(&t, 0, &r[0], err), 0);
        CHECK_INT(osw_row_from_table(&t, 1, &r[1], err), 0);
        const osw_row *want[2] = {&w, &nan_row};
        for (size_t c = 0; c < NSCHEMA; c++) {
            const struct schema_col *col = &schema[c];
            CHECK_STR(t.header[c], col->name);
            for (int k = 0; k < 2; k++) {
                const char *got = (const char *)&r[k] + col->offset;
                const char *exp = (const char *)want[k] + col->offset;
                int same = is_kind(col, "STR") || is_kind(col, "TEXT") ? strcmp(got, exp) == 0
                           : is_kind(col, "F64") && isnan(*(const double *)exp)
                               ? isnan(*(const double *)got)
                               : memcmp(got, exp, col->size) == 0;
                if (!same)
                    report(__FILE__, __LINE__, "row %d: column %s (cell '%s') read back wrong",
                           k + 1, col->name, t.rows[k][c]);
                if (k == 1 &&
                    (is_kind(col, "F64") || (is_kind(col, "STR") && strcmp(col->need, "OPT") == 0)))
                    CHECK_STR(t.rows[1][c], "");
            }
        }
    }
    osw_table_free(&t);
    unlink(path);
}

/* The required columns' header, the one at index renamed "x<name>" (none
 * when renamed is NSCHEMA), and a row of valid cells for it. */
static void required_only(size_t renamed, char *header, char *cells, size_t len)
{
    header[0] = cells[0] = '\0';
    for (size_t c = 0; c < NSCHEMA; c++) {
        if (strcmp(schema[c].need, "OPT") == 0 || strcmp(schema[c].need, "KEYOPT") == 0)
            continue;
        const char *sep = *header ? "," : "";
        snprintf(header + strlen(header), len - strlen(header), "%s%s%s", sep,
                 c == renamed ? "x" : "", schema[c].name);
        snprintf(cells + strlen(cells), len - strlen(cells), "%s%s", sep,
                 strcmp(schema[c].name, "schedule") == 0 ? "static"
                 : is_kind(&schema[c], "STR")            ? "x"
                                                         : "1");
    }
}

/* Only the required columns: each optional field is its default; without a
 * required column, a row is refused and the message names it. */
static void case_csv_absent_columns(void)
{
    char header[512], cells[512], path[256], text[1100];
    temp_path(path, sizeof(path));
    required_only(NSCHEMA, header, cells, sizeof(header));
    snprintf(text, sizeof(text), "%s\n%s\n", header, cells);
    write_text(path, text);
    osw_table t;
    osw_row r;
    char err[256] = "";
    CHECK_INT(osw_csv_read(path, &t, err), 0);
    if (t.nrows == 1) {
        CHECK_INT(osw_row_from_table(&t, 0, &r, err), 0);
        for (size_t c = 0; c < NSCHEMA; c++) {
            const struct schema_col *col = &schema[c];
            if (strcmp(col->need, "OPT") != 0 && strcmp(col->need, "KEYOPT") != 0)
                continue;
            const char *field = (const char *)&r + col->offset;
            double got = 0;
            if (is_kind(col, "STR") || is_kind(col, "TEXT"))
                CHECK_STR(field, "");
            else if (is_kind(col, "SIZE"))
                got = (double)*(const size_t *)field;
            else if (is_kind(col, "LONG"))
                got = (double)*(const long *)field;
            else if (is_kind(col, "F64"))
                got = *(const double *)field;
            else
                got = *(const int *)field;
            if (!is_kind(col, "STR") && !is_kind(col, "TEXT") &&
                !(got == col->dflt || (isnan(got) && isnan(col->dflt))))
                report(__FILE__, __LINE__, "absent column %s read as %g, expected %g", col->name,
                       got, col->dflt);
        }
    }
    osw_table_free(&t);
    /* Each required column in turn left out (renamed). */
    for (size_t c = 0; c < NSCHEMA; c++) {
        if (strcmp(schema[c].need, "OPT") == 0 || strcmp(schema[c].need, "KEYOPT") == 0)
            continue;
        required_only(c, header, cells, sizeof(header));
        snprintf(text, sizeof(text), "%s\n%s\n", header, cells);
        write_text(path, text);
        CHECK_INT(osw_csv_read(path, &t, err), 0);
        if (t.nrows == 1) {
            char want[128];
            snprintf(want, sizeof(want), "missing required column '%s'", schema[c].name);
            CHECK_INT(osw_row_from_table(&t, 0, &r, err), OSW_EFORMAT);
            CHECK_STR(err, want);
        }
        osw_table_free(&t);
    }
    unlink(path);
}

/* A UTF-8 byte order mark before the header (a spreadsheet's) is skipped. */
static void case_csv_bom(void)
{
    char path[256];
    temp_path(path, sizeof(path));
    write_text(path,
               "\xEF\xBB\xBFkernel,n,threads,schedule,chunk,median_s\ntriad,10,1,static,0,0.5\n");
    osw_table t;
    osw_row r;
    char err[256] = "";
    CHECK_INT(osw_csv_read(path, &t, err), 0);
    if (t.nrows == 1) {
        CHECK_STR(t.header[0], "kernel");
        CHECK_INT(osw_table_col(&t, "kernel"), 0);
        CHECK_INT(osw_row_from_table(&t, 0, &r, err), 0);
        CHECK_STR(r.kernel, "triad");
    }
    osw_table_free(&t);
    /* Only at the very start: elsewhere the bytes are a cell's. */
    write_text(path, "a,b\n\xEF\xBB\xBFx,y\n");
    CHECK_INT(osw_csv_read(path, &t, err), 0);
    if (t.nrows == 1)
        CHECK_STR(t.rows[0][0], "\xEF\xBB\xBFx");
    osw_table_free(&t);
    unlink(path);
}

/* The words and schedules the writer writes, and no others. */
static void case_csv_cell_words(void)
{
    static const char *const schedules[] = {"static",
                                            "dynamic",
                                            "guided",
                                            "auto",
                                            "monotonic:static",
                                            "monotonic:dynamic",
                                            "monotonic:guided",
                                            "nonmonotonic:dynamic",
                                            "nonmonotonic:guided",
                                            "default"};
    for (size_t i = 0; i < sizeof(schedules) / sizeof(schedules[0]); i++)
        CHECK_INT(osw_cell_is_schedule(schedules[i]), 1);
    static const char *const not_schedules[] = {
        "guided;touch X", "GUIDED", "dynamic,4", "dynamic:4", "nonmonotonic:static",
        "monotonic:auto", "",       " static",   "static ",   "monotonic:",
        "Default",        "x",      "dynamic\n", "$(touch X)"};
    for (size_t i = 0; i < sizeof(not_schedules) / sizeof(not_schedules[0]); i++)
        if (osw_cell_is_schedule(not_schedules[i]))
            report(__FILE__, __LINE__, "'%s' taken for a schedule", not_schedules[i]);
    static const char *const words[] = {"triad", "mean_f64", "omp_demo@close",
                                        "a.out", "g++-12",   "X9"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        CHECK_INT(osw_cell_is_word(words[i]), 1);
    static const char *const not_words[] = {"",   "a b", "a;b", "a'b",
                                            "$x", "a/b", "a,b", "\xc3\xa9"};
    for (size_t i = 0; i < sizeof(not_words) / sizeof(not_words[0]); i++)
        if (osw_cell_is_word(not_words[i]))
            report(__FILE__, __LINE__, "'%s' taken for a word", not_words[i]);
}

/* osw_row_from_table refuses a cell the writer cannot have written, with
 * FILE:LINE, the column and the value; and takes what it can write. */
static void case_csv_row_cells(void)
{
    static const struct {
        const char *row, *message; /* message NULL: accepted */
    } cases[] = {
        {"triad,10,1,static,0,0.5,,", NULL},
        {"triad,10,1,guided;touch X,0,0.5,,",
         "column schedule: 'guided;touch X' is not a schedule"},
        {"triad,10,1,dynamic,4,0.5,,", NULL},
        {"triad,10,1,dynamic:4,0,0.5,,", "column schedule: 'dynamic:4'"},
        {"triad,10,1,default,0,0.5,,", NULL},
        {"tri ad,10,1,static,0,0.5,,", "column kernel: 'tri ad' is not a name"},
        {"prog@close,10,1,static,0,0.5,,", NULL},
        {",10,1,static,0,0.5,,", "column kernel: '' is not a name (empty)"},
        {"triad,010,1,static,0,0.5,,", "column n: '010' is not a count"},
        {"triad,+10,1,static,0,0.5,,", "column n: '+10' is not a count"},
        {"triad, 10,1,static,0,0.5,,", "column n: ' 10' is not a count"},
        {"triad,10,0,static,0,0.5,,", "column threads: '0' is not in range"},
        {"triad,10,,static,0,0.5,,", "column threads: '' is not a count"},
        {"triad,,1,static,0,0.5,,", "column n: '' is not a count"},
        {"triad,10,1,static,0,nan,,", "column median_s: 'nan' is not a number"},
        {"triad,10,1,static,0,0,,", "column median_s: '0' is not a median time"},
        {"triad,10,1,static,0,-0.5,,", "column median_s: '-0.5' is not a time"},
        {"triad,10,1,static,0,inf,,", "column median_s: 'inf' is not a time"},
        {"triad,10,1,static,0,0x1p-3,,", "column median_s: '0x1p-3' is not a number"},
        {"triad,10,1,static,0,1.5e-07,,", NULL},
        {"triad,10,1,static,0,,,", NULL}, /* no median: not available */
        {"triad,10,1,static,0,0.5,inf,", NULL},
        {"triad,10,1,static,0,0.5,-nan,", "column rel_err: '-nan' is not a number"},
        {"triad,10,1,static,0,0.5,,2", "column verified: '2' is not 0 or 1"},
        {"triad,10,1,static,0,0.5,,,crashed", NULL},
        {"triad,10,1,static,0,0.5,,,a\tb", "column status: 'a?b' is not a name"},
    };
    char path[256], text[512];
    temp_path(path, sizeof(path));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        /* Each row has 8 cells, or 9 with the status. */
        size_t commas = 0;
        for (const char *c = cases[i].row; *c; c++)
            commas += *c == ',';
        snprintf(text, sizeof(text),
                 "kernel,n,threads,schedule,chunk,median_s,rel_err,verified,status\n%s%s\n",
                 cases[i].row, commas == 7 ? "," : "");
        write_text(path, text);
        osw_table t;
        osw_row r;
        char err[256] = "";
        int rc = osw_csv_read(path, &t, err);
        if (rc) {
            report(__FILE__, __LINE__, "'%s': read: %s", cases[i].row, err);
            continue;
        }
        rc = osw_row_from_table(&t, 0, &r, err);
        if (!cases[i].message && rc)
            report(__FILE__, __LINE__, "'%s' refused: %s", cases[i].row, err);
        if (cases[i].message) {
            char want[300];
            snprintf(want, sizeof(want), "%s:2: %s", path, cases[i].message);
            if (rc != OSW_EFORMAT || strncmp(err, want, strlen(want)) != 0)
                report(__FILE__, __LINE__, "'%s': rc %d, err '%s', want '%s...'", cases[i].row, rc,
                       err, want);
        }
        osw_table_free(&t);
    }
    unlink(path);
}

/* A configuration listed twice in summary.csv, a (key, rep) twice in
 * samples.csv: refused on reading, naming both lines (a quoted line break
 * counts as a line). */
static void case_csv_duplicates(void)
{
    char path[256];
    temp_path(path, sizeof(path));
    osw_table t;
    char err[256] = "";
    write_text(path, "kernel,n,threads,schedule,chunk,median_s,note\n"
                     "triad,10,1,static,0,0.5,\"two\nlines\"\n"
                     "triad,10,2,static,0,0.5,\n"
                     "triad,10,1,static,0,0.7,\n");
    CHECK_INT(osw_csv_read(path, &t, err), OSW_EFORMAT);
    CHECK_CONTAINS(err, path);
    CHECK_CONTAINS(err,
                   ":5: configuration triad n=10 threads=1 static listed twice (lines 2 and 5)");
    /* Another chunk or rank count is another configuration. */
    write_text(path, "kernel,n,threads,schedule,chunk,median_s,ranks\n"
                     "triad,10,1,dynamic,0,0.5,1\n"
                     "triad,10,1,dynamic,4,0.5,1\n"
                     "triad,10,1,dynamic,4,0.5,2\n");
    CHECK_INT(osw_csv_read(path, &t, err), 0);
    osw_table_free(&t);
    /* An empty ranks cell is 1. */
    write_text(path, "kernel,n,threads,schedule,chunk,median_s,ranks\n"
                     "triad,10,1,dynamic,4,0.5,\n"
                     "triad,10,1,dynamic,4,0.5,1\n");
    CHECK_INT(osw_csv_read(path, &t, err), OSW_EFORMAT);
    CHECK_CONTAINS(err, ":3: configuration triad n=10 threads=1 dynamic,4 listed twice");
    /* samples.csv: the key and rep. */
    write_text(path, "kernel,n,threads,schedule,chunk,rep,seconds\n"
                     "triad,10,1,static,0,1,0.5\n"
                     "triad,10,1,static,0,2,0.5\n"
                     "triad,10,2,static,0,1,0.5\n"
                     "triad,10,1,static,0,2,0.25\n");
    CHECK_INT(osw_csv_read(path, &t, err), OSW_EFORMAT);
    CHECK_CONTAINS(err,
                   ":5: sample triad n=10 threads=1 static rep 2 listed twice (lines 3 and 5)");
    /* Samples without their numbers may repeat a key. */
    write_text(path, "kernel,n,threads,schedule,chunk,seconds\n"
                     "triad,10,1,static,0,0.5\n"
                     "triad,10,1,static,0,0.5\n");
    CHECK_INT(osw_csv_read(path, &t, err), 0);
    osw_table_free(&t);
    unlink(path);
}

/* samples.csv's rows are checked on reading (every reader, --resume
 * included): seconds finite and above 0, the key as in summary.csv. */
static void case_csv_samples_checked(void)
{
    static const struct {
        const char *row, *message;
    } cases[] = {
        {"triad,10,1,static,0,1,0.5", NULL},
        {"triad,10,1,static,0,1,nan", "seconds 'nan' is not a positive number"},
        {"triad,10,1,static,0,1,inf", "seconds 'inf' is not a positive number"},
        {"triad,10,1,static,0,1,0", "seconds '0' is not a positive number"},
        {"triad,10,1,static,0,1,-0.5", "seconds '-0.5' is not a positive number"},
        {"triad,10,1,static,0,1,", "seconds '' is not a positive number"},
        {"triad,10,1,static,0,0,0.5", "rep '0' is not a count"},
        {"triad,10,one,static,0,1,0.5", "threads 'one' is not a count"},
        {"triad,10,1,guided;touch X,0,1,0.5", "schedule 'guided;touch X' is not a schedule"},
        {"a;b,10,1,static,0,1,0.5", "kernel 'a;b' is not a name"},
    };
    char path[256], text[256];
    temp_path(path, sizeof(path));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(text, sizeof(text),
                 "kernel,n,threads,schedule,chunk,rep,seconds\n"
                 "triad,10,1,static,0,9,0.5\n%s\n",
                 cases[i].row);
        write_text(path, text);
        osw_table t;
        char err[256] = "";
        int rc = osw_csv_read(path, &t, err);
        if (!cases[i].message) {
            CHECK_INT(rc, 0);
            if (rc == 0 && t.nrows == 2) {
                osw_sample s;
                CHECK_INT(osw_sample_from_table(&t, 1, &s, err), 0);
                CHECK_STR(s.kernel, "triad");
                CHECK_INT(s.rep, 1);
                CHECK_INT(s.ranks, 1);
                CHECK_DBL(s.seconds, 0.5);
            }
            if (rc == 0)
                osw_table_free(&t);
            continue;
        }
        char want[300];
        snprintf(want, sizeof(want), "%s:3: %s", path, cases[i].message);
        if (rc != OSW_EFORMAT || strncmp(err, want, strlen(want)) != 0)
            report(__FILE__, __LINE__, "'%s': rc %d, err '%s', want '%s...'", cases[i].row, rc, err,
                   want);
        if (rc == 0)
            osw_table_free(&t);
    }
    unlink(path);
}

/* What keeps a file from being read is said as the system says it. */
static void case_csv_unreadable(void)
{
    char dir[256];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/osw-unit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    CHECK(mkdtemp(dir) != NULL);
    osw_table t;
    char err[256] = "";
    CHECK_INT(osw_csv_read(dir, &t, err), -EISDIR);
    CHECK_CONTAINS(err, "Is a directory");
    char loop[300];
    snprintf(loop, sizeof(loop), "%s/loop", dir);
    CHECK_INT(symlink("loop", loop), 0);
    err[0] = '\0';
    CHECK_INT(osw_csv_read(loop, &t, err), -ELOOP);
    CHECK_CONTAINS(err, loop);
    CHECK_CONTAINS(err, "Too many levels of symbolic links");
    unlink(loop);
    rmdir(dir);
}

/* The cells of a Markdown table row "| a | b | c | ..." (the first n),
 * spaces and backticks around each taken off; returns how many. */
static int table_cells(const char *line, char cells[][64], int n)
{
    int got = 0;
    const char *p = strchr(line, '|');
    while (p && got < n) {
        const char *q = strchr(p + 1, '|');
        if (!q)
            break;
        const char *a = p + 1, *b = q;
        while (a < b && (*a == ' ' || *a == '`'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '`'))
            b--;
        snprintf(cells[got++], 64, "%.*s", (int)(b - a), a);
        p = q;
    }
    return got;
}

/* docs/schema.md's type words for schema.def's kinds. */
static const char *doc_type(const char *kind)
{
    if (strcmp(kind, "STR") == 0 || strcmp(kind, "TEXT") == 0)
        return "text";
    if (strcmp(kind, "BOOL") == 0)
        return "0 or 1";
    if (strcmp(kind, "F64") == 0)
        return "number";
    return "integer";
}

/* docs/schema.md documents summary.csv column by column: its table names
 * exactly schema.def's columns, in order, with their type and unit ("—":
 * none); its samples.csv table names osw_samples_header's columns. */
static void case_schema_doc(void)
{
    const char *path = OSW_SCHEMA_DOC;
    FILE *f = fopen(path, "r");
    if (!f) {
        report(__FILE__, __LINE__, "%s: %s", path, strerror(errno));
        return;
    }
    char *samples = strdup(osw_samples_header);
    char *save = NULL, *sample_col = strtok_r(samples, ",", &save);
    size_t nsummary = 0, nsamples = 0;
    int section = 0; /* 1: summary.csv, 2: samples.csv */
    char line[4096];
    for (int lineno = 1; fgets(line, sizeof(line), f); lineno++) {
        if (strncmp(line, "## ", 3) == 0) {
            section = strncmp(line, "## summary.csv", 14) == 0   ? 1
                      : strncmp(line, "## samples.csv", 14) == 0 ? 2
                                                                 : 0;
            continue;
        }
        char cells[3][64];
        if (!section || strncmp(line, "| `", 3) != 0)
            continue;
        if (table_cells(line, cells, 3) != 3) {
            report(__FILE__, __LINE__, "%s:%d: a table row of fewer than 3 cells", path, lineno);
            continue;
        }
        if (section == 2) {
            if (!sample_col || strcmp(cells[0], sample_col) != 0)
                report(__FILE__, __LINE__, "%s:%d: samples.csv column %s, expected %s", path,
                       lineno, cells[0], sample_col ? sample_col : "(no more columns)");
            nsamples++;
            sample_col = sample_col ? strtok_r(NULL, ",", &save) : NULL;
            continue;
        }
        if (nsummary >= NSCHEMA) {
            report(__FILE__, __LINE__, "%s:%d: column %s is not in lib/schema.def", path, lineno,
                   cells[0]);
            continue;
        }
        const struct schema_col *col = &schema[nsummary++];
        const char *unit = *col->unit ? col->unit : "—";
        if (strcmp(cells[0], col->name) != 0)
            report(__FILE__, __LINE__,
                   "%s:%d: summary.csv column %s where lib/schema.def has %s (column %zu)", path,
                   lineno, cells[0], col->name, nsummary);
        else if (strcmp(cells[1], doc_type(col->kind)) != 0 || strcmp(cells[2], unit) != 0)
            report(__FILE__, __LINE__, "%s:%d: %s: type '%s', unit '%s'; expected '%s', '%s'", path,
                   lineno, col->name, cells[1], cells[2], doc_type(col->kind), unit);
    }
    fclose(f);
    if (nsummary < NSCHEMA)
        report(__FILE__, __LINE__,
               "%s: the summary.csv table stops at %zu columns; lib/schema.def "
               "has %zu (next: %s)",
               path, nsummary, NSCHEMA, schema[nsummary].name);
    if (sample_col)
        report(__FILE__, __LINE__, "%s: the samples.csv table lacks %s", path, sample_col);
    CHECK(nsamples > 0);
    free(samples);
}

/* ---- alloc.c ---- */

/* A large array is 2 MiB-aligned and advised in whole 2 MiB pages; a small
 * one is page-aligned and not advised. */
static void case_alloc_alignment_and_advice(void)
{
    size_t before = osw_advised_bytes();
    char *small = osw_alloc(1000);
    CHECK(small && (uintptr_t)small % 64 == 0);
    CHECK(osw_advised_bytes() == before);
    size_t big_bytes = (3u << 20) + 5; /* 3 MiB + 5: advised as 4 MiB */
    char *big = osw_alloc(big_bytes);
    CHECK(big && (uintptr_t)big % (2u << 20) == 0);
#ifndef OSW_ASAN
    CHECK(osw_advised_bytes() - before == (size_t)4 << 20);
#endif
    if (big) {
        big[0] = 1;
        big[big_bytes - 1] = 2;
    }
    osw_free(big);
    osw_free(small);
    osw_free(NULL);
}

/* huge_page_share reads the advised ranges' own mappings: osw_advised_ranges
 * lists what was advised since osw_alloc_restart, and
 * osw_anon_huge_bytes_in counts the huge pages of mappings those ranges
 * cover wholly, never those of a mapping elsewhere (a second huge-page
 * array here) nor of one they cover only in part. */
static void case_alloc_advised_ranges(void)
{
    osw_alloc_policy was = osw_alloc_get_policy();
    osw_alloc_set_policy(&(osw_alloc_policy){.huge_pages = 1});
    osw_alloc_restart();
    osw_range r[OSW_MAX_ADVISED];
    CHECK_INT(osw_advised_ranges(r, OSW_MAX_ADVISED), 0);
    size_t bytes = (size_t)8 << 20;
    char *a = osw_alloc(bytes);
    CHECK_INT(osw_advised_ranges(r, OSW_MAX_ADVISED), 1);
    CHECK(a && r[0].start == (uintptr_t)a && r[0].len == bytes);
    osw_alloc_restart(); /* the other array is not this setup's */
    char *other = osw_alloc(bytes);
    CHECK_INT(osw_advised_ranges(r, OSW_MAX_ADVISED), 1);
    CHECK(other && r[0].start == (uintptr_t)other);
    if (a && other) {
        memset(a, 1, bytes);
        memset(other, 1, bytes);
        osw_range ra = {(uintptr_t)a, bytes}, half = {(uintptr_t)a, bytes / 2};
        double mine = osw_anon_huge_bytes_in(&ra, 1);
        CHECK(!isnan(mine) && mine >= 0 && mine <= (double)bytes);
        /* No ranges: nothing counts, whatever the process has. */
        CHECK(osw_anon_huge_bytes_in(&ra, 0) == 0);
        /* Half of the mapping: not covered wholly, so it does not count. */
        CHECK(osw_anon_huge_bytes_in(&half, 1) == 0);
        osw_range both_r[2] = {ra, {(uintptr_t)other, bytes}};
        double both = osw_anon_huge_bytes_in(both_r, 2);
        double theirs = osw_anon_huge_bytes_in(&both_r[1], 1);
        CHECK(both == mine + theirs);
    }
    osw_free(a);
    osw_free(other);
    osw_alloc_restart();
    osw_alloc_set_policy(&was);
}

/* --array-offset: the k-th array of a setup starts k * offset past its 2 MiB
 * boundary, counted from osw_alloc_restart; rounded down to whole lines. */
static void case_alloc_array_offset(void)
{
#ifdef OSW_ASAN
    puts("note: not checked under AddressSanitizer (the offset is ignored there)");
#else
    osw_alloc_policy saved = osw_alloc_get_policy();
    for (int round = 0; round < 2; round++) {
        osw_alloc_policy policy = saved;
        policy.array_offset = round ? 4096 + 100 : 4096; /* 4196 acts as 4160 */
        osw_alloc_set_policy(&policy);
        size_t unit = round ? 4160 : 4096;
        osw_alloc_restart();
        char *a[3];
        for (int k = 0; k < 3; k++) {
            a[k] = osw_alloc((size_t)3 << 20);
            CHECK(a[k] != NULL);
            if (a[k]) {
                CHECK_INT((long)((uintptr_t)a[k] % (2u << 20)), (long)(k * unit));
                a[k][0] = a[k][(3u << 20) - 1] = 1; /* the whole array is mapped */
            }
        }
        for (int k = 0; k < 3; k++)
            osw_free(a[k]);
    }
    osw_alloc_set_policy(&saved);
    osw_alloc_restart();
#endif
}

/* osw_alloc_set_policy: the value set is the value got (huge_pages as 0 or
 * 1); NULL restores the default, huge pages on and no offset. */
static void case_alloc_policy(void)
{
    osw_alloc_policy saved = osw_alloc_get_policy();
    osw_alloc_set_policy(&(osw_alloc_policy){.huge_pages = 0, .array_offset = 128});
    osw_alloc_policy got = osw_alloc_get_policy();
    CHECK_INT(got.huge_pages, 0);
    CHECK_INT((long)got.array_offset, 128);
    osw_alloc_set_policy(&(osw_alloc_policy){.huge_pages = 7, .array_offset = 0});
    CHECK_INT(osw_alloc_get_policy().huge_pages, 1);
    osw_alloc_set_policy(NULL);
    got = osw_alloc_get_policy();
    CHECK_INT(got.huge_pages, 1);
    CHECK_INT((long)got.array_offset, 0);
    osw_alloc_set_policy(&saved);
}

/* ---- the team that ran: threads_ran and the derive rule ---- */

/* osw_derive's p is the team that ran: efficiency = speedup / threads_ran
 * and overhead_ns = (median - T1 / p) * p / n with p = threads_ran, where
 * threads_ran is below threads; threads where it is 0 (not measured). */
static void case_derive_threads_ran(void)
{
    osw_rowset rows;
    memset(&rows, 0, sizeof(rows));
    osw_row one, four;
    memset(&one, 0, sizeof(one));
    snprintf(one.kernel, sizeof(one.kernel), "countdown");
    snprintf(one.schedule, sizeof(one.schedule), "static");
    one.n = 1000;
    one.threads = one.threads_ran = 1;
    one.verified = 1;
    one.ranks = 1;
    one.median_s = one.ci_lo_s = one.ci_hi_s = 4e-3;
    four = one;
    four.threads = 4;
    four.threads_ran = 2;
    four.median_s = four.ci_lo_s = four.ci_hi_s = 2e-3;
    CHECK(osw_rowset_add(&rows, &one) == 0);
    CHECK(osw_rowset_add(&rows, &four) == 0);
    CHECK_INT(osw_row_team(&four), 2);
    osw_derive(&four, &rows);
    CHECK_NEAR(four.speedup, 2.0, 1e-12);
    CHECK_NEAR(four.efficiency, 1.0, 1e-12); /* 2 / 2 threads ran, not 2 / 4 */
    CHECK_NEAR(four.overhead_ns, (2e-3 - 4e-3 / 2) * 2 / 1000 * 1e9, 1e-9);
    four.threads_ran = 0; /* not measured: the threads asked */
    CHECK_INT(osw_row_team(&four), 4);
    osw_derive(&four, &rows);
    CHECK_NEAR(four.efficiency, 0.5, 1e-12);
    CHECK_NEAR(four.overhead_ns, (2e-3 - 4e-3 / 4) * 4 / 1000 * 1e9, 1e-9);
    four.threads_ran = 4; /* the whole team */
    osw_derive(&four, &rows);
    CHECK_NEAR(four.efficiency, 0.5, 1e-12);
    osw_rowset_free(&rows);
}

/* ceiling_ratio: a verified memory-bound row's gbps_median over the best
 * verified ceiling_* row of the same n, threads, schedule and chunk; NaN for
 * other kernels, without a ceiling row, and past an unverified one. */
static void case_derive_ceiling_ratio(void)
{
    osw_rowset rows;
    memset(&rows, 0, sizeof(rows));
    osw_row triad, read1, write, other_n, cpu;
    memset(&triad, 0, sizeof(triad));
    snprintf(triad.kernel, sizeof(triad.kernel), "triad");
    snprintf(triad.schedule, sizeof(triad.schedule), "static");
    snprintf(triad.bound, sizeof(triad.bound), "memory");
    triad.n = 1000;
    triad.threads = 2;
    triad.verified = 1;
    triad.ranks = 1;
    triad.median_s = triad.ci_lo_s = triad.ci_hi_s = 1e-3;
    triad.gbps_median = 10;
    CHECK(osw_rowset_add(&rows, &triad) == 0);
    osw_derive(&triad, &rows);
    CHECK(isnan(triad.ceiling_ratio)); /* no ceiling row yet */
    read1 = triad;
    snprintf(read1.kernel, sizeof(read1.kernel), "ceiling_read1");
    read1.gbps_median = 16;
    write = read1;
    snprintf(write.kernel, sizeof(write.kernel), "ceiling_write");
    write.gbps_median = 40;
    write.verified = 0; /* an unverified ceiling does not count */
    other_n = read1;
    snprintf(other_n.kernel, sizeof(other_n.kernel), "ceiling_read4");
    other_n.n = 2000; /* another size does not count */
    other_n.gbps_median = 80;
    CHECK(osw_rowset_add(&rows, &read1) == 0);
    CHECK(osw_rowset_add(&rows, &write) == 0);
    CHECK(osw_rowset_add(&rows, &other_n) == 0);
    osw_derive(&triad, &rows);
    CHECK_NEAR(triad.ceiling_ratio, 10.0 / 16.0, 1e-12);
    CHECK_NEAR(osw_ceiling_gbps(&rows, &triad), 16.0, 1e-12);
    cpu = triad;
    snprintf(cpu.bound, sizeof(cpu.bound), "cpu");
    osw_derive(&cpu, &rows);
    CHECK(isnan(cpu.ceiling_ratio));
    triad.verified = 0;
    osw_derive(&triad, &rows);
    CHECK(isnan(triad.ceiling_ratio));
    osw_rowset_free(&rows);
}

/* osw_row_set_stats fills drift_rho from the samples in the order given,
 * leaves them as they were, and leaves it empty below 3 samples. */
static void case_row_stats_drift_rho(void)
{
    osw_row row;
    memset(&row, 0, sizeof(row));
    double slower[12];
    for (int i = 0; i < 12; i++)
        slower[i] = 1e-3 * (1 + 0.01 * i);
    CHECK_INT(osw_row_set_stats(&row, NULL, 0, slower, 12), 0);
    CHECK_NEAR(row.drift_rho, 1, 1e-15);
    CHECK_DBL(slower[0], 1e-3); /* not sorted in place */
    CHECK_NEAR(row.median_s, 1e-3 * 1.055, 1e-15);
    double mixed[] = {3e-3, 1e-3, 2e-3, 2e-3};
    CHECK_INT(osw_row_set_stats(&row, NULL, 0, mixed, 4), 0);
    /* ranks 4 1 2.5 2.5 against 1 2 3 4: about their means 1.5 -1.5 0 0
     * and -1.5 -0.5 0.5 1.5: -1.5 / sqrt(4.5 * 5) */
    CHECK_NEAR(row.drift_rho, -1.5 / sqrt(4.5 * 5), 1e-15);
    CHECK_INT(osw_row_set_stats(&row, NULL, 0, mixed, 2), 0);
    CHECK_NAN(row.drift_rho);
    CHECK_INT(osw_row_set_stats(&row, NULL, 0, NULL, 0), 0);
    CHECK_NAN(row.drift_rho);
}

/* The drift warning: rho above 0.5 with at least 10 samples, one line
 * naming the configuration. */
static void case_drift_warning(void)
{
    osw_row row;
    memset(&row, 0, sizeof(row));
    snprintf(row.kernel, sizeof(row.kernel), "triad");
    snprintf(row.schedule, sizeof(row.schedule), "static");
    row.n = 1000;
    row.threads = 2;
    row.reps = 20;
    row.drift_rho = 0.634;
    char buf[OSW_WARNLEN] = "untouched";
    CHECK_INT(osw_drift_warning(&row, 0, buf, sizeof(buf)), 1);
    CHECK_STR(buf, "the samples of triad n=1000 threads=2 static got slower over the run (drift "
                   "rho=0.63): a noisy neighbour? try --order interleaved");
    CHECK(strchr(buf, '\n') == NULL);
    CHECK_INT(osw_drift_warning(&row, 0, NULL, 0), 1);
    /* Samples already interleaved: the other advice. */
    CHECK_INT(osw_drift_warning(&row, 1, buf, sizeof(buf)), 1);
    CHECK_STR(buf, "the samples of triad n=1000 threads=2 static got slower over the run (drift "
                   "rho=0.63): a noisy neighbour? the samples were interleaved, so the machine "
                   "itself slowed: repeat the run and compare sets of runs (ompsweep compare)");
    /* The chunk and the env are named where the configuration has them. */
    row.chunk = 64;
    snprintf(row.schedule, sizeof(row.schedule), "dynamic");
    snprintf(row.env, sizeof(row.env), "OMP_PROC_BIND=close");
    CHECK_INT(osw_drift_warning(&row, 0, buf, sizeof(buf)), 1);
    CHECK_CONTAINS(buf, "the samples of triad n=1000 threads=2 dynamic,64 OMP_PROC_BIND=close got "
                        "slower");
    /* Below the thresholds, or not available: no warning, buf untouched. */
    snprintf(buf, sizeof(buf), "untouched");
    row.drift_rho = 0.5; /* not above */
    CHECK_INT(osw_drift_warning(&row, 0, buf, sizeof(buf)), 0);
    row.drift_rho = 0.9;
    row.reps = 9; /* too few samples */
    CHECK_INT(osw_drift_warning(&row, 0, buf, sizeof(buf)), 0);
    row.reps = 10;
    row.drift_rho = NAN;
    CHECK_INT(osw_drift_warning(&row, 0, buf, sizeof(buf)), 0);
    row.drift_rho = -0.9; /* faster over the run: not a neighbour's doing */
    CHECK_INT(osw_drift_warning(&row, 0, buf, sizeof(buf)), 0);
    CHECK_STR(buf, "untouched");
    row.drift_rho = 0.7; /* with 10 samples, what chance gives 1 row in 60 */
    CHECK_INT(osw_drift_warning(&row, 0, buf, sizeof(buf)), 0);
    row.drift_rho = 0.8;
    CHECK_INT(osw_drift_warning(&row, 0, buf, sizeof(buf)), 1);
    row.reps = 30;
    row.drift_rho = 0.51; /* 0.51 * sqrt(29) = 2.75 */
    CHECK_INT(osw_drift_warning(&row, 0, buf, sizeof(buf)), 1);
    row.reps = 20;
    row.drift_rho = 0.52; /* 0.52 * sqrt(19) = 2.27: not beyond chance */
    CHECK_INT(osw_drift_warning(&row, 0, buf, sizeof(buf)), 0);
    /* A short buffer is cut, never overrun. */
    row.drift_rho = 0.9;
    char small[16];
    CHECK_INT(osw_drift_warning(&row, 0, small, sizeof(small)), 1);
    CHECK_INT(strlen(small), sizeof(small) - 1);
}

/* The probe records the team; osw_measure writes it to threads_ran, and a
 * runtime that may run no active level gives a team of one, which
 * osw_team_limit predicts and names. */
static void case_measure_threads_ran(void)
{
    const osw_kernel *k = osw_kernel_find("countdown");
    double seconds[3];
    osw_row row;
    int saved_threads = omp_get_max_threads(), saved_levels = omp_get_max_active_levels();
    int saved_dynamic = omp_get_dynamic();
    char why[300];
    omp_set_dynamic(0);
    omp_set_num_threads(2);
    if (omp_get_thread_limit() >= 2 && saved_levels >= 1) {
        memset(&row, 0, sizeof(row));
        CHECK(osw_measure(k, 4096, 2, 0, 0, &row, seconds) == 0);
        CHECK_INT(row.threads, 2);
        CHECK_INT(row.threads_ran, 2);
        CHECK_INT(osw_team_limit(2, why, sizeof(why)), 2);
        CHECK_STR(why, "");
    } else {
        puts("note: the runtime's settings limit teams here; the full team is not checked");
    }
    omp_set_max_active_levels(0);
    memset(&row, 0, sizeof(row));
    CHECK(osw_measure(k, 4096, 2, 0, 0, &row, seconds) == 0);
    CHECK_INT(row.threads, 2);
    CHECK_INT(row.threads_ran, 1);
    CHECK(row.verified);
    CHECK_INT(osw_team_limit(2, why, sizeof(why)), 1);
    CHECK_CONTAINS(why, "every team has 1 thread");
    CHECK_INT(osw_team_limit(1, why, sizeof(why)), 1);
    omp_set_max_active_levels(saved_levels);
    omp_set_dynamic(1);
    CHECK_INT(osw_team_limit(2, why, sizeof(why)), 2); /* may shrink: not for sure */
    CHECK_CONTAINS(why, "shrink");
    omp_set_dynamic(saved_dynamic);
    omp_set_num_threads(saved_threads);
}

/* osw_estimate_call_s: one call's time from a call of about target_s at a
 * small n, scaled linearly, found quickly. wait blocks 50 us per 50000 ns
 * of n, whatever the CPU: 1 s of n is about 1 s (oversleeping makes it
 * longer). countdown at 2^48 takes days on any CPU (0.6 ns per iteration on
 * a fast core), from a 10 ms call or a 1 ms one: the estimate must not be
 * anywhere near under an hour. */
static void case_estimate_call_s(void)
{
    int saved = omp_get_max_threads();
    double t0 = omp_get_wtime();
    double wait_s = osw_estimate_call_s(osw_kernel_find("wait"), 1000000000, 0.01);
    double countdown_s = osw_estimate_call_s(osw_kernel_find("countdown"), (size_t)1 << 48, 0.01);
    double quick_s = osw_estimate_call_s(osw_kernel_find("countdown"), (size_t)1 << 48, 0.001);
    double small_s = osw_estimate_call_s(osw_kernel_find("countdown"), 1000, 0.01);
    double took = omp_get_wtime() - t0;
    CHECK(wait_s >= 0.9 && wait_s <= 20);
    CHECK(countdown_s > 3600);
    CHECK(quick_s > 3600);
    CHECK(small_s >= 0 && small_s < 0.01);
    CHECK(took < 2); /* calls of about 10 ms, not the calls estimated */
    CHECK_INT(omp_get_max_threads(), saved);
    if (!(wait_s >= 0.9 && wait_s <= 20) || !(countdown_s > 3600) || !(took < 2))
        printf("wait 1e9: %g s, countdown 2^48: %g s, 1000: %g s; estimating took %g s\n", wait_s,
               countdown_s, small_s, took);
}

/* ---- environment axes and placement ---- */

static void case_env_axis_values(void)
{
    osw_env_axis ax;
    char err[OSW_ERRLEN];
    CHECK_INT(osw_env_axis_parse(&ax, "--places", "OMP_PLACES",
                                 "threads,cores(2),{0:2},{2:2};{0},{1},default,threads", err),
              0);
    CHECK_INT(ax.count, 5);
    if (ax.count == 5) {
        CHECK_STR(ax.values[0], "threads");
        CHECK_STR(ax.values[1], "cores(2)");
        CHECK_STR(ax.values[2], "{0:2},{2:2}");
        CHECK_STR(ax.values[3], "{0},{1}");
        CHECK_STR(ax.values[4], "default");
    }
    osw_env_axis_free(&ax);
    CHECK_INT(osw_env_axis_parse(&ax, "--wait-policy", "OMP_WAIT_POLICY", "ACTIVE,passive", err),
              0);
    CHECK(ax.count == 2 && strcmp(ax.values[0], "active") == 0); /* case folded */
    osw_env_axis_free(&ax);
    static const struct {
        const char *name, *list;
    } bad[] = {{"OMP_WAIT_POLICY", "busy"}, {"OMP_WAIT_POLICY", ""},    {"OMP_PROC_BIND", "tight"},
               {"OMP_PLACES", "{0:2"},      {"OMP_PLACES", "cores(0)"}, {"OMP_PLACES", "{a}"},
               {"GOMP_SPINCOUNT", "-1"},    {"KMP_BLOCKTIME", "10k"},   {"OMP_NUM_THREADS", "4"},
               {"OMP_SCHEDULE", "static"},  {"MY_VAR", "a\tb"},         {"9LIVES", "x"}};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        int rc = osw_env_axis_parse(&ax, "--env", bad[i].name, bad[i].list, err);
        if (rc != OSW_EUSAGE || !err[0])
            report(__FILE__, __LINE__, "%s=%s: rc %d, err '%s'", bad[i].name, bad[i].list, rc, err);
        osw_env_axis_free(&ax);
    }
    CHECK_INT(osw_env_axis_parse(&ax, "--spin-count", "GOMP_SPINCOUNT", "0,300k,infinite", err), 0);
    CHECK_INT(ax.count, 3);
    osw_env_axis_free(&ax);
}

static void case_placement_verdict(void)
{
    osw_cpuset a, b;
    char text[64], why[200];
    CHECK_INT(osw_cpuset_parse("0-3,8,10-11", NULL, &a), 0);
    osw_cpuset_text(&a, text, sizeof(text));
    CHECK_STR(text, "0-3,8,10-11");
    CHECK_INT(osw_cpuset_count(&a), 7);
    CHECK(osw_cpuset_parse("3-1", NULL, &b) != 0 && osw_cpuset_parse("", NULL, &b) != 0 &&
          osw_cpuset_parse("1,,2", NULL, &b) != 0 && osw_cpuset_parse("5000", NULL, &b) != 0);
    CHECK_INT(osw_places_count("{0:2},{2:2}"), 2);
    CHECK_INT(osw_places_count("{0}:4:1"), 4);
    CHECK_INT(osw_places_count("{0},!{1},{2,3}"), 3);
    CHECK_INT(osw_places_count("cores"), 0);
    int asked[4];
    char bind[32], places[64];
    CHECK_INT(osw_placement_asked("2,3", 6,
                                  "OMP_NUM_THREADS=2,3;OMP_MAX_ACTIVE_LEVELS=2;"
                                  "OMP_PROC_BIND=spread;OMP_PLACES={0},{1}",
                                  asked, bind, sizeof(bind), places, sizeof(places)),
              2);
    CHECK(asked[0] == 2 && asked[1] == 3);
    CHECK_STR(bind, "spread");
    CHECK_STR(places, "{0},{1}");
    osw_placement *p = calloc(1, sizeof(*p));
    if (!p)
        return;
    /* nothing seen */
    CHECK_STR(osw_placement_verdict(p, asked, 1, "close", "cores", 4, 2, why, sizeof(why)), "");
    /* two threads on two distinct CPUs, bound: ok */
    osw_cpuset c0, c1, all;
    osw_cpuset_parse("0", NULL, &c0);
    osw_cpuset_parse("1", NULL, &c1);
    osw_cpuset_parse("0-3", NULL, &all);
    osw_placement_add(p, 1, 0, 2, &c0);
    osw_placement_add(p, 1, 1, 2, &c1);
    int two = 2;
    CHECK_STR(osw_placement_verdict(p, &two, 1, "close", "cores", 4, 2, why, sizeof(why)), "ok");
    /* asked 3: team */
    int three = 3;
    CHECK_STR(osw_placement_verdict(p, &three, 1, "", NULL, 4, 2, why, sizeof(why)), "team");
    CHECK(strstr(why, "team of 2") != NULL);
    /* a nested level never seen: team */
    int nest[2] = {2, 2};
    CHECK_STR(osw_placement_verdict(p, nest, 2, "", NULL, 4, 2, why, sizeof(why)), "team");
    /* a thread on every CPU of the process though bound: unbound */
    osw_placement_add(p, 1, 1, 2, &all);
    CHECK_STR(osw_placement_verdict(p, &two, 1, "spread", "threads", 4, 2, why, sizeof(why)),
              "unbound");
    CHECK_STR(osw_placement_verdict(p, &two, 1, "false", "threads", 4, 2, why, sizeof(why)), "ok");
    /* two threads on one CPU with 4 places: shared; with 1 place: ok */
    osw_placement_add(p, 1, 1, 2, &c0);
    CHECK_STR(osw_placement_verdict(p, &two, 1, "close", "threads", 4, 2, why, sizeof(why)),
              "shared");
    CHECK_STR(osw_placement_verdict(p, &two, 1, "close", "{0}", 4, 2, why, sizeof(why)), "ok");
    CHECK_STR(osw_placement_verdict(p, &two, 1, "primary", "threads", 4, 2, why, sizeof(why)),
              "ok");
    free(p);
}

/* ---- the case table: cases.def, one CASE(name) per line ---- */

struct test_case {
    const char *name;
    void (*fn)(void);
};

#define CASE(name) {#name, case_##name},
/* clang-format off */
static const struct test_case cases[] = {
#include "cases.def"
};
/* clang-format on */

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static int run_case(const struct test_case *c)
{
    failures = 0;
    c->fn();
    printf("%s %s\n", failures ? "FAIL" : "ok  ", c->name);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < NCASES; i++)
            printf("%s\n", cases[i].name);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--count") == 0) {
        char *end;
        unsigned long want = strtoul(argv[2], &end, 10);
        if (*end || want != NCASES) {
            fprintf(stderr,
                    "test_unit: the table has %zu cases, CMake registered %s: the CASE(name) "
                    "lines must start their line\n",
                    NCASES, argv[2]);
            return 1;
        }
        return 0;
    }
    if (argc == 1) {
        int bad = 0;
        for (size_t i = 0; i < NCASES; i++)
            bad += run_case(&cases[i]);
        printf("%d of %zu cases failed\n", bad, NCASES);
        return bad ? 1 : 0;
    }
    if (argc == 2) {
        for (size_t i = 0; i < NCASES; i++)
            if (strcmp(cases[i].name, argv[1]) == 0)
                return run_case(&cases[i]);
        fprintf(stderr, "test_unit: unknown case '%s' (test_unit --list)\n", argv[1]);
        return 2;
    }
    fprintf(stderr, "usage: test_unit [CASE | --list | --count N]\n");
    return 2;
}

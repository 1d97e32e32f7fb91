/* test_repro: mean_f64_repro's result has the same bits for every thread
 * count and schedule, at n = 1000003 (a partial last block) and 2^20 (whole
 * blocks), threads {1, 2, 3, 4, 7} x schedules {static, static,1, dynamic,3,
 * guided, auto}; every configuration also verifies. Plain mean_f64 is run on
 * the same grid and its spread is printed in ULPs, for information only: its
 * reduction order follows the split, so it is not required to match. */
#include "kernel.h"
#include "parse.h"

#include <inttypes.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The double's bits as an integer that orders like the doubles: the ULP
 * distance of two finite doubles is the difference of their keys. */
static int64_t ulp_key(double x)
{
    int64_t i;
    memcpy(&i, &x, sizeof(i));
    return i < 0 ? INT64_MIN - i : i;
}

static const int threads[] = {1, 2, 3, 4, 7};
static const struct {
    omp_sched_t kind;
    int chunk;
    const char *name;
} scheds[] = {
    {omp_sched_static, 0, "static"},     {omp_sched_static, 1, "static,1"},
    {omp_sched_dynamic, 3, "dynamic,3"}, {omp_sched_guided, 0, "guided"},
    {omp_sched_auto, 0, "auto"},
};
#define NT (sizeof(threads) / sizeof(threads[0]))
#define NS (sizeof(scheds) / sizeof(scheds[0]))

/* Runs kernel k at n on the whole grid into results[]; returns the number of
 * setup or verification failures. */
static int sweep(const osw_kernel *k, size_t n, double results[NT * NS])
{
    int failures = 0;
    for (size_t ti = 0; ti < NT; ti++) {
        for (size_t si = 0; si < NS; si++) {
            osw_schedule s = {.kind = scheds[si].kind, .chunk = scheds[si].chunk};
            omp_set_num_threads(threads[ti]);
            osw_schedule_apply(&s);
            double *r = &results[ti * NS + si];
            *r = NAN;
            void *ctx = NULL;
            if (k->setup(&ctx, n) != 0) {
                fprintf(stderr, "FAIL setup: %s n=%zu\n", k->name, n);
                failures++;
                continue;
            }
            int team = 0;
#pragma omp parallel
#pragma omp single
            team = omp_get_num_threads();
            k->run(ctx);
            double rel_err = NAN;
            if (!k->verify(ctx, &rel_err)) {
                fprintf(stderr, "FAIL verify: %s n=%zu threads=%d schedule=%s rel_err=%g\n",
                        k->name, n, threads[ti], scheds[si].name, rel_err);
                failures++;
            }
            if (team != threads[ti]) {
                fprintf(stderr, "FAIL team: asked %d threads, got %d\n", threads[ti], team);
                failures++;
            }
            *r = k->result(ctx);
            k->teardown(ctx);
        }
    }
    return failures;
}

int main(void)
{
    const osw_kernel *repro = osw_kernel_find("mean_f64_repro");
    const osw_kernel *plain = osw_kernel_find("mean_f64");
    if (!repro || !plain || !repro->result || !plain->result) {
        fprintf(stderr, "test_repro: mean_f64_repro or mean_f64 (with result) not registered\n");
        return 1;
    }
    static const size_t sizes[] = {1000003, (size_t)1 << 20};
    int failures = 0;
    for (size_t zi = 0; zi < sizeof(sizes) / sizeof(sizes[0]); zi++) {
        size_t n = sizes[zi];
        double r[NT * NS], p[NT * NS];
        failures += sweep(repro, n, r);
        failures += sweep(plain, n, p);
        int64_t ref = ulp_key(r[0]);
        int mismatches = 0;
        for (size_t c = 0; c < NT * NS; c++) {
            if (ulp_key(r[c]) != ref) {
                fprintf(stderr,
                        "FAIL bits: mean_f64_repro n=%zu threads=%d schedule=%s: %a, "
                        "1-thread static %a (%" PRId64 " ulp)\n",
                        n, threads[c / NS], scheds[c % NS].name, r[c], r[0], ulp_key(r[c]) - ref);
                mismatches++;
            }
        }
        failures += mismatches;
        int64_t lo = ulp_key(p[0]), hi = lo, worst = 0;
        for (size_t c = 0; c < NT * NS; c++) {
            int64_t key = ulp_key(p[c]);
            lo = key < lo ? key : lo;
            hi = key > hi ? key : hi;
            worst = llabs(key - ulp_key(p[0])) > worst ? llabs(key - ulp_key(p[0])) : worst;
        }
        printf("n=%zu: mean_f64_repro %zu configurations, %d differ in bits (%.17g); "
               "mean_f64 spread %" PRId64 " ulp (max %" PRId64
               " ulp from 1-thread static), repro - plain(1-thread static) = %" PRId64 " ulp\n",
               n, NT * NS, mismatches, r[0], hi - lo, worst, ulp_key(r[0]) - ulp_key(p[0]));
    }
    printf("test_repro: %d failures\n", failures);
    return failures ? 1 : 0;
}

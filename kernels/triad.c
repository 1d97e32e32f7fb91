/* triad: a[i] = b[i] + s * c[i] for i in [0, n), doubles (STREAM's Triad):
 * the in-suite bandwidth ceiling other kernels are compared with.
 * Traffic: 16 bytes read + 8 written per element (STREAM's count; write-
 * allocate adds 8); 2 flops. Check: every element against a long double
 * b + s*c within 2u (one rounding more or less, with or without FMA). */
#include "kernel.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>

#define SEED_B 5
#define SEED_C 6
#define SCALAR 3.0

struct triad {
    size_t n;
    double *a, *b, *c;
};

static void teardown(void *ctx)
{
    struct triad *k = ctx;
    if (!k)
        return;
    osw_free(k->a);
    osw_free(k->b);
    osw_free(k->c);
    free(k);
}

static int setup(void **ctx, size_t n)
{
    struct triad *k = calloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    k->n = n;
    k->a = osw_alloc(n * sizeof(double));
    k->b = osw_alloc(n * sizeof(double));
    k->c = osw_alloc(n * sizeof(double));
    if (!k->a || !k->b || !k->c) {
        teardown(k);
        return -ENOMEM;
    }
    double *a = k->a, *b = k->b, *c = k->c;
#pragma omp parallel for schedule(runtime)
    for (size_t i = 0; i < n; i++) {
        a[i] = NAN;
        b[i] = osw_gen_unit(SEED_B, i);
        c[i] = osw_gen_unit(SEED_C, i);
    }
    *ctx = k;
    return 0;
}

static void run(void *ctx)
{
    struct triad *k = ctx;
    double *restrict a = k->a;
    const double *restrict b = k->b;
    const double *restrict c = k->c;
    const double s = SCALAR;
    const size_t n = k->n;
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for simd schedule(runtime) nowait
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] + s * c[i];
        osw_probe_end(t0, cpu);
    }
}

static int verify(const void *ctx, double *rel_err)
{
    const struct triad *k = ctx;
    double worst = 0;
    for (size_t i = 0; i < k->n; i++) {
        long double ref =
            (long double)osw_gen_unit(SEED_B, i) + SCALAR * (long double)osw_gen_unit(SEED_C, i);
        double err = (double)(fabsl(k->a[i] - ref) / (ref != 0 ? ref : 1));
        if (!(err <= worst))
            worst = isnan(err) ? INFINITY : err;
    }
    *rel_err = worst;
    /* b, c >= 0 and s > 0, so |b| + |s c| = |ref| and mul-then-add (or one
     * fused multiply-add) is within 2u of it. */
    return worst <= 2 * OSW_U;
}

const osw_kernel osw_triad = {
    .name = "triad",
    .summary = "a = b + s*c on doubles, the in-suite bandwidth ceiling",
    .unit = "elements",
    .bytes_per_elem = 24,
    .ops_per_elem = 2,
    .alloc_bytes_per_elem = 24,
    .kind = OSW_MEMORY_BOUND,
    .default_n = 1u << 24,
    .setup = setup,
    .run = run,
    .verify = verify,
    .teardown = teardown,
};

/* triad: a[i] = b[i] + s * c[i] for i in [0, n), doubles (STREAM's Triad):
 * the in-suite bandwidth ceiling other kernels are compared with.
 * Traffic: 16 bytes read + 8 written per element (STREAM's count; write-
 * allocate adds 8); 2 flops. Check: every element against a long double
 * b + s*c within 2u (one rounding more or less, with or without FMA). */
#include "kernel.h"
#include "streams.h"
#include "util.h"

#include <omp.h>

#define SEED_B 5
#define SEED_C 6
#define SCALAR 3.0

static int setup(void **ctx, size_t n)
{
    return osw_streams_setup(ctx, n, SEED_B, SEED_C);
}

static void run(void *ctx)
{
    osw_streams *k = ctx;
    double *restrict a = k->out;
    const double *restrict b = k->x;
    const double *restrict c = k->y;
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

static long double reference(double b, double c)
{
    return (long double)b + SCALAR * (long double)c;
}

static int verify(const void *ctx, double *rel_err)
{
    *rel_err = osw_streams_max_rel_err(ctx, SEED_B, SEED_C, reference);
    /* b, c >= 0 and s > 0, so |b| + |s c| = |ref| and mul-then-add (or one
     * fused multiply-add) is within 2u of it. */
    return *rel_err <= 2 * OSW_U;
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
    .teardown = osw_streams_teardown,
    .combine = OSW_COMBINE_NONE,
};

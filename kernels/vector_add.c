/* vector_add: c[i] = a[i] + b[i] for i in [0, n), doubles.
 * Traffic: 16 bytes read + 8 written per element (STREAM's count; a cache
 * that allocates on write also reads c, 8 more bytes); 1 add.
 * Check: every element equals the generator's a + b, bit for bit. */
#include "kernel.h"
#include "streams.h"

#include <omp.h>

#define SEED_A 3
#define SEED_B 4

static int setup(void **ctx, size_t n)
{
    return osw_streams_setup(ctx, n, SEED_A, SEED_B);
}

static void run(void *ctx)
{
    osw_streams *k = ctx;
    const double *restrict a = k->x;
    const double *restrict b = k->y;
    double *restrict c = k->out;
    const size_t n = k->n;
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for simd schedule(runtime) nowait
        for (size_t i = 0; i < n; i++)
            c[i] = a[i] + b[i];
        osw_probe_end(t0, cpu);
    }
}

/* The double sum, rounded once: what the kernel must produce exactly. */
static long double reference(double a, double b)
{
    return a + b;
}

static int verify(const void *ctx, double *rel_err)
{
    *rel_err = osw_streams_max_rel_err(ctx, SEED_A, SEED_B, reference);
    return *rel_err == 0;
}

const osw_kernel osw_vector_add = {
    .name = "vector_add",
    .summary = "c = a + b on doubles",
    .unit = "elements",
    .bytes_per_elem = 24,
    .ops_per_elem = 1,
    .alloc_bytes_per_elem = 24,
    .kind = OSW_MEMORY_BOUND,
    .default_n = 1u << 24,
    .setup = setup,
    .run = run,
    .verify = verify,
    .teardown = osw_streams_teardown,
    .combine = OSW_COMBINE_NONE,
};

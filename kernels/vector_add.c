/* vector_add: c[i] = a[i] + b[i] for i in [0, n), doubles.
 * Traffic: 16 bytes read + 8 written per element (STREAM's count; a cache
 * that allocates on write also reads c, 8 more bytes); 1 add.
 * Check: every element equals the generator's a + b, bit for bit. */
#include "kernel.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>

#define SEED_A 3
#define SEED_B 4

struct vadd {
    size_t n;
    double *a, *b, *c;
};

static void teardown(void *ctx)
{
    struct vadd *k = ctx;
    if (!k)
        return;
    osw_free(k->a);
    osw_free(k->b);
    osw_free(k->c);
    free(k);
}

static int setup(void **ctx, size_t n)
{
    struct vadd *k = calloc(1, sizeof(*k));
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
        a[i] = osw_gen_unit(SEED_A, i);
        b[i] = osw_gen_unit(SEED_B, i);
        c[i] = NAN;
    }
    *ctx = k;
    return 0;
}

static void run(void *ctx)
{
    struct vadd *k = ctx;
    const double *restrict a = k->a;
    const double *restrict b = k->b;
    double *restrict c = k->c;
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

static int verify(const void *ctx, double *rel_err)
{
    const struct vadd *k = ctx;
    double worst = 0;
    for (size_t i = 0; i < k->n; i++) {
        double ref = osw_gen_unit(SEED_A, i) + osw_gen_unit(SEED_B, i);
        double err = fabs(k->c[i] - ref);
        err = ref != 0 ? err / ref : err;
        if (!(err <= worst)) /* also catches NaN: an element never written */
            worst = isnan(err) ? INFINITY : err;
    }
    *rel_err = worst;
    return worst == 0;
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
    .teardown = teardown,
};

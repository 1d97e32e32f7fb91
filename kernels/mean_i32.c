/* mean_i32: mean = (sum of a[i] for i in [0, n)) / n over int32 values in 0..9
 * (the notebooks' 1e9 randint(0, 10)), summed exactly in int64.
 * Traffic: 4 bytes read per element; 1 add. Check: exact int64 sum of the
 * generator's values, recomputed serially without reading the array. */
#include "kernel.h"
#include "means.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>

#define SEED 1

int osw_mean_i32_setup(void **ctx, size_t n)
{
    osw_mean_i32_state *k = calloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    k->n = n;
    k->a = osw_alloc(n * sizeof(*k->a));
    if (!k->a) {
        free(k);
        return -ENOMEM;
    }
    int32_t *a = k->a;
#pragma omp parallel for schedule(runtime)
    for (size_t i = 0; i < n; i++)
        a[i] = (int32_t)osw_gen_below(SEED, i, 10);
    k->sum = -1;
    k->mean = NAN;
    *ctx = k;
    return 0;
}

static void run(void *ctx)
{
    osw_mean_i32_state *k = ctx;
    const int32_t *a = k->a;
    const size_t n = k->n;
    int64_t sum = 0;
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for simd schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = 0; i < n; i++)
            sum += a[i];
        osw_probe_end(t0, cpu);
    }
    k->sum = sum;
    k->mean = n ? (double)sum / (double)n : 0.0;
}

int osw_mean_i32_verify(const void *ctx, double *rel_err)
{
    const osw_mean_i32_state *k = ctx;
    int64_t ref = 0;
    for (size_t i = 0; i < k->n; i++)
        ref += osw_gen_below(SEED, i, 10);
    double ref_mean = k->n ? (double)ref / (double)k->n : 0.0;
    *rel_err = ref_mean != 0 ? (k->mean - ref_mean) / ref_mean : k->mean - ref_mean;
    if (*rel_err < 0)
        *rel_err = -*rel_err;
    return k->sum == ref && k->mean == ref_mean;
}

double osw_mean_i32_result(const void *ctx)
{
    return ((const osw_mean_i32_state *)ctx)->mean;
}

void osw_mean_i32_teardown(void *ctx)
{
    osw_mean_i32_state *k = ctx;
    if (!k)
        return;
    osw_free(k->a);
    free(k);
}

const osw_kernel osw_mean_i32 = {
    .name = "mean_i32",
    .summary = "mean of int32 values in 0..9, exact int64 sum",
    .unit = "elements",
    .bytes_per_elem = 4,
    .ops_per_elem = 1,
    .alloc_bytes_per_elem = 4,
    .kind = OSW_MEMORY_BOUND,
    .default_n = 1u << 25,
    .setup = osw_mean_i32_setup,
    .run = run,
    .verify = osw_mean_i32_verify,
    .teardown = osw_mean_i32_teardown,
    .result = osw_mean_i32_result,
};

/* mean_f64: mean = (sum of a[i] for i in [0, n)) / n over doubles in [0, 1)
 * (the notebooks' 1e8 rand). The reduction is vectorised (`simd`), so one
 * thread streams memory instead of waiting on one add chain.
 * Traffic: 8 bytes read per element; 1 add. Check: Neumaier-compensated long
 * double sum of the generator's values; tolerance gamma_(n-1) + 2u, the bound
 * for any summation order. */
#include "kernel.h"
#include "means.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>

#define SEED 2

int osw_mean_f64_setup(void **ctx, size_t n)
{
    osw_mean_f64_state *k = calloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    k->n = n;
    k->a = osw_alloc(n * sizeof(*k->a));
    if (!k->a) {
        free(k);
        return -ENOMEM;
    }
    double *a = k->a;
#pragma omp parallel for schedule(runtime)
    for (size_t i = 0; i < n; i++)
        a[i] = osw_gen_unit(SEED, i);
    k->mean = NAN;
    *ctx = k;
    return 0;
}

static void run(void *ctx)
{
    osw_mean_f64_state *k = ctx;
    const double *a = k->a;
    const size_t n = k->n;
    double sum = 0;
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for simd schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = 0; i < n; i++)
            sum += a[i];
        osw_probe_end(t0, cpu);
    }
    k->mean = n ? sum / (double)n : 0.0;
}

int osw_mean_f64_verify(const void *ctx, double *rel_err)
{
    const osw_mean_f64_state *k = ctx;
    return osw_check_unit_mean(SEED, k->n, k->mean, rel_err);
}

double osw_mean_f64_result(const void *ctx)
{
    return ((const osw_mean_f64_state *)ctx)->mean;
}

void osw_mean_f64_teardown(void *ctx)
{
    osw_mean_f64_state *k = ctx;
    if (!k)
        return;
    osw_free(k->a);
    free(k);
}

const osw_kernel osw_mean_f64 = {
    .name = "mean_f64",
    .summary = "mean of doubles in [0,1), simd reduction",
    .unit = "elements",
    .bytes_per_elem = 8,
    .ops_per_elem = 1,
    .alloc_bytes_per_elem = 8,
    .kind = OSW_MEMORY_BOUND,
    .default_n = 1u << 24,
    .setup = osw_mean_f64_setup,
    .run = run,
    .verify = osw_mean_f64_verify,
    .teardown = osw_mean_f64_teardown,
    .result = osw_mean_f64_result,
};

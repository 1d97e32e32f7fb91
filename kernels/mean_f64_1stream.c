/* mean_f64_1stream: the one-stream loop that was mean_f64's until issue 21
 * (mean_f64 now reads four streams per thread; this stays for the study):
 * mean = (sum of a[i] for i in [0, n)) / n over doubles in [0, 1)
 * (the notebooks' 1e8 rand). The reduction is vectorised (`simd`), so one
 * thread streams memory instead of waiting on one add chain.
 * Traffic: 8 bytes read per element; 1 add. Check: Neumaier-compensated long
 * double sum of the generator's values; tolerance gamma_(n-1) + 2u, the bound
 * for any summation order. */
#include "kernel.h"
#include "means.h"

#include <omp.h>

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

const osw_kernel osw_mean_f64_1stream = {
    .name = "mean_f64_1stream",
    .summary = "mean_f64 read as one stream per thread (the pre-issue-21 loop)",
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
    .combine = OSW_COMBINE_MEAN,
};

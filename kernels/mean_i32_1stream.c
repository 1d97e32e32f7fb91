/* mean_i32_1stream: the one-stream loop that was mean_i32's until issue 21
 * (mean_i32 now reads four streams per thread; this stays for the study):
 * mean = (sum of a[i] for i in [0, n)) / n over int32 values in 0..9
 * (the notebooks' 1e9 randint(0, 10)), summed exactly in int64.
 * Traffic: 4 bytes read per element; 1 add. Check: exact int64 sum of the
 * generator's values, recomputed serially without reading the array. */
#include "kernel.h"
#include "means.h"

#include <omp.h>

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

const osw_kernel osw_mean_i32_1stream = {
    .name = "mean_i32_1stream",
    .summary = "mean_i32 read as one stream per thread (the pre-issue-21 loop)",
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
    .combine = OSW_COMBINE_MEAN,
};

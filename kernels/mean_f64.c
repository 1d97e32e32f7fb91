/* mean_f64: mean = (sum of a[i] for i in [0, n)) / n over doubles in [0, 1)
 * (the notebooks' 1e8 rand). Each thread reads its share as four concurrent
 * streams a quarter of the array apart, one 64-byte line per stream at a
 * time, into one line of partial sums per stream kept in registers across
 * the share (osw_mean_f64_run_4way in means.h; a chunk counts groups of
 * 4 x 8 elements), which reads at the machine's read ceiling where one
 * stream does not (issue 21; docs/kernels.md, "The mean kernels"); the
 * one-stream loop is mean_f64_1stream.
 * Traffic: 8 bytes read per element; 1 add. Check: Neumaier-compensated long
 * double sum of the generator's values; tolerance gamma_(n-1) + 2u, the bound
 * for any summation order. */
#include "kernel.h"
#include "means.h"

#include <omp.h>

static void run(void *ctx)
{
    osw_mean_f64_run_4way(ctx);
}

const osw_kernel osw_mean_f64 = {
    .name = "mean_f64",
    .summary = "mean of doubles in [0,1), four streams per thread, line accumulators",
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

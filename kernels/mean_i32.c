/* mean_i32: mean = (sum of a[i] for i in [0, n)) / n over int32 values in 0..9
 * (the notebooks' 1e9 randint(0, 10)), summed exactly in int64. Each thread
 * reads its share as four concurrent streams a quarter of the array apart,
 * a block of one 64-byte line per stream at a time with a software prefetch
 * 1 KiB ahead in each (osw_mean_i32_run_4way in means.h; a chunk counts
 * blocks of 4 x 16 elements), which reads at the machine's read ceiling
 * where one stream, or four without the prefetch, do not (issue 21;
 * docs/kernels.md, "The mean kernels"); the one-stream loop is
 * mean_i32_1stream. Traffic: 4 bytes read per element; 1 add. Check: exact
 * int64 sum of the generator's values, recomputed serially without reading
 * the array. */
#include "kernel.h"
#include "means.h"

#include <omp.h>

static void run(void *ctx)
{
    osw_mean_i32_run_4way(ctx);
}

const osw_kernel osw_mean_i32 = {
    .name = "mean_i32",
    .summary = "mean of int32 values in 0..9, exact int64 sum, four streams per thread",
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

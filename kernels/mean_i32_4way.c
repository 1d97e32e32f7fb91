/* mean_i32_4way: since issue 21 the same loop as mean_i32, which made it its
 * default (osw_mean_i32_run_4way in means.h); kept under this name for
 * earlier results. mean_i32 (same data, same exact check) with each iteration
 * reading four elements about a quarter of the array apart (a[i], a[i + q],
 * a[i + 2q], a[i + 3q], q from osw_quarter_stride), so every thread reads
 * its share as four concurrent streams; see mean_f64_4way for why. The loop
 * runs over blocks of 16 such groups (one 64-byte line per stream,
 * prefetched 1 KiB ahead; a chunk counts blocks of 4 x 16 elements); the
 * groups left over and the tail from 4q on (under 4100 elements) are two
 * more worksharing loops in the region.
 * Traffic: 4 bytes read per element; 1 add. */
#include "kernel.h"
#include "means.h"

#include <omp.h>

static void run(void *ctx)
{
    osw_mean_i32_run_4way(ctx);
}

const osw_kernel osw_mean_i32_4way = {
    .name = "mean_i32_4way",
    .summary = "mean_i32 read as four concurrent streams per thread",
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

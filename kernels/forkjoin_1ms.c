/* forkjoin_1ms: the forkjoin kernel (kernels/forkjoin.c) with serial gaps
 * of 1 ms between its regions. */
#include "kernel.h"
#include "forkjoin.h"

static int setup(void **ctx, size_t n)
{
    return osw_forkjoin_setup(ctx, n, 1000000);
}

const osw_kernel osw_forkjoin_1ms = {
    .name = "forkjoin_1ms",
    .summary = "parallel regions of ~20 us work with 1 ms serial gaps (wait policy)",
    .unit = "ns of region work",
    .bytes_per_elem = 0,
    .ops_per_elem = 10.0 * OSW_FORKJOIN_WORK / OSW_FORKJOIN_REGION_NS,
    .alloc_bytes_per_elem = 0,
    .kind = OSW_CPU_BOUND,
    .default_n = 500u * OSW_FORKJOIN_REGION_NS,
    .setup = setup,
    .run = osw_forkjoin_run,
    .verify = osw_forkjoin_verify,
    .teardown = osw_forkjoin_teardown,
    .combine = OSW_COMBINE_NONE, /* no result: the sum is mod 2^64 */
};

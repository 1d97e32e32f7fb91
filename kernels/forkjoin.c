/* forkjoin: parallel regions of about 20 us of work separated by serial
 * gaps of 10 us, the shape where the OpenMP wait policy matters; n counts
 * nanoseconds of region work (ceil(n / 20000) regions). The body, its check and
 * the other gaps (forkjoin_100us, forkjoin_1ms): kernels/support/forkjoin.c. */
#include "forkjoin.h"
#include "kernel.h"

static int setup(void **ctx, size_t n)
{
    return osw_forkjoin_setup(ctx, n, 10000);
}

const osw_kernel osw_forkjoin = {
    .name = "forkjoin",
    .summary = "parallel regions of ~20 us work with 10 us serial gaps (wait policy)",
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

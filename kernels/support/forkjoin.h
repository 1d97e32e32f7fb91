/* forkjoin.h: the forkjoin kernels' shared body (kernels/forkjoin.c); each
 * forkjoin kernel is this body with its own serial gap. */
#ifndef OSW_FORKJOIN_H
#define OSW_FORKJOIN_H

#include <stddef.h>
#include <stdint.h>

/* Nanoseconds of one region's work (one thread's worth), the unit of n:
 * a forkjoin kernel of size n runs ceil(n / OSW_FORKJOIN_REGION_NS)
 * regions. */
#define OSW_FORKJOIN_REGION_NS 20000

/* Generator steps of one region: about 20 us of one thread on this VM's
 * Zen 3 (the loop vectorises: under 1 ns a step; 5000 steps took at most
 * 4.3 us, the fastest of 10 samples of 200 regions). */
#define OSW_FORKJOIN_WORK 24000u

/* Allocates the state of ceil(n / OSW_FORKJOIN_REGION_NS) regions separated by
 * serial gaps of gap_ns. 0 or -ENOMEM. */
int osw_forkjoin_setup(void **ctx, size_t n, int64_t gap_ns);
void osw_forkjoin_run(void *ctx);
int osw_forkjoin_verify(const void *ctx, double *rel_err);
void osw_forkjoin_teardown(void *ctx);

/* One forkjoin kernel: its setup (the gap) and its descriptor, the same for
 * every gap but the name, summary and gap_ns. The default size is 100
 * regions, so that a default sweep's forkjoin_1ms call takes about 0.1 s. */
#define OSW_FORKJOIN_KERNEL(symbol, name_, gap_ns, gap_text)                                       \
    static int setup(void **ctx, size_t n)                                                         \
    {                                                                                              \
        return osw_forkjoin_setup(ctx, n, gap_ns);                                                 \
    }                                                                                              \
    const osw_kernel symbol = {                                                                    \
        .name = name_,                                                                             \
        .summary = "parallel regions of ~20 us work with " gap_text " serial gaps (wait policy)",  \
        .unit = "ns of region work",                                                               \
        .bytes_per_elem = 0,                                                                       \
        .ops_per_elem = 10.0 * OSW_FORKJOIN_WORK / OSW_FORKJOIN_REGION_NS,                         \
        .alloc_bytes_per_elem = 0,                                                                 \
        .kind = OSW_CPU_BOUND,                                                                     \
        .default_n = 100u * OSW_FORKJOIN_REGION_NS,                                                \
        .setup = setup,                                                                            \
        .run = osw_forkjoin_run,                                                                   \
        .verify = osw_forkjoin_verify,                                                             \
        .teardown = osw_forkjoin_teardown,                                                         \
        .combine = OSW_COMBINE_NONE, /* no result: the sum is mod 2^64 */                          \
    }

#endif

/* mean_f64_4way: since issue 21 the same loop as mean_f64, which made it its
 * default (osw_mean_f64_run_4way in means.h); kept under this name for
 * earlier results. mean_f64 (same data, same check) with each iteration
 * reading four elements about a quarter of the array apart: iteration i
 * adds a[i], a[i + q], a[i + 2q] and a[i + 3q], so every thread reads its
 * share of the work as four concurrent streams instead of one. A core that
 * keeps a bounded number of misses in flight per detected stream can then
 * keep more of them in flight at once; that is the hypothesis behind
 * mean_f64's shortfall against triad on one thread of the 16-core machine
 * (results/xeon16-2026-11-22/README.md, "One thread reading one stream is
 * slower than triad"), and this kernel is its test. q comes from
 * osw_quarter_stride (the streams 1 KiB apart modulo 4 KiB, against L1
 * aliasing). The loop runs over lines of 8 such groups (one 64-byte line
 * per stream, summed into per-thread line accumulators), so a schedule's
 * chunk counts groups of 4 x 8 elements; the groups left over at the end of
 * the quarters and the tail from 4q on (under 2052 elements) are two more
 * worksharing loops in the same region, so no thread sums them alone.
 * Traffic: 8 bytes read per element; 1 add. */
#include "kernel.h"
#include "means.h"

#include <omp.h>

static void run(void *ctx)
{
    osw_mean_f64_run_4way(ctx);
}

const osw_kernel osw_mean_f64_4way = {
    .name = "mean_f64_4way",
    .summary = "mean_f64 read as four concurrent streams per thread",
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

/* ceiling_read1: the machine's read ceiling for one stream per thread: the
 * sum of n doubles (mean_f64's data and check), hand-written with vector
 * intrinsics (stream_store.h: one 64-byte line per load, the widest vectors
 * the build targets) into four independent line accumulators, each thread
 * reading one contiguous block (schedule(static), inlined: the ceiling does
 * not follow the harness's schedule). The n % 32 tail is summed as scalars.
 * Traffic: 8 bytes read per element; 1 add. Check: as mean_f64. */
#include "kernel.h"
#include "means.h"
#include "stream_store.h"

#include <omp.h>

#define BLOCK (4 * OSW_LINE_DOUBLES)

static void run(void *ctx)
{
    osw_mean_f64_state *k = ctx;
    const double *a = k->a;
    const size_t n = k->n, blocks = n / BLOCK;
    double sum = 0;
#pragma omp parallel reduction(+ : sum)
    {
        osw_line s0 = osw_line_set1(0.0), s1 = s0, s2 = s0, s3 = s0;
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(static) nowait
        for (size_t b = 0; b < blocks; b++) {
            const double *p = a + b * BLOCK;
            s0 = osw_line_add(s0, osw_line_load(p));
            s1 = osw_line_add(s1, osw_line_load(p + OSW_LINE_DOUBLES));
            s2 = osw_line_add(s2, osw_line_load(p + 2 * OSW_LINE_DOUBLES));
            s3 = osw_line_add(s3, osw_line_load(p + 3 * OSW_LINE_DOUBLES));
        }
#pragma omp for schedule(static) nowait
        for (size_t i = blocks * BLOCK; i < n; i++)
            sum += a[i];
        sum += osw_line_sum(osw_line_add(osw_line_add(s0, s1), osw_line_add(s2, s3)));
        osw_probe_end(t0, cpu);
    }
    k->mean = n ? sum / (double)n : 0.0;
}

const osw_kernel osw_ceiling_read1 = {
    .name = "ceiling_read1",
    .summary = "read ceiling, one stream per thread: hand-written vector sum of doubles",
    .unit = "elements",
    .bytes_per_elem = 8,
    .ops_per_elem = 1,
    .alloc_bytes_per_elem = 8,
    .kind = OSW_MEMORY_BOUND,
    .default_n = 1u << 25,
    .setup = osw_mean_f64_setup,
    .run = run,
    .verify = osw_mean_f64_verify,
    .teardown = osw_mean_f64_teardown,
    .result = osw_mean_f64_result,
    .combine = OSW_COMBINE_MEAN,
};

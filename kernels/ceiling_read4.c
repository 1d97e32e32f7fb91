/* ceiling_read4: the machine's read ceiling for four streams per thread: as
 * ceiling_read1, but each iteration loads one 64-byte line from each quarter
 * of the array (a + i, a + q + i, a + 2q + i, a + 3q + i, q from
 * osw_quarter_stride), so every thread reads its share of each quarter as
 * four concurrent streams (mean_f64_4way's access, hand-written). The
 * q % 8 elements at the end of each quarter and the tail from 4q on (most
 * of the array below 2^13 elements) are simd reductions.
 * Traffic: 8 bytes read per element; 1 add. Check: as mean_f64. */
#include "kernel.h"
#include "means.h"
#include "stream_store.h"

#include <omp.h>

static void run(void *ctx)
{
    osw_mean_f64_state *k = ctx;
    const double *a = k->a;
    const size_t n = k->n, q = osw_quarter_stride(n, sizeof(*a));
    const size_t lines = q / OSW_LINE_DOUBLES;
    double sum = 0, lines_sum = 0;
#pragma omp parallel reduction(+ : lines_sum)
    {
        osw_line s0 = osw_line_set1(0.0), s1 = s0, s2 = s0, s3 = s0;
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(static) nowait
        for (size_t l = 0; l < lines; l++) {
            const double *p = a + l * OSW_LINE_DOUBLES;
            s0 = osw_line_add(s0, osw_line_load(p));
            s1 = osw_line_add(s1, osw_line_load(p + q));
            s2 = osw_line_add(s2, osw_line_load(p + 2 * q));
            s3 = osw_line_add(s3, osw_line_load(p + 3 * q));
        }
#pragma omp for simd schedule(static) reduction(+ : sum) nowait
        for (size_t i = lines * OSW_LINE_DOUBLES; i < q; i++)
            sum += (a[i] + a[i + q]) + (a[i + 2 * q] + a[i + 3 * q]);
#pragma omp for simd schedule(static) reduction(+ : sum) nowait
        for (size_t i = 4 * q; i < n; i++)
            sum += a[i];
        lines_sum = osw_line_sum(osw_line_add(osw_line_add(s0, s1), osw_line_add(s2, s3)));
        osw_probe_end(t0, cpu);
    }
    sum += lines_sum;
    k->mean = n ? sum / (double)n : 0.0;
}

const osw_kernel osw_ceiling_read4 = {
    .name = "ceiling_read4",
    .summary = "read ceiling, four streams per thread: hand-written vector sum of doubles",
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

/* means.h: the state and the setup, check, result and teardown (means.c)
 * shared by the mean kernels that differ only in their timed loop (mean_f64
 * and mean_f64_4way; mean_i32 and mean_i32_4way). Kernels only; the harness
 * never includes this. */
#ifndef OSW_MEANS_H
#define OSW_MEANS_H

#include "kernel.h"
#include "stream_store.h"

#include <stddef.h>
#include <stdint.h>

/* n doubles in [0, 1) from the generator's stream 2 (the notebooks' rand). */
typedef struct osw_mean_f64 {
    size_t n;
    double *a;
    double mean; /* written by run; NaN before */
} osw_mean_f64_state;

/* n int32 values in 0..9 from stream 1 (the notebooks' randint(0, 10)). */
typedef struct osw_mean_i32 {
    size_t n;
    int32_t *a;
    int64_t sum; /* written by run, exact; -1 before */
    double mean;
} osw_mean_i32_state;

/* Allocate and first-touch (schedule(runtime)) the array; 0 or -ENOMEM. */
int osw_mean_f64_setup(void **ctx, size_t n);
int osw_mean_i32_setup(void **ctx, size_t n);
/* mean_f64: Neumaier-compensated long double reference, tolerance
 * gamma_(n-1) + 2u (any summation order). mean_i32: the exact int64 sum,
 * recomputed serially from the generator. 1 pass, 0 fail. */
int osw_mean_f64_verify(const void *ctx, double *rel_err);
int osw_mean_i32_verify(const void *ctx, double *rel_err);
double osw_mean_f64_result(const void *ctx);
double osw_mean_i32_result(const void *ctx);
void osw_mean_f64_teardown(void *ctx);
void osw_mean_i32_teardown(void *ctx);

/* The distance s, in elements of elem bytes, between the four streams of a
 * 4-way kernel over n elements: the largest s <= n / 4 with s * elem = 1 KiB
 * modulo 4 KiB, so that the four loads of an iteration sit 1 KiB apart in
 * every 4 KiB and never alias in the L1 sets (with s = n / 4 and n a power
 * of two they all would: 6% lost at 2^27 on the 2-core machine); n / 4 when
 * that is under 1 KiB. Elements from 4 * s on (at most 3 + 4 * 4096 / elem)
 * are the kernel's tail. */
static inline size_t osw_quarter_stride(size_t n, size_t elem)
{
    size_t bytes = n / 4 * elem;
    if (bytes < 1024)
        return n / 4;
    return (bytes - (bytes - 1024) % 4096) / elem;
}

/* The four-stream loops of mean_i32 and mean_f64 (and their _4way names):
 * every thread reads its share as four concurrent streams a quarter of the
 * array apart (a[i], a[i + q], a[i + 2q], a[i + 3q], q from
 * osw_quarter_stride). mean_i32's worksharing loop runs over blocks of one
 * 64-byte line per stream (OSW_MEAN_BLOCK_BYTES: 16 int32 from each
 * quarter), so a schedule's chunk counts such blocks; the block is summed by
 * an inner `simd` reduction into the block's own int64 partial (exact), and
 * each block prefetches the line OSW_MEAN_AHEAD_BYTES on in each stream.
 * The flat loop before (one group of four per iteration, no prefetch) ran
 * at 0.88 (mean_i32) and 0.92 (mean_f64) of the read ceiling from DRAM on
 * one thread of the 2-core AMD machine, issuing too few misses at once;
 * this one at 1.03 and 0.97 (median CPU-time ratios, docs/kernels.md, "The
 * mean kernels"; mean_f64 has since left it for line accumulators, below).
 * From L2 it is slower than the flat loop (0.82-0.88 for mean_i32: the
 * per-block sum and the prefetches cost instructions there). The prefetch
 * address is formed as an integer (a prefetch never faults, and the last
 * blocks' addresses lie past the array). The groups left at the end of each
 * quarter and the tail from 4q on are two more worksharing loops in the
 * same region. Inline, so each kernel's file compiles them with its own
 * flags. The includer includes omp.h. */
#define OSW_MEAN_BLOCK_BYTES 64
#define OSW_MEAN_AHEAD_BYTES 1024

static inline void osw_mean_prefetch4(const void *p, size_t q_bytes)
{
    uintptr_t x = (uintptr_t)p + OSW_MEAN_AHEAD_BYTES;
    __builtin_prefetch((const void *)x);
    __builtin_prefetch((const void *)(x + q_bytes));
    __builtin_prefetch((const void *)(x + 2 * q_bytes));
    __builtin_prefetch((const void *)(x + 3 * q_bytes));
}

static inline void osw_mean_i32_run_4way(osw_mean_i32_state *k)
{
    enum { B = OSW_MEAN_BLOCK_BYTES / sizeof(int32_t) };
    const int32_t *a = k->a;
    const size_t n = k->n, q = osw_quarter_stride(n, sizeof(*a)), blocks = q / B;
    int64_t sum = 0;
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(runtime) reduction(+ : sum) nowait
        for (size_t b = 0; b < blocks; b++) {
            const int32_t *p = a + b * B;
            int64_t s = 0;
            osw_mean_prefetch4(p, q * sizeof(*a));
#pragma omp simd reduction(+ : s)
            for (size_t j = 0; j < B; j++)
                s += ((int64_t)p[j] + p[j + q]) + ((int64_t)p[j + 2 * q] + p[j + 3 * q]);
            sum += s;
        }
#pragma omp for simd schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = blocks * B; i < q; i++)
            sum += ((int64_t)a[i] + a[i + q]) + ((int64_t)a[i + 2 * q] + a[i + 3 * q]);
#pragma omp for simd schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = 4 * q; i < n; i++)
            sum += a[i];
        osw_probe_end(t0, cpu);
    }
    k->sum = sum;
    k->mean = n ? (double)sum / (double)n : 0.0;
}

/* mean_f64's four streams without the blocks: each thread keeps one line of
 * partial sums per stream in registers (osw_line, stream_store.h) across its
 * whole share and adds them up once after the worksharing loop; no prefetch.
 * A chunk counts lines per stream (8 doubles from each quarter). The blocked
 * loop with the prefetch (mean_i32's) spent 30 instructions per four lines
 * on doubles, 12 here; it read at 0.94 of ceiling_read4 on one thread
 * of the 2-core AMD machine, this one at 0.98 (idle; docs/kernels.md, "The
 * mean kernels"). Without the prefetch the blocked loop was slower still
 * (0.78-0.86 of this loop's hand-written form), and a prefetch slows this
 * one (0.92-0.97): with few instructions per line the out-of-order window
 * holds enough misses in flight by itself.
 * The tails (the elements past the last whole line of each quarter, and
 * from 4q on: most of the array below 2^13 elements) are simd reductions.
 * The summation order differs from mean_f64_1stream's, within the check's
 * bound for any order. */
static inline void osw_mean_f64_run_4way(osw_mean_f64_state *k)
{
    const double *a = k->a;
    const size_t n = k->n, q = osw_quarter_stride(n, sizeof(*a));
    const size_t lines = q / OSW_LINE_DOUBLES;
    double sum = 0, lines_sum = 0;
#pragma omp parallel reduction(+ : lines_sum)
    {
        osw_line s0 = osw_line_set1(0.0), s1 = s0, s2 = s0, s3 = s0;
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(runtime) nowait
        for (size_t l = 0; l < lines; l++) {
            const double *p = a + l * OSW_LINE_DOUBLES;
            s0 = osw_line_add(s0, osw_line_load(p));
            s1 = osw_line_add(s1, osw_line_load(p + q));
            s2 = osw_line_add(s2, osw_line_load(p + 2 * q));
            s3 = osw_line_add(s3, osw_line_load(p + 3 * q));
        }
#pragma omp for simd schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = lines * OSW_LINE_DOUBLES; i < q; i++)
            sum += (a[i] + a[i + q]) + (a[i + 2 * q] + a[i + 3 * q]);
#pragma omp for simd schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = 4 * q; i < n; i++)
            sum += a[i];
        lines_sum = osw_line_sum(osw_line_add(osw_line_add(s0, s1), osw_line_add(s2, s3)));
        osw_probe_end(t0, cpu);
    }
    sum += lines_sum;
    k->mean = n ? sum / (double)n : 0.0;
}

#endif

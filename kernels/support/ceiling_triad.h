/* ceiling_triad.h: the one body of ceiling_triad (ordinary stores) and
 * ceiling_triad_nt (streaming stores, fenced before the region's barrier);
 * each kernel's file says what it measures, and defines before including
 * this CEILING_TRIAD_STORE (osw_line_store or osw_line_stream) and
 * CEILING_TRIAD_FENCE() (nothing, or osw_stream_fence()): a template
 * included once per kernel, so that each loop is compiled with its own
 * store, as written by hand, without a test in it. One 64-byte line of each array
 * per step, computed in registers (stream_store.h); each thread runs one
 * contiguous block of lines (schedule(static), inlined: the ceiling does not
 * follow the harness's schedule); the n % 8 tail is scalar. Check: as
 * triad, every element within 2u of a long double b + s*c. */
#if !defined(CEILING_TRIAD_STORE) || !defined(CEILING_TRIAD_FENCE)
#error "define CEILING_TRIAD_STORE and CEILING_TRIAD_FENCE() before including ceiling_triad.h"
#endif

#include "kernel.h"
#include "stream_store.h"
#include "streams.h"
#include "util.h"

#include <omp.h>

#define OSW_CEILING_TRIAD_SEED_B 5
#define OSW_CEILING_TRIAD_SEED_C 6
#define OSW_CEILING_TRIAD_SCALAR 3.0

static int ceiling_triad_setup(void **ctx, size_t n)
{
    return osw_streams_setup(ctx, n, OSW_CEILING_TRIAD_SEED_B, OSW_CEILING_TRIAD_SEED_C);
}

static void ceiling_triad_run(void *ctx)
{
    osw_streams *k = ctx;
    double *restrict a = k->out;
    const double *restrict b = k->x;
    const double *restrict c = k->y;
    const size_t n = k->n, lines = n / OSW_LINE_DOUBLES;
#pragma omp parallel
    {
        const osw_line s = osw_line_set1(OSW_CEILING_TRIAD_SCALAR);
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(static) nowait
        for (size_t line = 0; line < lines; line++) {
            const size_t i = line * OSW_LINE_DOUBLES;
            CEILING_TRIAD_STORE(
                a + i, osw_line_add(osw_line_load(b + i), osw_line_mul(s, osw_line_load(c + i))));
        }
#pragma omp single nowait
        for (size_t i = lines * OSW_LINE_DOUBLES; i < n; i++)
            a[i] = b[i] + OSW_CEILING_TRIAD_SCALAR * c[i];
        CEILING_TRIAD_FENCE();
        osw_probe_end(t0, cpu);
    }
}

static long double ceiling_triad_reference(double b, double c)
{
    return (long double)b + OSW_CEILING_TRIAD_SCALAR * (long double)c;
}

static int ceiling_triad_verify(const void *ctx, double *rel_err)
{
    *rel_err = osw_streams_max_rel_err(ctx, OSW_CEILING_TRIAD_SEED_B, OSW_CEILING_TRIAD_SEED_C,
                                       ceiling_triad_reference);
    return *rel_err <= 2 * OSW_U;
}

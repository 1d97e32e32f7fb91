/* ceiling_triad_nt: the machine's ceiling for triad (a[i] = b[i] + s * c[i])
 * with streaming stores, hand-written with vector intrinsics
 * (stream_store.h): one 64-byte line of each array per step, computed in
 * registers (the widest vectors the build targets, one rounding per
 * operation) and written with streaming stores (no write-allocate: 24 bytes
 * really move per element), fenced before the region's barrier. Each thread
 * runs one contiguous block of lines (schedule(static), inlined: the ceiling
 * does not follow the harness's schedule); the n % 8 tail is scalar.
 * Traffic: 16 bytes read + 8 written per element; 2 flops. Check: as triad,
 * every element within 2u of a long double b + s*c. */
#include "kernel.h"
#include "stream_store.h"
#include "streams.h"
#include "util.h"

#include <omp.h>

#define SEED_B 5
#define SEED_C 6
#define SCALAR 3.0

static int setup(void **ctx, size_t n)
{
    return osw_streams_setup(ctx, n, SEED_B, SEED_C);
}

static void run(void *ctx)
{
    osw_streams *k = ctx;
    double *restrict a = k->out;
    const double *restrict b = k->x;
    const double *restrict c = k->y;
    const size_t n = k->n, lines = n / OSW_LINE_DOUBLES;
#pragma omp parallel
    {
        const osw_line s = osw_line_set1(SCALAR);
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(static) nowait
        for (size_t line = 0; line < lines; line++) {
            const size_t i = line * OSW_LINE_DOUBLES;
            osw_line_stream(
                a + i, osw_line_add(osw_line_load(b + i), osw_line_mul(s, osw_line_load(c + i))));
        }
#pragma omp single nowait
        for (size_t i = lines * OSW_LINE_DOUBLES; i < n; i++)
            a[i] = b[i] + SCALAR * c[i];
        osw_stream_fence();
        osw_probe_end(t0, cpu);
    }
}

static long double reference(double b, double c)
{
    return (long double)b + SCALAR * (long double)c;
}

static int verify(const void *ctx, double *rel_err)
{
    *rel_err = osw_streams_max_rel_err(ctx, SEED_B, SEED_C, reference);
    return *rel_err <= 2 * OSW_U;
}

const osw_kernel osw_ceiling_triad_nt = {
    .name = "ceiling_triad_nt",
    .summary = "streaming-store triad ceiling: hand-written vector triad, non-temporal stores",
    .unit = "elements",
    .bytes_per_elem = 24,
    .ops_per_elem = 2,
    .alloc_bytes_per_elem = 24,
    .kind = OSW_MEMORY_BOUND,
    .default_n = 1u << 24,
    .setup = setup,
    .run = run,
    .verify = verify,
    .teardown = osw_streams_teardown,
    .combine = OSW_COMBINE_NONE,
};

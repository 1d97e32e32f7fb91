/* triad_nt: triad (a[i] = b[i] + s * c[i]) with non-temporal stores: the
 * worksharing loop runs over 64-byte lines of a, each written with streaming
 * stores, so no write-allocate read of a happens (chunks count lines of 8
 * elements; the n % 8 tail is stored normally). Each line is computed in
 * vector registers and streamed from them (stream_store.h).
 * Traffic: 16 bytes read + 8 written per element, and with streaming stores
 * that is what really moves; 2 flops. Check: as triad, every element within
 * 2u of a long double b + s*c. */
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
    const double s = SCALAR;
    const size_t n = k->n, lines = n / OSW_LINE_DOUBLES;
#pragma omp parallel
    {
        const osw_line sv = osw_line_set1(s); /* per thread, kept in registers */
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(runtime) nowait
        for (size_t line = 0; line < lines; line++) {
            const size_t i0 = line * OSW_LINE_DOUBLES;
            osw_line x =
                osw_line_add(osw_line_load(b + i0), osw_line_mul(sv, osw_line_load(c + i0)));
            osw_line_stream(a + i0, x);
        }
#pragma omp single nowait
        for (size_t i = lines * OSW_LINE_DOUBLES; i < n; i++)
            a[i] = b[i] + s * c[i];
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

const osw_kernel osw_triad_nt = {
    .name = "triad_nt",
    .summary = "triad with non-temporal (streaming) stores: no write-allocate",
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

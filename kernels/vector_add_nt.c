/* vector_add_nt: vector_add (c[i] = a[i] + b[i]) with non-temporal stores:
 * the worksharing loop runs over 64-byte lines of c, each written with
 * streaming stores, so no write-allocate read of c happens (chunks count
 * lines of 8 elements; the n % 8 tail is stored normally). Each line is
 * computed in vector registers and streamed from them (stream_store.h).
 * Traffic: 16 bytes read + 8 written per element, all of it really moved;
 * 1 add. Check: every element equals the generator's a + b, bit for bit. */
#include "kernel.h"
#include "stream_store.h"
#include "streams.h"

#include <omp.h>

#define SEED_A 3
#define SEED_B 4

static int setup(void **ctx, size_t n)
{
    return osw_streams_setup(ctx, n, SEED_A, SEED_B);
}

static void run(void *ctx)
{
    osw_streams *k = ctx;
    const double *restrict a = k->x;
    const double *restrict b = k->y;
    double *restrict c = k->out;
    const size_t n = k->n, lines = n / OSW_LINE_DOUBLES;
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(runtime) nowait
        for (size_t line = 0; line < lines; line++) {
            const size_t i0 = line * OSW_LINE_DOUBLES;
            osw_line_stream(c + i0, osw_line_add(osw_line_load(a + i0), osw_line_load(b + i0)));
        }
#pragma omp single nowait
        for (size_t i = lines * OSW_LINE_DOUBLES; i < n; i++)
            c[i] = a[i] + b[i];
        osw_stream_fence();
        osw_probe_end(t0, cpu);
    }
}

static long double reference(double a, double b)
{
    return a + b;
}

static int verify(const void *ctx, double *rel_err)
{
    *rel_err = osw_streams_max_rel_err(ctx, SEED_A, SEED_B, reference);
    return *rel_err == 0;
}

const osw_kernel osw_vector_add_nt = {
    .name = "vector_add_nt",
    .summary = "vector_add with non-temporal (streaming) stores: no write-allocate",
    .unit = "elements",
    .bytes_per_elem = 24,
    .ops_per_elem = 1,
    .alloc_bytes_per_elem = 24,
    .kind = OSW_MEMORY_BOUND,
    .default_n = 1u << 24,
    .setup = setup,
    .run = run,
    .verify = verify,
    .teardown = osw_streams_teardown,
    .combine = OSW_COMBINE_NONE,
};

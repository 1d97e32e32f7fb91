/* triad_nt: triad (a[i] = b[i] + s * c[i]) with non-temporal stores: the
 * worksharing loop runs over 64-byte lines of a, each written with streaming
 * stores, so no write-allocate read of a happens (chunks count lines of 8
 * elements; the n % 8 tail is stored normally).
 * Traffic: 16 bytes read + 8 written per element, and with streaming stores
 * that is what really moves; 2 flops. Check: as triad, every element within
 * 2u of a long double b + s*c. */
#include "kernel.h"
#include "stream_store.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>

#define SEED_B 5
#define SEED_C 6
#define SCALAR 3.0

struct triad_nt {
    size_t n;
    double *a, *b, *c;
};

static void teardown(void *ctx)
{
    struct triad_nt *k = ctx;
    if (!k)
        return;
    osw_free(k->a);
    osw_free(k->b);
    osw_free(k->c);
    free(k);
}

static int setup(void **ctx, size_t n)
{
    struct triad_nt *k = calloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    k->n = n;
    k->a = osw_alloc(n * sizeof(double));
    k->b = osw_alloc(n * sizeof(double));
    k->c = osw_alloc(n * sizeof(double));
    if (!k->a || !k->b || !k->c) {
        teardown(k);
        return -ENOMEM;
    }
    double *a = k->a, *b = k->b, *c = k->c;
#pragma omp parallel for schedule(runtime)
    for (size_t i = 0; i < n; i++) {
        a[i] = NAN;
        b[i] = osw_gen_unit(SEED_B, i);
        c[i] = osw_gen_unit(SEED_C, i);
    }
    *ctx = k;
    return 0;
}

static void run(void *ctx)
{
    struct triad_nt *k = ctx;
    double *restrict a = k->a;
    const double *restrict b = k->b;
    const double *restrict c = k->c;
    const double s = SCALAR;
    const size_t n = k->n, lines = n / OSW_LINE_DOUBLES;
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(runtime) nowait
        for (size_t line = 0; line < lines; line++) {
            const size_t i0 = line * OSW_LINE_DOUBLES;
            double out[OSW_LINE_DOUBLES];
#pragma omp simd
            for (size_t j = 0; j < OSW_LINE_DOUBLES; j++)
                out[j] = b[i0 + j] + s * c[i0 + j];
            osw_stream_line(a + i0, out);
        }
#pragma omp single nowait
        for (size_t i = lines * OSW_LINE_DOUBLES; i < n; i++)
            a[i] = b[i] + s * c[i];
        osw_stream_fence();
        osw_probe_end(t0, cpu);
    }
}

static int verify(const void *ctx, double *rel_err)
{
    const struct triad_nt *k = ctx;
    double worst = 0;
    for (size_t i = 0; i < k->n; i++) {
        long double ref =
            (long double)osw_gen_unit(SEED_B, i) + SCALAR * (long double)osw_gen_unit(SEED_C, i);
        double err = (double)(fabsl(k->a[i] - ref) / (ref != 0 ? ref : 1));
        if (!(err <= worst))
            worst = isnan(err) ? INFINITY : err;
    }
    *rel_err = worst;
    /* b, c >= 0 and s > 0, so |b| + |s c| = |ref| and mul-then-add (or one
     * fused multiply-add) is within 2u of it. */
    return worst <= 2 * OSW_U;
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
    .teardown = teardown,
};

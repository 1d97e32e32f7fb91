/* vector_add_nt: vector_add (c[i] = a[i] + b[i]) with non-temporal stores:
 * the worksharing loop runs over 64-byte lines of c, each written with
 * streaming stores, so no write-allocate read of c happens (chunks count
 * lines of 8 elements; the n % 8 tail is stored normally).
 * Traffic: 16 bytes read + 8 written per element, all of it really moved;
 * 1 add. Check: every element equals the generator's a + b, bit for bit. */
#include "kernel.h"
#include "stream_store.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>

#define SEED_A 3
#define SEED_B 4

struct vadd_nt {
    size_t n;
    double *a, *b, *c;
};

static void teardown(void *ctx)
{
    struct vadd_nt *k = ctx;
    if (!k)
        return;
    osw_free(k->a);
    osw_free(k->b);
    osw_free(k->c);
    free(k);
}

static int setup(void **ctx, size_t n)
{
    struct vadd_nt *k = calloc(1, sizeof(*k));
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
        a[i] = osw_gen_unit(SEED_A, i);
        b[i] = osw_gen_unit(SEED_B, i);
        c[i] = NAN;
    }
    *ctx = k;
    return 0;
}

static void run(void *ctx)
{
    struct vadd_nt *k = ctx;
    const double *restrict a = k->a;
    const double *restrict b = k->b;
    double *restrict c = k->c;
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
                out[j] = a[i0 + j] + b[i0 + j];
            osw_stream_line(c + i0, out);
        }
#pragma omp single nowait
        for (size_t i = lines * OSW_LINE_DOUBLES; i < n; i++)
            c[i] = a[i] + b[i];
        osw_stream_fence();
        osw_probe_end(t0, cpu);
    }
}

static int verify(const void *ctx, double *rel_err)
{
    const struct vadd_nt *k = ctx;
    double worst = 0;
    for (size_t i = 0; i < k->n; i++) {
        double ref = osw_gen_unit(SEED_A, i) + osw_gen_unit(SEED_B, i);
        double err = fabs(k->c[i] - ref);
        err = ref != 0 ? err / ref : err;
        if (!(err <= worst)) /* also catches NaN: an element never written */
            worst = isnan(err) ? INFINITY : err;
    }
    *rel_err = worst;
    return worst == 0;
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
    .teardown = teardown,
};

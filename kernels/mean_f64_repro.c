/* mean_f64_repro: the mean of mean_f64's numbers (same SEED, same doubles in
 * [0, 1)), with a result that is bitwise identical for every thread count and
 * schedule. The worksharing loop runs over fixed blocks of BLOCK = 4096
 * elements, not over elements, so a schedule's chunk counts blocks
 * (`dynamic:4` hands out 4 x 4096 elements at a time). One thread sums a
 * whole block with the same fixed-order code whatever the thread: LANES = 4
 * running sums, lane j taking elements j, j + 4, ... (a vertical add the
 * compiler vectorises without reassociating, unlike a `simd reduction`,
 * whose order follows the vector width), then a fixed tree over the lanes,
 * into partials[block]. After the region the partials are added in a fixed
 * pairwise tree and divided by n. No order depends on the thread count, the
 * schedule, the vector width or the compiler, so the bits depend only on n
 * and the data (gcc and clang builds agree). Four lanes stream DRAM as fast
 * as mean_f64's loop; 8 to 32 ran faster from cache but 5-15% slower from
 * DRAM on the machine measured. The loop prefetches AHEAD elements ahead,
 * across block ends, where the stream otherwise stalls (10% lost there).
 * Traffic: 8 bytes read per element, as mean_f64 (the partials, 16 bytes per
 * block, are left out); 1 add. Check: as mean_f64, Neumaier-compensated long
 * double sum; tolerance gamma_(n-1) + 2u, the bound for any summation
 * order. */
#include "kernel.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>

#define SEED  2
#define BLOCK 4096
#define LANES 4
#define AHEAD 256 /* elements: 2 KiB */

struct mean_f64_repro {
    size_t n, nblocks;
    double *a;
    double *partials; /* one per block, written by run */
    double mean;
};

/* Sum of x[0..len) in a fixed order: lane j adds x[j], x[j + LANES], ...;
 * the lanes are then added pairwise. Each step takes one cache line (two
 * rounds of the lanes) and prefetches the line AHEAD elements on, while
 * within the avail (>= len) elements readable from x, so the stream runs on
 * into the next block. */
static double block_sum(const double *restrict x, size_t len, size_t avail)
{
    double acc[LANES] = {0};
    size_t body = len - len % (2 * LANES);
    for (size_t i = 0; i < body; i += 2 * LANES) {
        if (i + AHEAD < avail)
            __builtin_prefetch(x + i + AHEAD);
#pragma omp simd
        for (size_t j = 0; j < LANES; j++)
            acc[j] += x[i + j];
#pragma omp simd
        for (size_t j = 0; j < LANES; j++)
            acc[j] += x[i + LANES + j];
    }
    for (; body + LANES <= len; body += LANES)
        for (size_t j = 0; j < LANES; j++)
            acc[j] += x[body + j];
    for (size_t j = 0; j < len - body; j++)
        acc[j] += x[body + j];
    for (size_t w = LANES / 2; w > 0; w /= 2)
        for (size_t j = 0; j < w; j++)
            acc[j] += acc[j + w];
    return acc[0];
}

/* Pairwise sum of p[0..m) split at m / 2: a fixed tree for a given m. */
static double tree_sum(const double *p, size_t m)
{
    if (m <= 4) {
        double s = 0;
        for (size_t i = 0; i < m; i++)
            s += p[i];
        return s;
    }
    size_t half = m / 2;
    return tree_sum(p, half) + tree_sum(p + half, m - half);
}

static int setup(void **ctx, size_t n)
{
    struct mean_f64_repro *k = calloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    k->n = n;
    k->nblocks = (n + BLOCK - 1) / BLOCK;
    k->a = osw_alloc(n * sizeof(*k->a));
    k->partials = osw_alloc(k->nblocks * sizeof(*k->partials));
    if (!k->a || !k->partials) {
        osw_free(k->a);
        osw_free(k->partials);
        free(k);
        return -ENOMEM;
    }
    double *a = k->a, *partials = k->partials;
    const size_t nblocks = k->nblocks;
    /* First touch by block, as run distributes them. */
#pragma omp parallel for schedule(runtime)
    for (size_t b = 0; b < nblocks; b++) {
        size_t hi = b * BLOCK + BLOCK < n ? b * BLOCK + BLOCK : n;
        for (size_t i = b * BLOCK; i < hi; i++)
            a[i] = osw_gen_unit(SEED, i);
        partials[b] = NAN;
    }
    k->mean = NAN;
    *ctx = k;
    return 0;
}

static void run(void *ctx)
{
    struct mean_f64_repro *k = ctx;
    const double *a = k->a;
    double *partials = k->partials;
    const size_t n = k->n, nblocks = k->nblocks;
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(runtime) nowait
        for (size_t b = 0; b < nblocks; b++) {
            size_t lo = b * BLOCK;
            size_t len = n - lo < BLOCK ? n - lo : BLOCK;
            partials[b] = block_sum(a + lo, len, n - lo);
        }
        osw_probe_end(t0, cpu);
    }
    k->mean = n ? tree_sum(partials, nblocks) / (double)n : 0.0;
}

static int verify(const void *ctx, double *rel_err)
{
    const struct mean_f64_repro *k = ctx;
    return osw_check_unit_mean(SEED, k->n, k->mean, rel_err);
}

static double result(const void *ctx)
{
    return ((const struct mean_f64_repro *)ctx)->mean;
}

static void teardown(void *ctx)
{
    struct mean_f64_repro *k = ctx;
    if (!k)
        return;
    osw_free(k->a);
    osw_free(k->partials);
    free(k);
}

const osw_kernel osw_mean_f64_repro = {
    .name = "mean_f64_repro",
    .summary = "mean of doubles in [0,1), same bits for any threads/schedule",
    .unit = "elements",
    .bytes_per_elem = 8,
    .ops_per_elem = 1,
    .alloc_bytes_per_elem = 8 + 8.0 / BLOCK,
    .kind = OSW_MEMORY_BOUND,
    .default_n = 1u << 24,
    .setup = setup,
    .run = run,
    .verify = verify,
    .teardown = teardown,
    .result = result,
    .combine = OSW_COMBINE_MEAN,
};

/* empty: a parallel region whose worksharing loop does nothing but count its
 * iterations: the fork, the schedule's dispatch and the join, plus the
 * per-thread probe every kernel carries. It measures the suite's own
 * overhead (docs/method.md: "Harness overhead"). No traffic, no arithmetic.
 * Check: the iteration count is exactly n. Result: that count, a sum over
 * the iterations (MPI ranks add theirs up to the global n).
 *
 * empty_static: the same region with the schedule fixed at compile time,
 * `schedule(static)`, which the compiler inlines as arithmetic where
 * `schedule(runtime)` calls the runtime to start the loop and for every
 * chunk. Its rows ignore the harness's schedule. It is the like-for-like
 * twin of EPCC syncbench's PARALLEL FOR (a `parallel for` with the default
 * schedule); empty's time over it is the cost of choosing the schedule at
 * run time on an empty loop (docs/kernels.md, "The cost of a run-time
 * schedule"). */
#include "kernel.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>

struct empty {
    size_t n, count;
};

static int setup(void **ctx, size_t n)
{
    struct empty *k = calloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    k->n = n;
    k->count = (size_t)-1;
    *ctx = k;
    return 0;
}

static void run(void *ctx)
{
    struct empty *k = ctx;
    const size_t n = k->n;
    size_t count = 0;
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(runtime) reduction(+ : count) nowait
        for (size_t i = 0; i < n; i++)
            count++;
        osw_probe_end(t0, cpu);
    }
    k->count = count;
}

static void run_static(void *ctx)
{
    struct empty *k = ctx;
    const size_t n = k->n;
    size_t count = 0;
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(static) reduction(+ : count) nowait
        for (size_t i = 0; i < n; i++)
            count++;
        osw_probe_end(t0, cpu);
    }
    k->count = count;
}

static int verify(const void *ctx, double *rel_err)
{
    const struct empty *k = ctx;
    *rel_err = k->count == k->n ? 0.0 : 1.0;
    return k->count == k->n;
}

static double result(const void *ctx)
{
    const struct empty *k = ctx;
    return k->count == (size_t)-1 ? NAN : (double)k->count;
}

static void teardown(void *ctx)
{
    free(ctx);
}

const osw_kernel osw_empty = {
    .name = "empty",
    .summary = "an empty worksharing loop: fork, dispatch, join (overhead)",
    .unit = "iterations",
    .bytes_per_elem = 0,
    .ops_per_elem = 0,
    .alloc_bytes_per_elem = 0,
    .kind = OSW_CPU_BOUND,
    .default_n = 1,
    .setup = setup,
    .run = run,
    .verify = verify,
    .teardown = teardown,
    .result = result,
    .combine = OSW_COMBINE_SUM,
};

const osw_kernel osw_empty_static = {
    .name = "empty_static",
    .summary = "empty with schedule(static) fixed at compile time (EPCC's PARALLEL FOR)",
    .unit = "iterations",
    .bytes_per_elem = 0,
    .ops_per_elem = 0,
    .alloc_bytes_per_elem = 0,
    .kind = OSW_CPU_BOUND,
    .default_n = 1,
    .setup = setup,
    .run = run_static,
    .verify = verify,
    .teardown = teardown,
    .result = result,
    .combine = OSW_COMBINE_SUM,
};

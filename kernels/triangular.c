/* triangular: for row i in [0, m): checksum += spin(i, i), where spin is i
 * dependent integer steps (the notebooks' `for j in range(x): for k in
 * range(j)`): row i costs i units, so the work is a triangle and a static
 * schedule with the default chunk gives the last thread three times the first
 * one's share (two threads). n counts units of work: m = the largest row count
 * with m(m-1)/2 <= n. No memory traffic; 3 integer ops per unit.
 * Check: exact, against a serial loop (sum mod 2^64). */
#include "kernel.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>

struct triangular {
    size_t rows;
    uint64_t checksum;
};

/* Rows m with m(m-1)/2 <= n < (m+1)m/2. */
static size_t rows_for(size_t n)
{
    size_t m = (size_t)((1 + sqrt(1 + 8.0 * (double)n)) / 2);
    while (m > 0 && (m * (m - 1)) / 2 > n)
        m--;
    while (((m + 1) * m) / 2 <= n)
        m++;
    return m;
}

/* One row: the loop body of both drivers. */
static inline uint64_t item(size_t i)
{
    return osw_spin(i, i);
}

/* The taskloop driver (osw_taskloop): one thread creates the tasks, every
 * thread of the team runs them (at the single's barrier); the runtime's
 * reduction combines the tasks' sums. Same items as the `for` driver. */
static uint64_t run_taskloop(size_t rows)
{
    osw_taskloop_items = rows;
    uint64_t sum = 0;
    const long value = osw_taskloop.value;
    const int by_tasks = osw_taskloop.mode == OSW_TASKLOOP_NUM_TASKS;
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp single
        {
            if (by_tasks) {
#pragma omp taskloop num_tasks(value) reduction(+ : sum)
                for (size_t i = 0; i < rows; i++)
                    sum += item(i);
            } else {
#pragma omp taskloop grainsize(value) reduction(+ : sum)
                for (size_t i = 0; i < rows; i++)
                    sum += item(i);
            }
        }
        osw_probe_end(t0, cpu);
    }
    return sum;
}

static int setup(void **ctx, size_t n)
{
    struct triangular *k = calloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    k->rows = rows_for(n);
    k->checksum = 0x5eed;
    *ctx = k;
    return 0;
}

static void run(void *ctx)
{
    struct triangular *k = ctx;
    const size_t rows = k->rows;
    if (osw_taskloop.mode) {
        k->checksum = run_taskloop(rows);
        return;
    }
    uint64_t sum = 0;
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = 0; i < rows; i++)
            sum += item(i);
        osw_probe_end(t0, cpu);
    }
    k->checksum = sum;
}

static int verify(const void *ctx, double *rel_err)
{
    const struct triangular *k = ctx;
    uint64_t ref = 0;
    for (size_t i = 0; i < k->rows; i++)
        ref += osw_spin(i, i);
    *rel_err = k->checksum == ref ? 0.0 : 1.0;
    return k->checksum == ref;
}

static void teardown(void *ctx)
{
    free(ctx);
}

const osw_kernel osw_triangular = {
    .name = "triangular",
    .summary = "row i costs i units of CPU work (load imbalance for static)",
    .unit = "work units",
    .bytes_per_elem = 0,
    .ops_per_elem = 3,
    .alloc_bytes_per_elem = 0,
    .kind = OSW_CPU_BOUND,
    .default_n = 1u << 25,
    .setup = setup,
    .run = run,
    .verify = verify,
    .teardown = teardown,
    .combine = OSW_COMBINE_NONE, /* no result: the checksum is a sum mod 2^64 */
    .taskloop = 1,
};

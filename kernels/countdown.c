/* countdown: checksum = sum over i in [0, n) of mix(i), mod 2^64, where mix
 * is a chain of xor-shifts and multiplies (the notebooks' countdown loop, made
 * unfoldable: no closed form exists, so time grows linearly with n at -O3).
 * Traffic: none; 10 integer ops per iteration. Check: exact, against a serial
 * loop (addition mod 2^64 is associative, so any split gives the same sum). */
#include "kernel.h"
#include "util.h"

#include <errno.h>
#include <omp.h>
#include <stdlib.h>

#define SEED 7

struct countdown {
    size_t n;
    uint64_t checksum;
};

/* One iteration: the loop body of both drivers. */
static inline uint64_t item(size_t n, size_t i)
{
    return osw_gen_u64(SEED, n - 1 - i);
}

/* The taskloop driver (osw_taskloop): one thread creates the tasks, every
 * thread of the team runs them (at the single's barrier); the runtime's
 * reduction combines the tasks' sums. Same items as the `for` driver. */
static uint64_t run_taskloop(size_t n)
{
    osw_taskloop_items = n;
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
                for (size_t i = 0; i < n; i++)
                    sum += item(n, i);
            } else {
#pragma omp taskloop grainsize(value) reduction(+ : sum)
                for (size_t i = 0; i < n; i++)
                    sum += item(n, i);
            }
        }
        osw_probe_end(t0, cpu);
    }
    return sum;
}

static int setup(void **ctx, size_t n)
{
    struct countdown *k = calloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    k->n = n;
    k->checksum = 0x5eed;
    *ctx = k;
    return 0;
}

static void run(void *ctx)
{
    struct countdown *k = ctx;
    const size_t n = k->n;
    if (osw_taskloop.mode) {
        k->checksum = run_taskloop(n);
        return;
    }
    uint64_t sum = 0;
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for simd schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = 0; i < n; i++)
            sum += item(n, i);
        osw_probe_end(t0, cpu);
    }
    k->checksum = sum;
}

static int verify(const void *ctx, double *rel_err)
{
    const struct countdown *k = ctx;
    uint64_t ref = 0;
    for (size_t left = k->n; left > 0; left--)
        ref += osw_gen_u64(SEED, left - 1);
    *rel_err = k->checksum == ref ? 0.0 : 1.0;
    return k->checksum == ref;
}

static void teardown(void *ctx)
{
    free(ctx);
}

const osw_kernel osw_countdown = {
    .name = "countdown",
    .summary = "CPU-bound integer mixing loop, no memory traffic",
    .unit = "iterations",
    .bytes_per_elem = 0,
    .ops_per_elem = 10,
    .alloc_bytes_per_elem = 0,
    .kind = OSW_CPU_BOUND,
    .default_n = 1u << 26,
    .setup = setup,
    .run = run,
    .verify = verify,
    .teardown = teardown,
    .combine = OSW_COMBINE_NONE, /* no result: the checksum is a sum mod 2^64 */
    .taskloop = 1,
};

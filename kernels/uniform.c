/* uniform: for item i in [0, n): checksum += spin(i, 64), 64 dependent
 * integer steps (about 300 cycles) per item: CPU work of known, equal size per
 * iteration, the EPCC schedbench way of measuring what a schedule costs (its
 * overhead_ns column: time beyond the 1-thread static time / p, per item).
 * No memory traffic; 3 integer ops per step, 192 per item.
 * Check: exact, against a serial loop (sum mod 2^64). */
#include "kernel.h"
#include "util.h"

#include <errno.h>
#include <omp.h>
#include <stdlib.h>

#define STEPS 64

struct uniform {
    size_t n;
    uint64_t checksum;
};

/* One item: the loop body of both drivers. */
static inline uint64_t item(size_t i)
{
    return osw_spin(i, STEPS);
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
                    sum += item(i);
            } else {
#pragma omp taskloop grainsize(value) reduction(+ : sum)
                for (size_t i = 0; i < n; i++)
                    sum += item(i);
            }
        }
        osw_probe_end(t0, cpu);
    }
    return sum;
}

static int setup(void **ctx, size_t n)
{
    struct uniform *k = calloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    k->n = n;
    k->checksum = 0x5eed;
    *ctx = k;
    return 0;
}

static void run(void *ctx)
{
    struct uniform *k = ctx;
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
#pragma omp for schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = 0; i < n; i++)
            sum += item(i);
        osw_probe_end(t0, cpu);
    }
    k->checksum = sum;
}

static int verify(const void *ctx, double *rel_err)
{
    const struct uniform *k = ctx;
    uint64_t ref = 0;
    for (size_t i = k->n; i > 0; i--)
        ref += osw_spin(i - 1, STEPS);
    *rel_err = k->checksum == ref ? 0.0 : 1.0;
    return k->checksum == ref;
}

static void teardown(void *ctx)
{
    free(ctx);
}

const osw_kernel osw_uniform = {
    .name = "uniform",
    .summary = "items of equal CPU cost (64 spin steps): schedule overhead, EPCC-style",
    .unit = "items",
    .bytes_per_elem = 0,
    .ops_per_elem = 3 * STEPS,
    .alloc_bytes_per_elem = 0,
    .kind = OSW_CPU_BOUND,
    .default_n = 1u << 18,
    .setup = setup,
    .run = run,
    .verify = verify,
    .teardown = teardown,
    .combine = OSW_COMBINE_NONE, /* no result: the checksum is a sum mod 2^64 */
    .taskloop = 1,
};

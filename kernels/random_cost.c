/* random_cost: for item i in [0, m): checksum += spin(i, cost[i]), where the
 * costs are drawn once from a seeded Pareto distribution (shape 1.5, scale
 * 16 units, capped at 2^16): a few items are hundreds of times the typical
 * one, so where the heavy ones land decides a static schedule's balance.
 * n counts units of work: items are added until their costs sum to n.
 * No memory traffic beyond the cost table; 3 integer ops per unit.
 * Check: exact, against a serial loop (sum mod 2^64). */
#include "kernel.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>

#define SEED  11
#define SCALE 16.0
#define SHAPE 1.5
#define CAP   65536u

struct random_cost {
    size_t items;
    uint32_t *cost;
    uint64_t checksum;
};

static uint32_t draw_cost(uint64_t i)
{
    /* Inverse transform: scale / U^(1/shape), U in (0, 1]. */
    double u = 1.0 - osw_gen_unit(SEED, i);
    double c = SCALE / pow(u, 1.0 / SHAPE);
    return c >= CAP ? CAP : (uint32_t)c;
}

/* One item: the loop body of both drivers. */
static inline uint64_t item(const uint32_t *cost, size_t i)
{
    return osw_spin(i, cost[i]);
}

/* The taskloop driver (osw_taskloop): one thread creates the tasks, every
 * thread of the team runs them (at the single's barrier); the runtime's
 * reduction combines the tasks' sums. Same items as the `for` driver. */
static uint64_t run_taskloop(const uint32_t *cost, size_t items)
{
    osw_taskloop_items = items;
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
                for (size_t i = 0; i < items; i++)
                    sum += item(cost, i);
            } else {
#pragma omp taskloop grainsize(value) reduction(+ : sum)
                for (size_t i = 0; i < items; i++)
                    sum += item(cost, i);
            }
        }
        osw_probe_end(t0, cpu);
    }
    return sum;
}

static int setup(void **ctx, size_t n)
{
    struct random_cost *k = calloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    /* Serial on purpose: the item count depends on the running total. The
     * table is small (about n / 48 entries). */
    size_t cap = n / 32 + 16, items = 0, total = 0;
    k->cost = malloc(cap * sizeof(*k->cost));
    if (!k->cost) {
        free(k);
        return -ENOMEM;
    }
    while (total < n) {
        uint32_t c = draw_cost(items);
        if (items == cap) {
            uint32_t *grown = realloc(k->cost, 2 * cap * sizeof(*k->cost));
            if (!grown) {
                free(k->cost);
                free(k);
                return -ENOMEM;
            }
            k->cost = grown;
            cap *= 2;
        }
        k->cost[items++] = c;
        total += c;
    }
    k->items = items;
    k->checksum = 0x5eed;
    *ctx = k;
    return 0;
}

static void run(void *ctx)
{
    struct random_cost *k = ctx;
    const uint32_t *cost = k->cost;
    const size_t items = k->items;
    if (osw_taskloop.mode) {
        k->checksum = run_taskloop(cost, items);
        return;
    }
    uint64_t sum = 0;
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = 0; i < items; i++)
            sum += item(cost, i);
        osw_probe_end(t0, cpu);
    }
    k->checksum = sum;
}

static int verify(const void *ctx, double *rel_err)
{
    const struct random_cost *k = ctx;
    uint64_t ref = 0;
    for (size_t i = 0; i < k->items; i++)
        ref += osw_spin(i, draw_cost(i));
    *rel_err = k->checksum == ref ? 0.0 : 1.0;
    return k->checksum == ref;
}

static void teardown(void *ctx)
{
    struct random_cost *k = ctx;
    if (!k)
        return;
    free(k->cost);
    free(k);
}

const osw_kernel osw_random_cost = {
    .name = "random_cost",
    .summary = "items of heavy-tailed random CPU cost (Pareto 1.5), seeded",
    .unit = "work units",
    .bytes_per_elem = 0,
    .ops_per_elem = 3,
    .alloc_bytes_per_elem = 4.0 / 16,
    .kind = OSW_CPU_BOUND,
    .default_n = 1u << 25,
    .setup = setup,
    .run = run,
    .verify = verify,
    .teardown = teardown,
    .combine = OSW_COMBINE_NONE, /* no result: the checksum is a sum mod 2^64 */
    .taskloop = 1,
};

/* wait: for item i in [0, m): block for 50 us (clock_nanosleep), standing for
 * I/O-bound work that waits rather than computes; more threads than cores
 * still help until the waits overlap completely. n counts nanoseconds of
 * waiting: m = n / 50000 items. No memory traffic, no arithmetic.
 * Check: every item ran exactly once (an exact count) and each waited at
 * least its 50 us (the shortest wait, by a min reduction). */
#define _GNU_SOURCE
#include "kernel.h"
#include "util.h"

#include <errno.h>
#include <omp.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

#define WAIT_NS 50000L

struct wait {
    size_t items;
    uint64_t done;
    int64_t shortest_ns;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* One item, the loop body of both drivers: waits WAIT_NS, returns the
 * nanoseconds it took. */
static inline int64_t item(void)
{
    struct timespec ts = {0, WAIT_NS};
    int64_t begin = now_ns();
    while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
        ;
    return now_ns() - begin;
}

/* The taskloop driver (osw_taskloop): one thread creates the tasks, every
 * thread of the team runs them at the single's barrier; the runtime's
 * reductions combine the count and the shortest wait. */
static void run_taskloop(size_t items, uint64_t *done_out, int64_t *shortest_out)
{
    osw_taskloop_items = items;
    uint64_t done = 0;
    int64_t shortest = INT64_MAX;
    const long value = osw_taskloop.value;
    const int by_tasks = osw_taskloop.mode == OSW_TASKLOOP_NUM_TASKS;
#pragma omp parallel
    {
        prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp single
        {
            if (by_tasks) {
#pragma omp taskloop num_tasks(value) reduction(+ : done) reduction(min : shortest)
                for (size_t i = 0; i < items; i++) {
                    int64_t waited = item();
                    done += 1;
                    shortest = waited < shortest ? waited : shortest;
                }
            } else {
#pragma omp taskloop grainsize(value) reduction(+ : done) reduction(min : shortest)
                for (size_t i = 0; i < items; i++) {
                    int64_t waited = item();
                    done += 1;
                    shortest = waited < shortest ? waited : shortest;
                }
            }
        }
        osw_probe_end(t0, cpu);
    }
    *done_out = done;
    *shortest_out = shortest;
}

static int setup(void **ctx, size_t n)
{
    struct wait *k = calloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    k->items = n / WAIT_NS;
    k->done = 0;
    k->shortest_ns = -1;
    *ctx = k;
    return 0;
}

static void run(void *ctx)
{
    struct wait *k = ctx;
    const size_t items = k->items;
    uint64_t done = 0;
    int64_t shortest = INT64_MAX;
    if (osw_taskloop.mode) {
        run_taskloop(items, &done, &shortest);
        k->done = done;
        k->shortest_ns = items ? shortest : 0;
        return;
    }
#pragma omp parallel
    {
        /* Linux lets a sleep overrun by the thread's timer slack (50 us by
         * default): ask for 1 ns so an item waits its 50 us, not 100. */
        prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(runtime) reduction(+ : done) reduction(min : shortest) nowait
        for (size_t i = 0; i < items; i++) {
            int64_t waited = item();
            done += 1;
            shortest = waited < shortest ? waited : shortest;
        }
        osw_probe_end(t0, cpu);
    }
    k->done = done;
    k->shortest_ns = items ? shortest : 0;
}

static int verify(const void *ctx, double *rel_err)
{
    const struct wait *k = ctx;
    int ok = k->done == k->items && k->shortest_ns >= (k->items ? WAIT_NS : 0);
    *rel_err = k->items && k->done != k->items ? 1.0 : 0.0;
    if (k->shortest_ns < 0)
        *rel_err = 1.0;
    return ok && k->shortest_ns >= 0;
}

static void teardown(void *ctx)
{
    free(ctx);
}

const osw_kernel osw_wait = {
    .name = "wait",
    .summary = "items that block 50 us each (I/O-like waiting, not computing)",
    .unit = "ns of waiting",
    .bytes_per_elem = 0,
    .ops_per_elem = 0,
    .alloc_bytes_per_elem = 0,
    .kind = OSW_WAITS,
    .default_n = 1u << 24,
    .setup = setup,
    .run = run,
    .verify = verify,
    .teardown = teardown,
    .combine = OSW_COMBINE_NONE, /* no result */
    .taskloop = 1,
};

/* forkjoin.c: the body of the forkjoin kernels (forkjoin.h), the shape
 * where the OpenMP wait policy matters (OMP_WAIT_POLICY, GOMP_SPINCOUNT,
 * KMP_BLOCKTIME): many short parallel regions separated by serial gaps.
 * n counts nanoseconds of parallel work: m = ceil(n / 20000) regions, each
 * `#pragma omp parallel` + `omp for schedule(runtime)` over FJ_WORK steps
 * of the generator (about 20 us of one thread's work, split over the team),
 * each followed by a serial gap of G us in which the initial thread
 * computes alone (a busy loop on CLOCK_MONOTONIC) while the team's other
 * threads wait for the next region: spinning (ACTIVE, or libgomp's default
 * for its first 300k spins) or asleep (PASSIVE), to be woken up. Three
 * kernels, one per gap: forkjoin (G = 10 us), forkjoin_100us and
 * forkjoin_1ms. n is not the number of regions so that the kernel contract
 * test's n = 1000003 stays 51 regions (the wait kernel's way).
 * Check: every region's work counted exactly (m * FJ_WORK steps) and the
 * sum mod 2^64 of the generator over them, against a serial loop. */
#define _GNU_SOURCE
#include "forkjoin.h"
#include "kernel.h"
#include "util.h"

#include <errno.h>
#include <omp.h>
#include <stdlib.h>
#include <time.h>

#define SEED    11
#define FJ_WORK OSW_FORKJOIN_WORK

struct forkjoin {
    size_t regions;
    int64_t gap_ns;
    uint64_t steps, sum;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int osw_forkjoin_setup(void **ctx, size_t n, int64_t gap_ns)
{
    struct forkjoin *k = calloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    k->regions = (n + OSW_FORKJOIN_REGION_NS - 1) / OSW_FORKJOIN_REGION_NS;
    k->gap_ns = gap_ns;
    k->steps = 0;
    k->sum = 0x5eed;
    *ctx = k;
    return 0;
}

void osw_forkjoin_run(void *ctx)
{
    struct forkjoin *k = ctx;
    uint64_t steps = 0, sum = 0;
    for (size_t r = 0; r < k->regions; r++) {
        const uint64_t base = (uint64_t)r * FJ_WORK;
        uint64_t rsteps = 0, rsum = 0;
#pragma omp parallel
        {
            int cpu;
            double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(runtime) reduction(+ : rsteps, rsum) nowait
            for (unsigned i = 0; i < FJ_WORK; i++) {
                rsum += osw_gen_u64(SEED, base + i);
                rsteps += 1;
            }
            osw_probe_end(t0, cpu);
        }
        steps += rsteps;
        sum += rsum;
        /* The serial gap: the initial thread alone, busy. */
        const int64_t until = now_ns() + k->gap_ns;
        while (now_ns() < until)
            ;
    }
    k->steps = steps;
    k->sum = sum;
}

int osw_forkjoin_verify(const void *ctx, double *rel_err)
{
    const struct forkjoin *k = ctx;
    const uint64_t total = (uint64_t)k->regions * FJ_WORK;
    uint64_t ref = 0;
    for (uint64_t i = 0; i < total; i++)
        ref += osw_gen_u64(SEED, i);
    int ok = k->steps == total && k->sum == ref;
    *rel_err = ok ? 0.0 : 1.0;
    return ok;
}

void osw_forkjoin_teardown(void *ctx)
{
    free(ctx);
}

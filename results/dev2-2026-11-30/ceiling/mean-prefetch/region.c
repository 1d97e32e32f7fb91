/* region.c: what a one-iteration-per-thread `parallel for` costs on this
 * machine, piece by piece, to place `empty --probe off` against EPCC's
 * PARALLEL FOR. Variants, timed over CALLS calls per sample, interleaved in
 * every round (order reversed every other round):
 *   epcc_pfor           #pragma omp parallel for, default (static) schedule,
 *                       no reduction: EPCC's PARALLEL FOR without its delay
 *   runtime_noreduction parallel + for schedule(runtime) nowait
 *   runtime_reduction   the same with reduction(+ : count): osw-overhead's
 *                       bare region
 *   static_reduction    schedule(static) with the reduction
 *   empty_probe_off     `empty` with --probe off: runtime_reduction plus the
 *                       probe's two out-of-line calls and one store
 *   empty_slots         the same, counting into per-thread slots instead of
 *                       a reduction
 * Build: gcc -O3 -march=native -fopenmp -o region region.c
 * Run:   OMP_PROC_BIND=close OMP_PLACES=cores ./region THREADS ROUNDS CALLS */
#define _GNU_SOURCE
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static volatile size_t sink;
static int team[256];
static size_t slots[256 * 8];
static int nth;

__attribute__((noinline)) static double probe_begin(int *cpu)
{
    *cpu = -1;
    return 0;
}

__attribute__((noinline)) static void probe_end(void)
{
    int t = omp_get_thread_num();
    if (t < 256)
        team[t] = omp_get_num_threads();
}

__attribute__((noinline)) static void epcc_pfor(void)
{
#pragma omp parallel for
    for (int i = 0; i < nth; i++)
        __asm__ volatile("");
}

__attribute__((noinline)) static void runtime_noreduction(void)
{
    size_t n = (size_t)nth;
#pragma omp parallel
    {
#pragma omp for schedule(runtime) nowait
        for (size_t i = 0; i < n; i++)
            __asm__ volatile("");
    }
}

__attribute__((noinline)) static void runtime_reduction(void)
{
    size_t n = (size_t)nth, count = 0;
#pragma omp parallel
    {
#pragma omp for schedule(runtime) reduction(+ : count) nowait
        for (size_t i = 0; i < n; i++)
            count++;
    }
    sink = count;
}

__attribute__((noinline)) static void static_reduction(void)
{
    size_t n = (size_t)nth, count = 0;
#pragma omp parallel
    {
#pragma omp for schedule(static) reduction(+ : count) nowait
        for (size_t i = 0; i < n; i++)
            count++;
    }
    sink = count;
}

__attribute__((noinline)) static void empty_probe_off(void)
{
    size_t n = (size_t)nth, count = 0;
#pragma omp parallel
    {
        int cpu;
        (void)probe_begin(&cpu);
#pragma omp for schedule(runtime) reduction(+ : count) nowait
        for (size_t i = 0; i < n; i++)
            count++;
        probe_end();
    }
    sink = count;
}

__attribute__((noinline)) static void empty_slots(void)
{
    size_t n = (size_t)nth;
#pragma omp parallel
    {
        int cpu;
        size_t c = 0;
        (void)probe_begin(&cpu);
#pragma omp for schedule(runtime) nowait
        for (size_t i = 0; i < n; i++)
            c++;
        int t = omp_get_thread_num();
        if (t < 256)
            slots[t * 8] = c;
        probe_end();
    }
    size_t s = 0;
    for (int t = 0; t < nth && t < 256; t++)
        s += slots[t * 8];
    sink = s;
}

static int cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s THREADS ROUNDS CALLS\n", argv[0]);
        return 2;
    }
    nth = atoi(argv[1]);
    int rounds = atoi(argv[2]), calls = atoi(argv[3]);
    if (nth < 1 || nth > 256 || rounds < 1 || calls < 1) {
        fprintf(stderr, "region: 1 <= THREADS <= 256, ROUNDS >= 1, CALLS >= 1\n");
        return 2;
    }
    omp_set_num_threads(nth);
    omp_set_schedule(omp_sched_static, 0);
    const struct {
        const char *name;
        void (*f)(void);
    } v[] = {{"epcc_pfor", epcc_pfor},
             {"runtime_noreduction", runtime_noreduction},
             {"runtime_reduction", runtime_reduction},
             {"static_reduction", static_reduction},
             {"empty_probe_off", empty_probe_off},
             {"empty_slots", empty_slots}};
    const int nv = (int)(sizeof(v) / sizeof(v[0]));
    double *t = malloc(sizeof(double) * (size_t)nv * (size_t)rounds);
    if (!t)
        return 3;
    for (int k = 0; k < nv; k++)
        for (int c = 0; c < calls; c++)
            v[k].f();
    for (int r = 0; r < rounds; r++)
        for (int kk = 0; kk < nv; kk++) {
            int k = (r & 1) ? nv - 1 - kk : kk;
            double t0 = now();
            for (int c = 0; c < calls; c++)
                v[k].f();
            t[k * rounds + r] = (now() - t0) / calls * 1e6;
        }
    for (int k = 0; k < nv; k++) {
        double *x = t + k * rounds;
        qsort(x, (size_t)rounds, sizeof(double), cmp);
        printf("%-20s threads=%d us/call min %.3f q25 %.3f median %.3f\n", v[k].name, nth, x[0],
               x[rounds / 4], x[rounds / 2]);
    }
    free(t);
    return 0;
}

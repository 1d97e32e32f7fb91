/* overhead: what the suite adds to a timed call, measured on this machine.
 *
 * For each thread count: (a) a bare parallel region with an empty
 * schedule(runtime) worksharing loop, timed over many calls in a tight loop;
 * (b) the `empty` kernel called the same way (adds the per-thread probe);
 * (b') the same with the probe off (osw_probe_mode, `run --probe off`);
 * (c) the `empty` kernel through osw_measure, the harness's own path (adds
 * the sample loop and its timer calls). Prints the per-call medians of 21
 * rounds and the differences in microseconds; (a), (b) and (b') alternate
 * within each round.
 * Usage: osw-overhead [THREADS...]   (default: 1 and omp_get_num_procs()) */
#include "kernel.h"
#include "stats.h"
#include "measure.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#define ROUNDS 21
#define CALLS  20000

static double median_of(double *x, size_t n)
{
    osw_stats st;
    osw_stats_compute(x, n, &st);
    return st.median;
}

static double bare_region(void)
{
    size_t count = 0;
#pragma omp parallel
    {
#pragma omp for schedule(runtime) reduction(+ : count) nowait
        for (size_t i = 0; i < 1; i++)
            count++;
    }
    return (double)count;
}

int main(int argc, char **argv)
{
    const osw_kernel *empty = osw_kernel_find("empty");
    if (!empty)
        return 2;
    int defaults[2] = {1, omp_get_num_procs()};
    int nthreads = argc > 1 ? argc - 1 : (defaults[1] > 1 ? 2 : 1);
    printf("threads,bare_region_us,empty_kernel_us,harness_sample_us,probe_us,harness_us,"
           "empty_probe_off_us,probe_off_us\n");
    for (int t = 0; t < nthreads; t++) {
        int p = argc > 1 ? atoi(argv[t + 1]) : defaults[t];
        if (p < 1 || p > OSW_MAX_THREADS)
            return 2;
        omp_set_num_threads(p);
        omp_set_schedule(omp_sched_static, 0);
        double bare[ROUNDS], kern[ROUNDS], koff[ROUNDS], sink = 0;
        void *ctx;
        if (empty->setup(&ctx, 1))
            return 3;
        for (int r = 0; r < ROUNDS; r++) {
            double t0 = omp_get_wtime();
            for (int c = 0; c < CALLS; c++)
                sink += bare_region();
            bare[r] = (omp_get_wtime() - t0) / CALLS;
            t0 = omp_get_wtime();
            for (int c = 0; c < CALLS; c++)
                empty->run(ctx);
            kern[r] = (omp_get_wtime() - t0) / CALLS;
            osw_probe_mode = OSW_PROBE_OFF;
            t0 = omp_get_wtime();
            for (int c = 0; c < CALLS; c++)
                empty->run(ctx);
            koff[r] = (omp_get_wtime() - t0) / CALLS;
            osw_probe_mode = OSW_PROBE_FULL;
        }
        empty->teardown(ctx);
        osw_row row;
        double seconds[ROUNDS];
        if (osw_measure(empty, 1, ROUNDS, 1, 0.005, &row, seconds))
            return 3;
        double b = median_of(bare, ROUNDS), k = median_of(kern, ROUNDS), h = row.median_s;
        double ko = median_of(koff, ROUNDS);
        printf("%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f\n", p, b * 1e6, k * 1e6, h * 1e6,
               (k - b) * 1e6, (h - k) * 1e6, ko * 1e6, (ko - b) * 1e6);
        if (sink < 0)
            puts("");
    }
    return 0;
}

/* omp_demo.c: a small OpenMP program to tune with `ompsweep exec`.
 *
 *   omp_demo [N] [REPEAT]
 *
 * Sums f(i) for i < N (default 2000000) in a `schedule(runtime)` loop, so
 * OMP_SCHEDULE picks the schedule, REPEAT times (default 3), and prints the
 * best time of the repeats ("time: SECONDS") for `--metric 'time: ([0-9.eE+-]+)'`,
 * the thread count and the sum. The cost of f grows with i (a triangular
 * load), so static scheduling leaves the last threads with the most work and
 * the schedule matters. Exit status 0, or 2 on a bad argument. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

static double f(long i, long n)
{
    /* 1..8 terms: the work per index grows with i. */
    int terms = 1 + (int)(8 * (double)i / (double)n);
    double x = (double)i * 1e-6, s = 0;
    for (int k = 1; k <= terms; k++)
        s += sin(x * k) / k;
    return s;
}

static long arg(const char *text, long min, long max)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (!*text || *end || v < min || v > max) {
        fprintf(stderr, "omp_demo: '%s' must be a whole number in %ld..%ld\n", text, min, max);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? arg(argv[1], 1, 1L << 40) : 2000000;
    long repeat = argc > 2 ? arg(argv[2], 1, 1000) : 3;
    double best = INFINITY, sum = 0;
    for (long r = 0; r < repeat; r++) {
        double s = 0, t0 = omp_get_wtime();
#pragma omp parallel for schedule(runtime) reduction(+ : s)
        for (long i = 0; i < n; i++)
            s += f(i, n);
        double t = omp_get_wtime() - t0;
        if (t < best)
            best = t;
        sum = s;
    }
    printf("threads: %d\n", omp_get_max_threads());
    printf("sum: %.10g\n", sum);
    printf("time: %.9f\n", best);
    return 0;
}

/* two_regions.c: an OpenMP program with two parallel regions for
 * `ompsweep exec --regions` (docs/regions.md): "scale" divides independent
 * arithmetic among the threads (it scales with them), "serialised" does
 * the same amount of work in a critical section (it cannot scale: one
 * thread at a time). Between them a serial loop of a quarter of that work.
 * Prints its checksum.
 *
 *   two_regions [REPS]   (default 40 rounds of about 3 ms of work each)
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#define WORK 200000L

/* Work a compiler cannot drop or fold: a dependent chain per element. */
static double chain(long i)
{
    double x = (double)(i % 97) * 1e-3;
    for (int k = 0; k < 8; k++)
        x = x * 0.999 + 1e-4;
    return x;
}

int main(int argc, char **argv)
{
    long reps = argc > 1 ? strtol(argv[1], NULL, 10) : 40;
    if (reps < 1) {
        fprintf(stderr, "two_regions: REPS must be a positive number\n");
        return 2;
    }
    double scaled = 0, serialised = 0, serial = 0;
    for (long r = 0; r < reps; r++) {
        double sum = 0;
#pragma omp parallel for reduction(+ : sum) schedule(static)
        for (long i = 0; i < WORK; i++) /* region "scale" */
            sum += chain(i);
        scaled += sum;
        for (long i = 0; i < WORK / 4; i++) /* serial, between the regions */
            serial += chain(i);
#pragma omp parallel
        { /* region "serialised" */
            int nt = omp_get_num_threads();
            double part = 0;
#pragma omp critical
            { /* each thread's share, one thread at a time */
                for (long i = omp_get_thread_num(); i < WORK; i += nt)
                    part += chain(i);
                serialised += part;
            }
        }
    }
    printf("checksum %.6f\n", scaled + serialised + serial);
    return 0;
}

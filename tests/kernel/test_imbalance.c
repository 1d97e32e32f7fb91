/* test_imbalance: the per-thread busy-time probe sees load imbalance.
 * triangular's rows cost their index, so with 2 threads a static schedule
 * with the default chunk gives thread 1 three times thread 0's work: busy
 * times near 1:3, imbalance (max - mean) / max near 1/3. dynamic,1 deals rows
 * one at a time: imbalance near 0. Busy time is per-thread time inside the
 * loop, not wall time of the run, so the check holds on a loaded machine; a
 * busy neighbour can still stall one thread for a while, so the test takes
 * the best of three attempts. */
#include "kernel.h"
#include "parse.h"
#include "measure.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>

static double imbalance_of(const osw_kernel *k, omp_sched_t kind, int chunk)
{
    osw_schedule s = {.kind = kind, .chunk = chunk};
    osw_row row;
    double seconds[5];
    omp_set_num_threads(2);
    osw_schedule_apply(&s);
    if (osw_measure(k, (size_t)1 << 24, 5, 1, 0.001, &row, seconds) != 0 || !row.verified)
        return NAN;
    if (!(row.cpu_per_wall > 0) || !isfinite(row.imbalance))
        return NAN;
    return row.imbalance;
}

int main(void)
{
    const osw_kernel *k = osw_kernel_find("triangular");
    if (!k)
        return 1;
    for (int attempt = 1; attempt <= 3; attempt++) {
        double unbalanced = imbalance_of(k, omp_sched_static, 0);
        double balanced = imbalance_of(k, omp_sched_dynamic, 1);
        printf("attempt %d: imbalance static %.3f, dynamic,1 %.3f\n", attempt, unbalanced,
               balanced);
        if (unbalanced > 0.2 && balanced < unbalanced / 2)
            return 0;
    }
    fprintf(stderr, "FAIL: static imbalance not clearly above dynamic,1's\n");
    return 1;
}

/* uniform_dynamic1: uniform (item i costs osw_spin(i, 64), exact check) with the
 * schedule fixed at compile time, `schedule(dynamic, 1)`, which the compiler can
 * inline, where uniform's `schedule(runtime)` asks the runtime for every
 * chunk. Its rows ignore the harness's schedule; its overhead_ns against
 * uniform's row at the same schedule is the cost of choosing the schedule at
 * run time (docs/kernels.md, "The cost of a run-time schedule").
 * No memory traffic; 3 integer ops per step, 192 per item. */
#include "kernel.h"
#include "uniform_twin.h"

#include <omp.h>

static void run(void *ctx)
{
    osw_uniform_twin *k = ctx;
    const size_t n = k->n;
    uint64_t sum = 0;
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(dynamic, 1) reduction(+ : sum) nowait
        for (size_t i = 0; i < n; i++)
            sum += osw_spin(i, OSW_UNIFORM_STEPS);
        osw_probe_end(t0, cpu);
    }
    k->checksum = sum;
}

OSW_UNIFORM_TWIN(uniform_dynamic1, "uniform with schedule(dynamic, 1) fixed at compile time");

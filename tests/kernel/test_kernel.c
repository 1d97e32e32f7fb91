/* test_kernel NAME: the kernel contract for one kernel, on every size in
 * {0, 1, 7, 1000003} x threads {1, 2, 3} x schedules {static, dynamic,
 * guided, auto} (with and without an odd chunk), and for a kernel that
 * declares taskloop support also taskloop grainsize {1, 500} and num_tasks
 * {1, 5} (grainsize 1 up to n = 7: a million tasks of one item take
 * seconds under libomp on a loaded 2-core machine): setup, verification that
 * fails before the first run (so the check is not vacuous), a result (when
 * the kernel has one) that is NaN before the first run and finite after,
 * two runs each verified (idempotence), the per-thread probe recording the
 * whole team (what threads_ran reads), teardown. Then the combine rule: the
 * results of the two halves of [0, n), the second at osw_index_base as an
 * MPI rank runs it, combine by the descriptor's rule into the whole's.
 * Exit 0 when all pass. */
#include "kernel.h"
#include "parse.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>

static int failures;

static void check(int ok, const char *what, const osw_kernel *k, size_t n, int threads,
                  const char *sched, int chunk, double rel_err)
{
    if (ok)
        return;
    failures++;
    fprintf(stderr, "FAIL %s: %s n=%zu threads=%d schedule=%s,%d rel_err=%g\n", what, k->name, n,
            threads, sched, chunk, rel_err);
}

/* k's verified result at size n from global index base (NaN when setup,
 * the run or its verification fails). */
static double verified_result(const osw_kernel *k, size_t n, uint64_t base)
{
    double r = NAN, rel_err;
    void *ctx = NULL;
    osw_index_base = base;
    if (k->setup(&ctx, n) == 0) {
        k->run(ctx);
        if (k->verify(ctx, &rel_err) == 1)
            r = k->result(ctx);
        k->teardown(ctx);
    }
    osw_index_base = 0;
    return r;
}

/* The combine rule holds for the halves of n = 1000003 (500002 + 500001
 * elements), 2 threads, static. Each verified result is within the bound of
 * its own check, at most gamma_(n-1) + 2u relative for the mean kernels; the
 * whole's and the combination's may differ by twice that and the
 * combination's roundings. A sum of counts is exact. */
static void check_combine(const osw_kernel *k)
{
    if (k->combine == OSW_COMBINE_NONE || !k->result)
        return;
    const size_t n = 1000003, h0 = n / 2 + 1, h1 = n / 2;
    omp_set_num_threads(2);
    omp_set_schedule(omp_sched_static, 0);
    double whole = verified_result(k, n, 0);
    double p0 = verified_result(k, h0, 0), p1 = verified_result(k, h1, h0);
    double combined, mag;
    if (k->combine == OSW_COMBINE_MEAN) {
        combined = (p0 * (double)h0 + p1 * (double)h1) / (double)n;
        mag = (fabs(p0) * (double)h0 + fabs(p1) * (double)h1) / (double)n;
    } else {
        combined = p0 + p1;
        mag = fabs(p0) + fabs(p1);
    }
    const double u = 0x1.0p-53, ku = (double)n * u;
    double tol = 2 * (ku / (1 - ku) + 2 * u) + 8 * u;
    double err = fabs(combined - whole);
    check(err <= tol * mag, "combine rule: halves combine into the whole", k, n, 2, "static", 0,
          mag > 0 ? err / mag : err);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_kernel NAME\n");
        return 2;
    }
    const osw_kernel *k = osw_kernel_find(argv[1]);
    if (!k) {
        fprintf(stderr, "test_kernel: unknown kernel '%s'\n", argv[1]);
        return 2;
    }
    check(k->setup && k->run && k->verify && k->teardown && k->name && k->summary && k->unit,
          "descriptor complete", k, 0, 0, "-", 0, 0);
    check(k->bytes_per_elem >= 0 && k->ops_per_elem >= 0 && k->default_n > 0,
          "descriptor cost model", k, 0, 0, "-", 0, 0);
    check(k->combine == OSW_COMBINE_NONE || k->combine == OSW_COMBINE_MEAN ||
              k->combine == OSW_COMBINE_SUM,
          "descriptor combine is an enum osw_combine", k, 0, 0, "-", 0, 0);
    check(k->combine == OSW_COMBINE_NONE || k->result, "combine MEAN or SUM has a result hook", k,
          0, 0, "-", 0, 0);

    static const size_t sizes[] = {0, 1, 7, 1000003};
    static const int threads[] = {1, 2, 3};
    static const struct {
        omp_sched_t kind;
        int chunk;
        int taskloop;
    } scheds[] = {
        {omp_sched_static, 0, 0},
        {omp_sched_static, 3, 0},
        {omp_sched_dynamic, 0, 0},
        {omp_sched_dynamic, 7, 0},
        {omp_sched_guided, 0, 0},
        {omp_sched_guided, 5, 0},
        {omp_sched_auto, 0, 0},
        {omp_sched_static, 1, OSW_TASKLOOP_GRAINSIZE},
        {omp_sched_static, 500, OSW_TASKLOOP_GRAINSIZE},
        {omp_sched_static, 1, OSW_TASKLOOP_NUM_TASKS},
        {omp_sched_static, 5, OSW_TASKLOOP_NUM_TASKS},
    };
    /* A construct kernel (EPCC's method) counts executions of a construct
     * (a parallel region, a barrier: microseconds each, milliseconds when 3
     * threads share 2 cores) and ignores the schedule: sizes up to 130 (two
     * task trees of 64), static only. */
    static const size_t construct_sizes[] = {0, 1, 7, 130};
    const size_t *sz = k->family ? construct_sizes : sizes;
    const size_t nsched = k->family ? 1 : sizeof(scheds) / sizeof(scheds[0]);
    int configs = 0;
    for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
        for (size_t ti = 0; ti < sizeof(threads) / sizeof(threads[0]); ti++) {
            for (size_t ci = 0; ci < nsched; ci++) {
                size_t n = sz[si];
                if (scheds[ci].taskloop && !k->taskloop)
                    continue;
                if (scheds[ci].taskloop == OSW_TASKLOOP_GRAINSIZE && scheds[ci].chunk == 1 && n > 7)
                    continue;
                osw_schedule s = {.kind = scheds[ci].kind,
                                  .chunk = scheds[ci].chunk,
                                  .taskloop = scheds[ci].taskloop};
                char name[32];
                osw_schedule_name(&s, name, sizeof(name));
                omp_set_num_threads(threads[ti]);
                osw_schedule_apply(&s);
                void *ctx = NULL;
                int rc = k->setup(&ctx, n);
                check(rc == 0 && ctx, "setup", k, n, threads[ti], name, s.chunk, 0);
                if (rc)
                    continue;
                double rel_err = NAN;
                /* Before any run there is no result: verification must fail
                 * (size 0 of an element-wise kernel has nothing to check). */
                int early = k->verify(ctx, &rel_err);
                if (n > 0)
                    check(early == 0, "verify fails before run", k, n, threads[ti], name, s.chunk,
                          rel_err);
                if (k->result)
                    check(isnan(k->result(ctx)), "result NaN before run", k, n, threads[ti], name,
                          s.chunk, 0);
                osw_probe_reset();
                for (int round = 0; round < 2; round++) {
                    k->run(ctx);
                    rel_err = NAN;
                    int ok = k->verify(ctx, &rel_err);
                    check(ok == 1, round ? "verify after second run" : "verify after run", k, n,
                          threads[ti], name, s.chunk, rel_err);
                    check(rel_err >= 0 && isfinite(rel_err), "rel_err finite and >= 0", k, n,
                          threads[ti], name, s.chunk, rel_err);
                    if (k->result)
                        check(isfinite(k->result(ctx)), "result finite after run", k, n,
                              threads[ti], name, s.chunk, 0);
                }
                /* The probe saw the whole team in the loop (the runtime's
                 * limits allowing): what threads_ran reads. */
                int team = 0, want = threads[ti];
                for (int t = 0; t < OSW_MAX_THREADS; t++)
                    team = osw_probe[t].team > team ? osw_probe[t].team : team;
                want = omp_get_thread_limit() < want ? omp_get_thread_limit() : want;
                want = omp_get_max_active_levels() < 1 ? 1 : want;
                if (n > 0 && !omp_get_dynamic())
                    check(team == want, "the probe records the team", k, n, threads[ti], name,
                          s.chunk, team);
                k->teardown(ctx);
                configs++;
            }
        }
    }
    osw_schedule plain = {.kind = omp_sched_static};
    osw_schedule_apply(&plain);
    check(osw_taskloop.mode == OSW_TASKLOOP_NONE, "a for schedule clears osw_taskloop", k, 0, 0,
          "static", 0, 0);
    check_combine(k);
    printf("%s: %d configurations, %d failures\n", k->name, configs, failures);
    return failures ? 1 : 0;
}

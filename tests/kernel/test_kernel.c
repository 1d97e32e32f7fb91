/* test_kernel NAME: the kernel contract for one kernel, on every size in
 * {0, 1, 7, 1000003} x threads {1, 2, 3} x schedules {static, dynamic,
 * guided, auto} (with and without an odd chunk): setup, verification that
 * fails before the first run (so the check is not vacuous), two runs each
 * verified (idempotence), teardown. Exit 0 when all pass. */
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

    static const size_t sizes[] = {0, 1, 7, 1000003};
    static const int threads[] = {1, 2, 3};
    static const struct {
        omp_sched_t kind;
        int chunk;
    } scheds[] = {
        {omp_sched_static, 0},  {omp_sched_static, 3}, {omp_sched_dynamic, 0},
        {omp_sched_dynamic, 7}, {omp_sched_guided, 0}, {omp_sched_guided, 5},
        {omp_sched_auto, 0},
    };
    int configs = 0;
    for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
        for (size_t ti = 0; ti < sizeof(threads) / sizeof(threads[0]); ti++) {
            for (size_t ci = 0; ci < sizeof(scheds) / sizeof(scheds[0]); ci++) {
                size_t n = sizes[si];
                osw_schedule s = {.kind = scheds[ci].kind, .chunk = scheds[ci].chunk};
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
                for (int round = 0; round < 2; round++) {
                    k->run(ctx);
                    rel_err = NAN;
                    int ok = k->verify(ctx, &rel_err);
                    check(ok == 1, round ? "verify after second run" : "verify after run", k, n,
                          threads[ti], name, s.chunk, rel_err);
                    check(rel_err >= 0 && isfinite(rel_err), "rel_err finite and >= 0", k, n,
                          threads[ti], name, s.chunk, rel_err);
                }
                k->teardown(ctx);
                configs++;
            }
        }
    }
    printf("%s: %d configurations, %d failures\n", k->name, configs, failures);
    return failures ? 1 : 0;
}

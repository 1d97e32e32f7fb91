/* mpi_measure.c: the osw_measure lifecycle on every rank, samples synchronised
 * by a barrier and reduced with MPI_MAX, results combined by the kernel's
 * combine rule and checked globally. */
#define _GNU_SOURCE
#include "mpi_measure.h"
#include "stats.h"
#include "measure.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Upper bound on kernel calls inside one sample (as in sweep.c). */

void osw_mpi_partition(size_t n, int ranks, int rank, size_t *n_local, size_t *offset)
{
    size_t r = (size_t)rank, base = n / (size_t)ranks, extra = n % (size_t)ranks;
    *n_local = base + (r < extra ? 1 : 0);
    *offset = r * base + (r < extra ? r : extra);
}

/* gamma_k = k u / (1 - k u), u = 2^-53: the relative error bound of k
 * floating-point operations in a chain (Higham 3.4). */
static double gamma_k(double k)
{
    double ku = k * 0x1.0p-53;
    return ku < 1 ? ku / (1 - ku) : 1.0;
}

/* Stats of a copy of x[0..count). */
static void stats_of(const double *x, size_t count, osw_stats *st)
{
    double *scratch = malloc(count * sizeof(*scratch));
    if (!scratch) {
        memset(st, 0, sizeof(*st));
        st->min = st->max = st->median = st->mean = st->stddev = NAN;
        st->ci_lo = st->ci_hi = NAN;
        return;
    }
    memcpy(scratch, x, count * sizeof(*scratch));
    osw_stats_compute(scratch, count, st);
    free(scratch);
}

/* The global result of a kernel whose result combines (k->combine MEAN or
 * SUM, kernel.h), and its check.
 *
 * The combined value is MPI_Allreduce(MPI_SUM) of each rank's contribution:
 * for MEAN result_i * n_i, divided by n (the mean weighted by the slices);
 * for SUM result_i itself. It is checked against a reference built from the
 * ranks' verified local results:
 *  - mean_i32: the local exact int64 sums (each rank recovers its sum from
 *    its verified mean, exactly, and checks the recovery), added with
 *    MPI_Allreduce in int64; the reference mean is that sum / n, the very
 *    value a single process computes, and it is what the result column gets;
 *  - any other kernel: the contributions added in long double in rank order.
 * Tolerance: gamma_(ranks + 3) relative to the sum of the contributions'
 * magnitudes (one rounding per product, ranks - 1 additions, the division,
 * the reference's own rounding). test_value is the local result as the
 * combination sees it (the test hook may have corrupted it); local is the
 * verified value. */
static int combine_result(const osw_mpi_env *env, const osw_kernel *k, size_t n, size_t n_local,
                          double local, double test_value, double *result, double *rel_err)
{
    const int mean = k->combine == OSW_COMBINE_MEAN;
    double contrib = mean ? test_value * (double)n_local : test_value, total = 0;
    MPI_Allreduce(&contrib, &total, 1, MPI_DOUBLE, MPI_SUM, env->comm);
    double combined = mean ? total / (double)n : total, ref, mag;
    int ok = 1;

    if (mean && strcmp(k->name, "mean_i32") == 0) {
        long long sum = n_local ? llround(local * (double)n_local) : 0, gsum = 0;
        int exact = isfinite(local) && (n_local == 0 || (double)sum / (double)n_local == local);
        MPI_Allreduce(&sum, &gsum, 1, MPI_LONG_LONG, MPI_SUM, env->comm);
        MPI_Allreduce(MPI_IN_PLACE, &exact, 1, MPI_INT, MPI_MIN, env->comm);
        ok = exact;
        ref = (double)gsum / (double)n;
        mag = fabs(ref);
        *result = ref;
    } else {
        double *all = malloc((size_t)env->size * sizeof(*all));
        int have = all != NULL;
        MPI_Allreduce(MPI_IN_PLACE, &have, 1, MPI_INT, MPI_MIN, env->comm);
        if (!have) {
            free(all);
            *result = combined;
            *rel_err = NAN;
            return 0;
        }
        MPI_Allgather(&local, 1, MPI_DOUBLE, all, 1, MPI_DOUBLE, env->comm);
        long double acc = 0, abs_acc = 0;
        for (int r = 0; r < env->size; r++) {
            size_t nl, off;
            osw_mpi_partition(n, env->size, r, &nl, &off);
            long double c = mean ? (long double)all[r] * (long double)nl : (long double)all[r];
            acc += c;
            abs_acc += fabsl(c);
        }
        free(all);
        ref = (double)(mean ? acc / (long double)n : acc);
        mag = (double)(mean ? abs_acc / (long double)n : abs_acc);
        *result = combined;
    }
    double err = fabs(combined - ref);
    *rel_err = ref != 0 ? err / fabs(ref) : err;
    return ok && isfinite(combined) && err <= gamma_k((double)env->size + 3) * mag;
}

/* The team, load imbalance and CPU time of one configuration: this rank's
 * into me, every rank's combined into row (collective). */
static void gather_load(const osw_mpi_env *env, int threads, double cpu, double wall, osw_row *row,
                        osw_rank_rec *me)
{
    /* Imbalance within the rank and across every thread of every rank. */
    double busy_max, busy_sum;
    /* The team each rank ran; the row keeps the smallest (a rank's limit
     * slows every sample, which is the slowest rank's time). */
    int team = osw_probe_team(threads);
    int nprobe = osw_probe_totals(team > 0 ? team : threads, &busy_max, &busy_sum);
    int g_team = team;
    MPI_Allreduce(&team, &g_team, 1, MPI_INT, MPI_MIN, env->comm);
    row->threads_ran = g_team;
    for (int t = 0; t < nprobe && t < OSW_MPI_CPUS; t++)
        me->cpus[me->ncpus++] = osw_probe[t].cpu;
    me->imbalance = busy_max > 0 ? (busy_max - busy_sum / nprobe) / busy_max : NAN;
    me->cpu_per_wall = wall > 0 ? cpu / wall : NAN;
    double g_busy_max = 0, g_busy_sum = 0, g_cpu = 0, g_wall = 0;
    int g_nprobe = 0;
    MPI_Allreduce(&busy_max, &g_busy_max, 1, MPI_DOUBLE, MPI_MAX, env->comm);
    MPI_Allreduce(&busy_sum, &g_busy_sum, 1, MPI_DOUBLE, MPI_SUM, env->comm);
    MPI_Allreduce(&nprobe, &g_nprobe, 1, MPI_INT, MPI_SUM, env->comm);
    MPI_Allreduce(&cpu, &g_cpu, 1, MPI_DOUBLE, MPI_SUM, env->comm);
    MPI_Allreduce(&wall, &g_wall, 1, MPI_DOUBLE, MPI_MAX, env->comm);
    row->imbalance = g_busy_max > 0 ? (g_busy_max - g_busy_sum / g_nprobe) / g_busy_max : NAN;
    /* CPU time of all ranks over the slowest rank's wall time: about
     * ranks x threads when every thread computes all the time. */
    row->cpu_per_wall = g_wall > 0 ? g_cpu / g_wall : NAN;
}

/* Each rank checks its own slice; then the combined result is checked
 * (collective). Tears the kernel down; fills me's and row's verification. */
static void check_results(const osw_mpi_env *env, const osw_kernel *k, size_t n, size_t n_local,
                          void *ctx, osw_row *row, osw_rank_rec *me)
{
    double rel_err = NAN;
    me->verified = k->verify(ctx, &rel_err) == 1;
    me->rel_err = rel_err;
    me->result = k->result ? k->result(ctx) : NAN;
    k->teardown(ctx);
    osw_index_base = 0;

    int hooked = env->fail_rank == env->rank;
    int global_ok = 1;
    double g_result = NAN, g_rel = NAN;
    if (k->result && (k->combine == OSW_COMBINE_MEAN || k->combine == OSW_COMBINE_SUM)) {
        double test_value = me->result;
        if (hooked) /* test hook: a wrong local result the global check must catch */
            test_value = test_value * (1 + 0x1.0p-10) + 0x1.0p-10;
        global_ok = combine_result(env, k, n, n_local, me->result, test_value, &g_result, &g_rel);
    } else if (hooked) {
        /* test hook: no combined result to corrupt (OSW_COMBINE_NONE: the
         * global check is every rank's verify), so fail the local check */
        me->verified = 0;
    }

    int all_ok = me->verified && global_ok;
    MPI_Allreduce(MPI_IN_PLACE, &all_ok, 1, MPI_INT, MPI_MIN, env->comm);
    double worst_rel = isnan(me->rel_err) ? -1 : me->rel_err;
    MPI_Allreduce(MPI_IN_PLACE, &worst_rel, 1, MPI_DOUBLE, MPI_MAX, env->comm);
    if (!isnan(g_rel) && g_rel > worst_rel)
        worst_rel = g_rel;
    row->verified = all_ok;
    row->rel_err = worst_rel >= 0 ? worst_rel : NAN;
    row->result = g_result;
}

int osw_mpi_measure(const osw_mpi_env *env, const osw_kernel *k, size_t n, int reps, int warmup,
                    double min_sample_s, osw_row *row, double *seconds, osw_rank_rec *recs,
                    double *spread)
{
    size_t n_local, offset;
    osw_mpi_partition(n, env->size, env->rank, &n_local, &offset);
    osw_index_base = offset;

    void *ctx = NULL;
    osw_alloc_restart();
    int rc = k->setup(&ctx, n_local), worst = rc;
    MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MIN, env->comm);
    double *local = worst == 0 ? malloc((size_t)reps * sizeof(*local)) : NULL;
    int have = local != NULL;
    MPI_Allreduce(MPI_IN_PLACE, &have, 1, MPI_INT, MPI_MIN, env->comm);
    if (worst || !have) {
        if (rc == 0)
            k->teardown(ctx);
        free(local);
        osw_index_base = 0;
        return worst ? worst : -ENOMEM;
    }

    for (int w = 0; w < warmup; w++)
        k->run(ctx);

    /* Calibrate on each rank as osw_measure does; every rank then makes the
     * largest count, so the ranks do the same number of calls per sample. */
    long inner = osw_calibrate(k, ctx, min_sample_s);
    MPI_Allreduce(MPI_IN_PLACE, &inner, 1, MPI_LONG, MPI_MAX, env->comm);

    int threads = omp_get_max_threads();
    osw_probe_reset();
    double cpu0 = osw_process_cpu_s(), wall = 0;
    for (int r = 0; r < reps; r++) {
        MPI_Barrier(env->comm);
        double t0 = omp_get_wtime();
        for (long j = 0; j < inner; j++)
            k->run(ctx);
        double t = omp_get_wtime() - t0;
        wall += t;
        local[r] = t / (double)inner;
    }
    double cpu = osw_process_cpu_s() - cpu0;
    MPI_Allreduce(local, seconds, reps, MPI_DOUBLE, MPI_MAX, env->comm);

    osw_rank_rec me;
    memset(&me, 0, sizeof(me));
    osw_stats lst;
    stats_of(local, (size_t)reps, &lst);
    free(local);
    me.median_s = lst.median;
    me.min_s = lst.min;
    me.max_s = lst.max;
    me.n_local = n_local;
    me.index_base = offset;
    gethostname(me.host, sizeof(me.host) - 1);

    gather_load(env, threads, cpu, wall, row, &me);
    check_results(env, k, n, n_local, ctx, row, &me);

    MPI_Gather(&me, (int)sizeof(me), MPI_BYTE, recs, (int)sizeof(me), MPI_BYTE, 0, env->comm);
    if (env->rank == 0) {
        double lo = recs[0].median_s, hi = recs[0].median_s;
        for (int r = 1; r < env->size; r++) {
            lo = recs[r].median_s < lo ? recs[r].median_s : lo;
            hi = recs[r].median_s > hi ? recs[r].median_s : hi;
        }
        *spread = hi > 0 ? (hi - lo) / hi : NAN;
    }

    snprintf(row->kernel, sizeof(row->kernel), "%s", k->name);
    row->n = n;
    row->threads = threads;
    row->reps = reps;
    row->inner = inner;
    row->ranks = env->size;
    snprintf(row->bound, sizeof(row->bound), "%s", osw_kind_name(k->kind));
    snprintf(row->stop_reason, sizeof(row->stop_reason), "fixed"); /* --reps N */
    /* Out of memory leaves the statistics NaN; every rank goes on alike. */
    (void)osw_row_set_stats(row, k, n, seconds, (size_t)reps);
    return 0;
}

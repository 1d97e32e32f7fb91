/* rows.h: a run's summary rows in memory, found by configuration, and the
 * one rule that derives speedup, efficiency, their CI and overhead_ns from
 * them (engine.h says the rule). Used by the engine as rows stream out and
 * by the run directory's final pass and --resume. */
#ifndef OSW_ROWS_H
#define OSW_ROWS_H

#include "csv.h"
#include "kernel.h"

#include <stddef.h>

/* ---- rows in memory, found by configuration ---- */

typedef struct osw_rowset {
    osw_row *rows;
    size_t count, cap;
    size_t *slots; /* open addressing: row index + 1, 0 for empty */
    size_t nslots; /* a power of two, > 2 count */
} osw_rowset;

/* Index of the first row of that configuration, or -1. */
long osw_rowset_find(const osw_rowset *s, const char *kernel, size_t n, int threads,
                     const char *schedule, int chunk, const char *env);
int osw_rowset_add(osw_rowset *s, const osw_row *r);
void osw_rowset_free(osw_rowset *s);

/* ---- derive ---- */

/* Fills row's statistics columns from seconds[0..count) (min, median, mean,
 * stddev, the median's CI, outliers; drift_rho, seconds taken in the order
 * given), GB/s from k's cost model at size n (k
 * may be NULL: no GB/s), and sets the columns that need other rows
 * (speedup, efficiency, their CI, overhead_ns, ceiling_ratio) and
 * huge_page_share to NaN.
 * seconds is not modified. Returns 0, or -ENOMEM with the statistics NaN. */
int osw_row_set_stats(osw_row *row, const osw_kernel *k, size_t n, const double *seconds,
                      size_t count);

/* Drift: a row whose samples got slower as they were taken, drift_rho
 * (Spearman's rho of order against time) above OSW_DRIFT_RHO with at least
 * OSW_DRIFT_MIN_REPS samples, and above what chance gives independent
 * samples once in a hundred rows: rho * sqrt(reps - 1) > OSW_DRIFT_Z (the
 * normal approximation of rho's null distribution, one-sided 1%; with 10
 * samples rho above 0.78, from 23 samples on rho above 0.5). Without it a
 * noise-only row of 10 samples would warn one time in fourteen. */
#define OSW_DRIFT_RHO      0.5
#define OSW_DRIFT_MIN_REPS 10
#define OSW_DRIFT_Z        2.326

/* 1 when row drifted (above), with the warning, one line naming the
 * configuration and rho, in buf[0..len) (buf may be NULL); 0 otherwise,
 * buf untouched. The advice is --order interleaved, or, where the samples
 * were interleaved already (interleaved 1), to repeat the run and compare
 * sets of runs. The caller raises it once per row (osw_observed_warn). */
int osw_drift_warning(const osw_row *row, int interleaved, char *buf, size_t len);

/* The threads that ran r's loop: threads_ran where it was measured (1 to
 * threads), else threads (exec, imports, older files). */
int osw_row_team(const osw_row *r);

/* Fills r's speedup, efficiency, speedup_lo/hi and overhead_ns from the
 * baselines in rows (the rule above), NaN where there is none. p is the
 * team that ran, osw_row_team(r): efficiency is speedup / p, and overhead_ns
 * is (median - T1 / p) * p * ranks / n in ns per unit of n a rank holds.
 * For a verified memory-bound row (bound "memory") it also fills
 * ceiling_ratio: gbps_median / osw_ceiling_gbps, NaN where that is NaN. */
void osw_derive(osw_row *r, const osw_rowset *rows);

/* A nested team's settings lead a row's env (see engine.h):
 * "OMP_NUM_THREADS=2,2;OMP_MAX_ACTIVE_LEVELS=2;...". A baseline's env is
 * the row's without them (a 1-thread run has no nesting). */
#define OSW_NEST_PREFIX "OMP_NUM_THREADS="
#define OSW_NEST_LEVELS "OMP_MAX_ACTIVE_LEVELS"

/* The machine's ceiling for r's configuration in rows: the largest
 * gbps_median of the verified ceiling_* rows (kernels/ceiling_*.c) with r's
 * n, threads, schedule and chunk; NaN when rows has none. */
double osw_ceiling_gbps(const osw_rowset *rows, const osw_row *r);

/* Index in rows of r's speedup baseline (overhead 0) or overhead baseline
 * (overhead 1) as osw_derive picks it, or -1. */
long osw_baseline(const osw_rowset *rows, const osw_row *r, int overhead);

#endif

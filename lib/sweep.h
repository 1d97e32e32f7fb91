/* sweep.h: the plan (kernels x sizes x schedules x threads) and its
 * measurement. Writes summary.csv, samples.csv and meta.json into the out
 * dir, one whole row per configuration as it finishes.
 *
 * Files. Each configuration's samples.csv rows are written first, then its
 * summary.csv row, each in one write: the summary row commits the
 * configuration, so a run killed between the two leaves samples without a
 * summary row, which --resume drops.
 *
 * Order. Sequential runs the plan kernel by kernel, size by size, schedule by
 * schedule, threads innermost and ascending. Shuffled runs the same
 * configurations in a Fisher-Yates permutation drawn from a counter-based
 * generator (osw_rng) and the seed, recorded in meta.json, so a seed
 * replays its order. speedup, efficiency, speedup_lo/hi and overhead_ns need
 * the 1-thread row of their series (the 1-thread static row of the kernel
 * and size for overhead_ns): a row written while that baseline is already in
 * the file carries them (always, in sequential order); the others are left
 * empty as they stream out. At the end of the sweep, interrupted or not, a
 * final pass computes them for every row in the file from the rows'
 * medians and, where that changes the file, rewrites summary.csv atomically
 * (temporary file, rename). A shuffled run killed outright (kill -9) keeps
 * its empty cells until --resume completes it.
 *
 * Resume. meta.json records config_key (osw_config_key): schema, git commit,
 * compiler and flags, host, sampling settings, warm-up, minimum sample time
 * and the OpenMP binding. --resume refuses an out dir whose key differs,
 * drops a trailing partial line (truncating the file to its whole rows),
 * drops samples of configurations that have no summary row and
 * configurations whose sample count disagrees with their reps (measured
 * again), then measures only the configurations of the plan that the
 * summary lacks and appends them. Rows of configurations outside the plan
 * are kept. */
#ifndef OSW_SWEEP_H
#define OSW_SWEEP_H

#include "csv.h"
#include "kernel.h"
#include "meta.h"
#include "parse.h"
#include "sysinfo.h"

#include <signal.h>
#include <stdint.h>

enum { OSW_ORDER_SEQUENTIAL = 0, OSW_ORDER_SHUFFLED = 1 };

typedef struct osw_sweep_opts {
    const osw_kernel **kernels;
    size_t nkernels;
    const size_t *sizes; /* NULL: each kernel's default_n */
    size_t nsizes;
    const int *threads; /* measured in ascending order, so 1 comes first */
    size_t nthreads;
    const osw_schedule *schedules;
    size_t nschedules;
    int reps;            /* timed samples per configuration, >= 1 */
    int warmup;          /* discarded runs before timing, >= 0 */
    double min_sample_s; /* a sample shorter than this repeats the kernel inside */
    const char *out_dir;
    int force;      /* replace the out dir's result files */
    int progress;   /* draw a progress line on stderr */
    int quiet;      /* no table on stdout */
    osw_meta *meta; /* caller-filled provenance; the sweep adds status and counts */
    const osw_sysinfo *sys;
    /* Left zero: reps fixed samples, sequential order, a fresh out dir. */
    int reps_auto;       /* sample until the CI target instead of reps times */
    double ci_target;    /* relative width of the median's 95% CI, a fraction (0.02) */
    int min_reps;        /* adaptive: at least this many samples, >= 1 */
    int max_reps;        /* adaptive: at most this many, >= min_reps */
    double max_time_s;   /* adaptive: per-configuration budget, setup included */
    int order;           /* OSW_ORDER_SEQUENTIAL or OSW_ORDER_SHUFFLED */
    uint64_t seed;       /* shuffled: the permutation's seed */
    int resume;          /* measure only what the out dir's summary.csv lacks */
    int no_huge_pages;   /* --huge-pages off: kernel arrays advised against THP */
    size_t array_offset; /* --array-offset: osw_alloc_policy (kernel.h) */
} osw_sweep_opts;

/* How many timed samples one configuration takes. Fixed (ci_target 0):
 * exactly reps. Adaptive (ci_target > 0): at least min_reps; then stops
 * after the first sample where the 95% CI of the median (osw_median_ci) has
 * relative width (ci_hi - ci_lo) / median <= ci_target ("ci"), or when
 * max_reps samples are taken ("max_reps"), or when the next sample (taking
 * as long as the last) would end past max_time_s since setup began
 * ("max_time"). min_reps wins over the time budget. The stopping rule looks
 * at the data, so the reported 95% CI is slightly optimistic; treat
 * ci_target as a precision goal, not a coverage guarantee. */
typedef struct osw_sampling {
    int reps;
    double ci_target;
    int min_reps, max_reps;
    double max_time_s;
} osw_sampling;

/* Set by the SIGINT/SIGTERM handler: the sweep stops after the current row. */
extern volatile sig_atomic_t osw_stop_signal;

/* Checks the plan before anything is allocated or written: every (kernel, n)
 * must fit in available memory. Returns 0, or OSW_ETOOBIG with err set. */
int osw_sweep_check(const osw_sweep_opts *o, char *err);

/* Runs the sweep. Returns 0 when it ran to the end (*unverified counts the
 * rows that failed verification), OSW_EINTR when a signal stopped it after a
 * whole row, or a negative error with err set (nothing is left half written). */
int osw_sweep_run(const osw_sweep_opts *o, int *unverified, char *err);

/* Process CPU time in seconds (CLOCK_PROCESS_CPUTIME_ID): every thread's. */
double osw_process_cpu_s(void);

/* Over the probe slots of threads threads: the largest busy time and the
 * sum (for imbalance = (max - sum / count) / max). Returns the count. */
int osw_probe_totals(int threads, double *busy_max, double *busy_sum);

/* Fills row's statistics columns from seconds[0..count) (min, median, mean,
 * stddev, the median's CI, outliers), GB/s from k's cost model at size n, and
 * sets the columns that need other rows (speedup, efficiency, their CI,
 * overhead_ns) to NaN. seconds is not modified. Returns 0, or -ENOMEM with
 * the statistics NaN. */
int osw_row_set_stats(osw_row *row, const osw_kernel *k, size_t n, const double *seconds,
                      size_t count);

/* Upper bound on kernel calls inside one sample. */
#define OSW_MAX_INNER 100000000L

/* How many calls of k make one sample at least min_sample_s long (so the
 * timer's resolution never dominates), found by running it: 1 when one call
 * is long enough, at most OSW_MAX_INNER. */
long osw_calibrate(const osw_kernel *k, void *ctx, double min_sample_s);

/* Measures one configuration (threads and schedule already applied) and
 * fills row (but not speedup) and seconds[0..reps). Returns 0 or -ENOMEM
 * from setup. Exposed for the tests. */
int osw_measure(const osw_kernel *k, size_t n, int reps, int warmup, double min_sample_s,
                osw_row *row, double *seconds);

/* osw_measure with sampling s: seconds has room for s->reps (fixed) or
 * s->max_reps (adaptive) samples; row->reps gets the count taken and
 * row->stop_reason why sampling stopped ("fixed", "ci", "max_reps",
 * "max_time"). Returns 0 or -ENOMEM. */
int osw_measure_sampled(const osw_kernel *k, size_t n, const osw_sampling *s, int warmup,
                        double min_sample_s, osw_row *row, double *seconds);

/* The counter-based generator behind the shuffle: a 64-bit value that
 * depends only on (seed, counter) (SplitMix64's finaliser of seed and
 * counter combined). */
uint64_t osw_rng(uint64_t seed, uint64_t counter);

/* Permutes idx[0..count) in place (Fisher-Yates; draw i takes counter i;
 * unbiased bounded draws by rejection). */
void osw_shuffle(size_t *idx, size_t count, uint64_t seed);

/* The resume key of o's settings (see above) into buf: fields name=value
 * separated by ';'. Returns the length snprintf reports. */
int osw_config_key(const osw_sweep_opts *o, char *buf, size_t len);

/* Prepares out_dir: creates it, or refuses a non-empty one without force.
 * Returns 0, OSW_EEXIST or -errno with err set. */
int osw_prepare_out_dir(const char *dir, int force, char *err);

#endif

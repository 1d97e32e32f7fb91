/* measure.h: the in-process executor. One configuration of a kernel: setup
 * -> warm-up -> calibrated timed samples (fixed or adaptive) -> verify ->
 * teardown, with the threads and schedule set through the OpenMP API; plus
 * the memory check and the resume key of a kernel sweep. */
#ifndef OSW_MEASURE_H
#define OSW_MEASURE_H

#include "csv.h"
#include "engine.h"
#include "kernel.h"
#include "sysinfo.h"

#include <stddef.h>

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
    /* Optional: called between timed samples and warm-up runs, outside the
     * timed region (the progress line keeps ticking). */
    void (*tick)(void *self);
    void *tick_self;
} osw_sampling;

/* Samples one configuration may take under s. */
int osw_sampling_cap(const osw_sampling *s);

/* Process CPU time in seconds (CLOCK_PROCESS_CPUTIME_ID): every thread's. */
double osw_process_cpu_s(void);

/* Over the probe slots of threads threads: the largest busy time and the
 * sum (for imbalance = (max - sum / count) / max). Returns the count. */
int osw_probe_totals(int threads, double *busy_max, double *busy_sum);

/* The largest team (omp_get_num_threads()) the probe slots of threads
 * threads saw since the last osw_probe_reset: the threads that ran the
 * loop, below threads when the runtime shrank the team; 0 when no kernel
 * loop ran. */
int osw_probe_team(int threads);

/* Why the OpenMP runtime may run a team of fewer than threads threads, from
 * its settings (omp_get_thread_limit, omp_get_max_active_levels,
 * omp_get_dynamic) and the variables that set them (OMP_THREAD_LIMIT,
 * OMP_MAX_ACTIVE_LEVELS, OMP_NESTED, OMP_DYNAMIC, KMP_DEVICE_THREAD_LIMIT,
 * KMP_ALL_THREADS): the causes, "; "-separated, into why ("" when none).
 * Returns the largest team the settings allow for sure: threads when at
 * most dynamic adjustment (which follows the load) may shrink it. */
int osw_team_limit(int threads, char *why, size_t len);

/* Starts one team of threads threads in a child process, so that a runtime
 * that cannot create them ends the child, not this process: libgomp prints
 * "Thread creation failed" and exits 1, libomp prints "OMP: Error #34" and
 * aborts, e.g. when OMP_STACKSIZE asks more stack per thread than the
 * system grants, or at ulimit -u or a cgroup's pids limit. The child
 * re-executes this program (/proc/self/exe OSW_THREADS_PROBE THREADS, with
 * the CPUs it was started with), whose main hands that to
 * osw_threads_probe_main, so the team starts in a runtime of its own: a
 * forked child inherits this process's runtime, which LLVM libomp does not
 * reinitialise there (osw_runtime_fork_safe: its fork handler aborts with an
 * explicit OMP_PLACES list). Returns 0 when the team started (or the
 * check itself could not run: no pipe, fork or exec), OSW_ETHREADS with err
 * (OSW_ERRLEN) holding the runtime's message on one line and what to check.
 * Call it before this process's first parallel region of more than one
 * thread. */
int osw_threads_start(int threads, char *err);

/* The first argument that makes a program's main call osw_threads_probe_main
 * (ompsweep's does, before anything else). */
#define OSW_THREADS_PROBE "--internal-threads-probe"

/* The re-executed child of osw_threads_start: starts one team of the
 * threads given in text. Returns the exit status: 0 when a team started,
 * 125 when it did not (or text is not a count). */
int osw_threads_probe_main(const char *text);

/* Seconds one call of k at size n takes on one thread, estimated: setup and
 * two calls (one to warm up) at a size m <= n whose call takes about
 * target_s (from 1024 upwards, or n when smaller), scaled linearly to n
 * (time is linear in n for every kernel). Runs in this process on one
 * thread with the static schedule; the thread count and schedule are
 * restored. NaN when a setup fails. Cache-resident sizes run faster per
 * element than large arrays, so memory-bound kernels are underestimated. */
double osw_estimate_call_s(const osw_kernel *k, size_t n, double target_s);

/* Upper bound on kernel calls inside one sample. */
#define OSW_MAX_INNER 100000000L

/* How many calls of k make one sample at least min_sample_s long (so the
 * timer's resolution never dominates), found by running it: 1 when one call
 * is long enough, at most OSW_MAX_INNER. */
long osw_calibrate(const osw_kernel *k, void *ctx, double min_sample_s);

/* Measures one configuration (threads and schedule already applied) with
 * sampling s: seconds has room for osw_sampling_cap(s) samples; row gets
 * everything but its identity columns and the derived ones (reps taken,
 * stop_reason "fixed", "ci", "max_reps" or "max_time"; threads_ran the team
 * the probe saw, imbalance over that team). Returns 0 or the setup's
 * negative error. */
int osw_measure_sampled(const osw_kernel *k, size_t n, const osw_sampling *s, int warmup,
                        double min_sample_s, osw_row *row, double *seconds);

/* One configuration measured in blocks of samples, for --order interleaved
 * and a live search: the same steps as osw_measure_sampled, cut where
 * other configurations may run in between.
 *   open   setup, `warmup` runs, calibration (threads and schedule already
 *          applied; they are the configuration's from then on);
 *   more   up to k more samples into seconds[count..) (room for
 *          osw_sampling_cap(s)), fewer when s's stopping rule is met (done);
 *          a block that follows another configuration's kernel in this
 *          process first re-runs `warmup` untimed calls (its caches and the
 *          runtime's team were the other's). The caller re-applies the
 *          threads and schedule before each block. Each session keeps its
 *          own probe slots between blocks, so imbalance and placement are
 *          its own. Returns the samples taken;
 *   close  verify, teardown, and the row as osw_measure_sampled fills it
 *          from all its samples (seconds[0..count)); frees the session;
 *   abort  teardown without a row. */
typedef struct osw_session osw_session;
int osw_session_open(const osw_kernel *k, size_t n, const osw_sampling *s, int warmup,
                     double min_sample_s, osw_session **out);
int osw_session_more(osw_session *x, size_t k, double *seconds);
int osw_session_done(const osw_session *x);
int osw_session_close(osw_session *x, osw_row *row, const double *seconds);
void osw_session_abort(osw_session *x);

/* osw_measure_sampled with reps fixed samples. Exposed for the tests. */
int osw_measure(const osw_kernel *k, size_t n, int reps, int warmup, double min_sample_s,
                osw_row *row, double *seconds);

/* The in-process executor (engine.h): threads by omp_set_num_threads, the
 * schedule by omp_set_schedule, then osw_measure_sampled; records the CPUs
 * and migrations the probe saw (of the threads that ran), warns once when
 * two threads shared a physical core although there were cores enough, and
 * once when a team ran fewer threads than asked (threads_ran < threads),
 * naming the cause (osw_team_limit). */
typedef struct osw_inproc {
    osw_sampling sampling;
    int warmup;
    double min_sample_s;
    /* private */
    int *core_of, ncpu, cores, warned, team_warned;
} osw_inproc;

/* Fills ex for x (which must outlive ex). Returns 0 or -ENOMEM. */
int osw_inproc_executor(osw_inproc *x, osw_executor *ex);
void osw_inproc_free(osw_inproc *x);

/* Checks every configuration's arrays fit in available memory: a rank
 * holds n_local = ceil(n / ranks) units and node_ranks ranks share a node.
 * Returns 0, or OSW_ETOOBIG with err set. */
int osw_check_memory(const osw_plan *p, int ranks, int node_ranks, char *err);

/* What --resume compares (rundir.h): every setting that changes a kernel
 * sweep's figures. The order and seed are not part of it. */
typedef struct osw_key_settings {
    const osw_sysinfo *sys;
    const osw_sampling *sampling;
    int warmup;
    double min_sample_s;
    int huge_pages;      /* 1 on, 0 off */
    size_t array_offset; /* bytes */
} osw_key_settings;

/* The key into buf: fields name=value separated by ';'. Returns the length
 * snprintf reports. */
int osw_config_key(const osw_key_settings *k, char *buf, size_t len);

#endif

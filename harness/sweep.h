/* sweep.h: the plan (kernels x sizes x schedules x threads) and its
 * measurement. Writes summary.csv, samples.csv and meta.json into the out
 * dir, one whole row per configuration as it finishes. */
#ifndef OSW_SWEEP_H
#define OSW_SWEEP_H

#include "csv.h"
#include "kernel.h"
#include "meta.h"
#include "parse.h"
#include "sysinfo.h"

#include <signal.h>

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
} osw_sweep_opts;

/* Set by the SIGINT/SIGTERM handler: the sweep stops after the current row. */
extern volatile sig_atomic_t osw_stop_signal;

/* Checks the plan before anything is allocated or written: every (kernel, n)
 * must fit in available memory. Returns 0, or OSW_ETOOBIG with err set. */
int osw_sweep_check(const osw_sweep_opts *o, char *err);

/* Runs the sweep. Returns 0 when it ran to the end (*unverified counts the
 * rows that failed verification), OSW_EINTR when a signal stopped it after a
 * whole row, or a negative error with err set (nothing is left half written). */
int osw_sweep_run(const osw_sweep_opts *o, int *unverified, char *err);

/* Measures one configuration (threads and schedule already applied) and
 * fills row (but not speedup) and seconds[0..reps). Returns 0 or -ENOMEM
 * from setup. Exposed for the tests. */
int osw_measure(const osw_kernel *k, size_t n, int reps, int warmup, double min_sample_s,
                osw_row *row, double *seconds);

/* Prepares out_dir: creates it, or refuses a non-empty one without force.
 * Returns 0, OSW_EEXIST or -errno with err set. */
int osw_prepare_out_dir(const char *dir, int force, char *err);

#endif

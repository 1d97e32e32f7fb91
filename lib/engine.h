/* engine.h: the one sweep loop. axes -> plan -> executor -> derive -> sinks.
 *
 * Axes. An axis is data: a name, its values, and how a value reaches the
 * configuration (a kernel, a size, a schedule, a thread count, or a
 * VARIABLE=value of the process environment). The plan is their cartesian
 * product, axes in the order given (outermost first) with threads always
 * innermost and ascending, so each series' 1-thread row comes first in
 * sequential order. A new axis is a new entry in a plan, not a new loop.
 *
 * Order. Sequential runs the plan in that order; shuffled runs the same
 * configurations in a Fisher-Yates permutation drawn from a counter-based
 * generator (osw_rng) and the seed, recorded in meta.json, so a seed
 * replays its order; interleaved takes the samples in rounds across the
 * configurations (block samples of each per round, a seeded order per
 * round), and a sampler (a search) asks for the samples it wants.
 *
 * Executors. An executor measures one configuration: the in-process kernel
 * executor (measure.h), the MPI collective (mpi/), the external program
 * (external.h). A configuration whose environment axes the OpenMP runtime
 * reads only at start-up (OMP_PROC_BIND, OMP_PLACES, OMP_WAIT_POLICY ...)
 * needs its own process: an executor says whether it can apply environment
 * axes (env_axes); the in-process executor cannot, the external one can, and
 * a child-process executor of the kernels would.
 *
 * Derive. One rule for every command (osw_derive): speedup, efficiency and
 * their CI against the verified 1-thread row of the same configuration
 * (same kernel column, n, schedule, chunk); overhead_ns against the verified
 * 1-thread row of plain `static` with the default chunk of the same kernel
 * and n. p in efficiency and overhead_ns is the team that ran (threads_ran,
 * where the executor measured it), not the threads asked for. A row without
 * its verified baseline, or itself unverified, gets empty cells. Rows are derived as they stream
 * out where the baseline is already measured, and all rows again at the end (rundir.h's final
 * pass).
 *
 * Sinks. The engine never prints: progress, the console table, notes and
 * warnings go to the caller's sink callbacks; the rows go to the run
 * directory (rundir.h). */
#ifndef OSW_ENGINE_H
#define OSW_ENGINE_H

#include "csv.h"
#include "kernel.h"
#include "meta.h"
#include "parse.h"
#include "rows.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

/* ---- axes and the plan ---- */

enum osw_axis_kind {
    OSW_AXIS_KERNEL,   /* values: kernels */
    OSW_AXIS_SIZE,     /* values: n */
    OSW_AXIS_ENV,      /* values: words; sets VARIABLE=word in the run's environment
                          (OSW_ENV_UNSET: unsets VARIABLE) */
    OSW_AXIS_SCHEDULE, /* values: osw_sched_item */
    OSW_AXIS_THREADS,  /* values: thread counts (sorted ascending by the plan) */
};

/* One schedule value: the OpenMP schedule and the CSV's schedule name; set 0
 * leaves the runtime's schedule as inherited (the name then says what it is,
 * e.g. "default"). */
typedef struct osw_sched_item {
    osw_schedule s;
    int set;
    char name[32];
} osw_sched_item;

/* An ENV axis value that unsets the variable (the runtime's default), never
 * sets it empty: libgomp rejects an empty OMP_WAIT_POLICY. */
#define OSW_ENV_UNSET "default"

typedef struct osw_axis {
    int kind;         /* enum osw_axis_kind */
    const char *name; /* "kernel", "n", "OMP_PROC_BIND", "schedule", "threads" */
    size_t count;
    const osw_kernel *const *kernels;
    const size_t *sizes;
    const char *const *words;
    const osw_sched_item *schedules;
    const int *threads;
    /* THREADS, optional: per value, a nested team "2,2" (OMP_NUM_THREADS's
     * list; threads holds the product) or NULL for one level. */
    const char *const *nest;
} osw_axis;

#define OSW_MAX_AXES 16

typedef struct osw_plan {
    osw_axis axes[OSW_MAX_AXES];
    size_t naxes;
    const char *label; /* kernel column when no KERNEL axis (a program's name) */
    int *threads;      /* the THREADS axis, sorted (owned) */
    const char **nest; /* its nests, in the same order (owned; NULL when none) */
    size_t total;      /* configurations */
} osw_plan;

/* One configuration of the plan. */
typedef struct osw_config {
    size_t index;             /* position in sequential order */
    const osw_kernel *kernel; /* NULL without a KERNEL axis */
    size_t n;                 /* 0 without a SIZE axis and without kernel */
    int threads;
    const osw_sched_item *schedule;
    char label[64]; /* the kernel column */
    /* "VARIABLE=value" the configuration sets besides OMP_NUM_THREADS and
     * OMP_SCHEDULE: a nested team's OMP_MAX_ACTIVE_LEVELS, then each ENV
     * axis's, in axis order; value OSW_ENV_UNSET: unset VARIABLE. */
    char env[OSW_MAX_AXES + 1][160];
    size_t nenv;
    /* A nested team: OMP_NUM_THREADS's list ("2,2"), "" for one level. */
    char nest[32];
    /* The row's env column: "OMP_NUM_THREADS=<nest>;" for a nested team,
     * then env[] joined by ';' (see schema.def). */
    char env_text[256];
} osw_config;

/* Builds the plan from axes[0..naxes) (copied; the values are borrowed and
 * must outlive the plan). Exactly one THREADS and one SCHEDULE axis; a SIZE
 * axis may be absent (then each kernel's default_n, or n = 0). Returns 0,
 * OSW_EUSAGE or -ENOMEM. */
int osw_plan_init(osw_plan *p, const osw_axis *axes, size_t naxes, const char *label);
/* 1 when the plan's configurations need a process of their own (an ENV
 * axis or a nested team). */
int osw_plan_needs_process(const osw_plan *p);
/* {"NAME": [values...], ...} of the plan's ENV axes in the env column's
 * order (a nested team's "OMP_NUM_THREADS": [lists] first), or NULL when
 * the plan has none (or out of memory). */
struct cJSON *osw_plan_env_json(const osw_plan *p);
void osw_plan_free(osw_plan *p);

/* Configuration i (sequential order) of p into c. */
void osw_plan_config(const osw_plan *p, size_t i, osw_config *c);

/* The counter-based generator behind the shuffle: a 64-bit value that
 * depends only on (seed, counter) (SplitMix64's finaliser). */
uint64_t osw_rng(uint64_t seed, uint64_t counter);

/* Permutes idx[0..count) in place (Fisher-Yates; draw i takes counter i;
 * unbiased bounded draws by rejection). */
void osw_shuffle(size_t *idx, size_t count, uint64_t seed);

/* ---- executors and sinks ---- */

/* What an executor observes besides the row (meta.json's cpus_used and
 * thread_migrations, and warnings), kept by the engine. */
typedef struct osw_observed osw_observed;
/* Records the CPUs of a thread count's first configuration (once per count). */
void osw_observed_cpus(osw_observed *o, int threads, const int *cpus, int ncpus);
/* Records runs in which a thread changed CPU, for the row's configuration. */
void osw_observed_migrations(osw_observed *o, const osw_row *row, long runs);
/* Between samples: redraws the progress line (at most twice a second), so
 * that the elapsed time keeps ticking during a long configuration. Takes the
 * osw_observed as void * to serve as a callback. */
void osw_observed_tick(void *observed);
/* Records configuration c's placement (placement.h) for meta.json:
 * its teams per level, each thread's CPUs, the verdict and why. */
struct osw_placement;
void osw_observed_placement(osw_observed *o, const osw_config *c, const struct osw_placement *p,
                            const char *verdict, const char *why);
/* A warning: to the sinks and meta.json (once). */
void osw_observed_warn(osw_observed *o, const char *text);

/* What a child process observed (osw_measure_config's JSON) into o: its
 * warnings, cpus and migrations, as if observed here. */
void osw_observed_merge(osw_observed *o, const struct cJSON *child);

typedef struct osw_executor {
    void *self;
    int env_axes; /* 1 when it applies ENV axes (runs configurations in their own process) */
    /* Samples one configuration may take (room in seconds[]). */
    size_t max_samples;
    /* Optional: called once the run directory is ready, before the first
     * configuration (exec clears and creates logs/). 0 or a negative code. */
    int (*begin)(void *self, const char *out_dir, char *err);
    /* Measures c (NULL: the engine runs open, more and close below in one
     * go): fills row's measurement (reps, statistics, verified,
     * rel_err, result, imbalance, cpu_per_wall, inner, ranks, bound, status,
     * stop_reason, huge_page_share) and seconds[0..row->reps); the engine
     * fills the identity columns. Returns 0 (a failed verification is a row
     * with verified 0), OSW_EINTR when a stop signal cut it short, or a
     * negative error with err set. Collective for the MPI executor. */
    int (*measure)(void *self, const osw_config *c, osw_row *row, double *seconds,
                   osw_observed *obs, char *err);
    /* Optional, for --order interleaved and a live search: a configuration
     * measured in blocks of samples. open sets c up (its arrays, warm-up,
     * calibration) into *state; more appends up to k more samples to
     * seconds, the configuration's whole array (room for max_samples),
     * sets *done once the sampling rule is met and returns how many it
     * took (or a negative error); close fills row's measurement like
     * measure from all the samples and frees the state; abort frees it
     * without a row. An executor without them runs only the sequential and
     * shuffled orders. */
    int (*open)(void *self, const osw_config *c, void **state, osw_observed *obs, char *err);
    int (*more)(void *self, const osw_config *c, void *state, size_t k, double *seconds, int *done,
                osw_observed *obs, char *err);
    int (*close)(void *self, const osw_config *c, void *state, osw_row *row, const double *seconds,
                 osw_observed *obs, char *err);
    void (*abort)(void *self, void *state);
    /* Optional: the signal that asks the sweep to stop, 0 for none (the MPI
     * executor makes every rank agree). NULL: osw_stop_signal. */
    int (*stop)(void *self);
    /* Optional: makes every process agree on rc (MPI); NULL: rc. */
    int (*agree)(void *self, int rc);
} osw_executor;

typedef struct osw_sink {
    void *self;
    /* Before a configuration is measured: progress. */
    void (*start)(void *self, const osw_config *c, long done, long total, long measured, long todo,
                  double elapsed_s);
    /* After its rows are written (derived columns as far as known). Returns
     * 0 or a negative error (an extra file the sink writes) with err set. */
    int (*row)(void *self, const osw_config *c, const osw_row *row, const double *seconds,
               char *err);
    /* One line for the user: important 1 for a warning or a repair of the
     * out dir, 0 for information a --quiet run leaves out. */
    void (*note)(void *self, int important, const char *line);
} osw_sink;

/* ---- the sweep ---- */

/* A sampler picks the blocks itself instead of the sweep's loop (a search:
 * tune --search --run): drive is called once, between the run directory's
 * opening and its final pass, and takes samples with osw_take_samples; a
 * configuration it never asks for gets no row. Needs an executor with
 * open/more/close/abort. */
typedef struct osw_take osw_take;
typedef struct osw_sampler {
    void *self;
    int (*drive)(void *self, osw_take *t, char *err);
} osw_sampler;

/* k more samples of plan configuration index, taken in round `round`, into
 * out[0..k) (and its samples.csv rows). The configuration is set up on its
 * first request and stays open between requests; when the open ones' arrays
 * would not fit in three quarters of the available memory (or more than 512
 * are open), the least recently used is closed (verified, its samples kept)
 * and set up again if asked again. At the end each measured configuration
 * gets one row: statistics over all its samples, verified when every
 * set-up of it verified, its other measurements (imbalance, cpu_per_wall,
 * energy) from its last set-up. A configuration takes at most the
 * executor's max_samples. Returns 0, OSW_EINTR (a stop signal), OSW_EUSAGE
 * (more than max_samples), OSW_EFORMAT (the configuration stopped short: a
 * failed run; its row, unverified, is written at the end) or a negative
 * error with err set. */
int osw_take_samples(osw_take *t, size_t index, size_t k, int round, double *out, char *err);

typedef struct osw_sweep {
    const osw_plan *plan;
    const osw_executor *ex;
    const osw_sink *sink; /* may be NULL */
    int writer;           /* 1: this process writes the files (MPI: rank 0 only) */
    const char *out_dir;
    int force;  /* replace the out dir's result files */
    int resume; /* measure only what the out dir's summary.csv lacks */
    int shuffled;
    /* --order interleaved: samples in rounds of `block` per configuration
     * across the configurations (engine.c's interleave); needs an executor
     * with open/more/close/abort. The seed orders each round. */
    int interleaved, block;
    const osw_sampler *sampler; /* NULL: the loop (or interleave) */
    uint64_t seed;
    const char *config_key;         /* what --resume compares, recorded in meta.json */
    const char *const *extra_files; /* more result files --force replaces (NULL-terminated) */
    osw_meta *meta; /* caller-filled provenance; the engine adds status and counts */
} osw_sweep;

/* Set by the CLI's SIGINT/SIGTERM/SIGHUP handler: the sweep stops after the
 * current configuration. */
extern volatile sig_atomic_t osw_stop_signal;

/* Measures configuration index of plan with ex outside a sweep (the child
 * side of the child-process executor, child.h): row gets the measurement
 * and the identity columns, seconds the samples (room for ex->max_samples),
 * *observed what the executor observed: {"warnings": [...], "cpus": {...},
 * "migrations": {...}} (cJSON_Delete it). Returns what ex->measure
 * returns. */
int osw_measure_config(const osw_plan *plan, size_t index, const osw_executor *ex, osw_row *row,
                       double *seconds, struct cJSON **observed, char *err);

/* Runs the sweep. Returns 0 when it ran to the end (*unverified counts the
 * rows that failed verification), OSW_EINTR when a signal stopped it after
 * a whole row (*signal_out says which), or a negative error with err set
 * (nothing left half written). */
int osw_sweep_run(const osw_sweep *s, long *unverified, int *signal_out, char *err);

#endif

/* sweep.h: what `ompsweep run`, `ompsweep exec` and `ompsweep-mpi run`
 * share on the command side: turning parsed options and the OMP_*
 * environment into the plan's axes, the warnings of a sweep, the default
 * output directory, and the console sink (progress line, table, notes).
 * The loop itself is the library's (lib/engine.h). */
#ifndef OSW_CLI_SWEEP_H
#define OSW_CLI_SWEEP_H

#include "engine.h"
#include "envaxis.h"
#include "meta.h"
#include "options.h"
#include "sysinfo.h"

#define OSW_CLI_WARNINGS 8

typedef struct osw_cli_sweep {
    osw_args args;
    const char *prefix; /* "ompsweep", "ompsweep exec", "ompsweep-mpi" */
    int speak;          /* 1: this process prints (MPI: rank 0 only) */
    osw_sysinfo sys;
    osw_meta meta;
    /* the lists (owned) */
    const osw_kernel **kernels;
    size_t nkernels;
    size_t *sizes;
    size_t nsizes;
    int *threads;
    size_t nthreads;
    osw_schedule *schedules;
    osw_sched_item *items;
    size_t nitems;
    const char *
        *nests; /* per thread value: "2,2" for a nested team, or NULL (owned, may be NULL) */
    /* the environment axes (--bind, --places, --wait-policy, --spin-count,
     * --blocktime, --env), in that order */
    osw_env_axis envs[OSW_MAX_AXES];
    size_t nenvs;
    /* the plan */
    osw_axis axes[OSW_MAX_AXES];
    size_t naxes;
    osw_plan plan;
    char out_default[512];
    char started[32];
    char warnings[OSW_CLI_WARNINGS][OSW_WARNLEN];
} osw_cli_sweep;

/* The start of every sweep command: parses argv as cmd's options into
 * s->args (--help prints the usage), reads the system and fills the
 * provenance every meta.json has (command line, start time, ranks). speak:
 * this process prints. Returns -1 to go on, else the exit status (usage
 * printed, or the error printed as "PREFIX: ... (see NAME --help)"). */
int osw_cli_sweep_begin(osw_cli_sweep *s, unsigned cmd, const char *prefix, int speak, int argc,
                        char **argv, int full_argc, char **full_argv, int ranks);

/* Parses the lists of a sweep (kernels for run and MPI; sizes; threads:
 * the flag's pow2/all count flag_cores, the default goes up to
 * default_cores, and exec's nested teams AxB; schedules; the environment
 * axes). Returns 0 or an exit status with the message in err. */
int osw_cli_sweep_lists(osw_cli_sweep *s, int flag_cores, int default_cores, char *err);

/* Adds a warning (stored for meta.json); print 1 also writes it to stderr. */
void osw_cli_warn(osw_cli_sweep *s, int print, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The warnings every sweep gives: unbound threads, oversubscription, SMT
 * (kernel sweeps). threads_per_node: the largest total threads of a node. */
void osw_cli_sweep_warnings(osw_cli_sweep *s, int print, long threads_per_node);

/* Builds the plan: KERNEL (when kernels), SIZE (when --sizes), the ENV
 * axes, SCHEDULE, THREADS. label is the kernel column without a KERNEL
 * axis. Returns 0 or an exit status. */
int osw_cli_sweep_plan(osw_cli_sweep *s, const char *label, char *err);

/* --out, or the default name ompsweep[-exec|-mpi]-HOST-YYYYmmdd-HHMMSS. */
const char *osw_cli_out_dir(osw_cli_sweep *s, const char *stem);

/* The default shortest sample: max(100 us, 1000 ticks of omp_get_wtime). */
double osw_cli_min_time(const osw_args *a);

void osw_cli_sweep_free(osw_cli_sweep *s);

/* SIGINT, SIGTERM and SIGHUP set osw_stop_signal: the sweep stops after the
 * current configuration; a second one kills at once (the rows written stay
 * whole). */
void osw_cli_catch_signals(void);

/* ---- the console sink ---- */

enum {
    OSW_TABLE_CPU = 1,    /* cpu/wall column (exec) */
    OSW_TABLE_STATUS = 2, /* the status word (exec) */
    OSW_TABLE_REPS = 4,   /* reps taken and why (adaptive) */
    OSW_TABLE_RESULT = 8, /* the kernel's result (MPI) */
    OSW_TABLE_RANKS = 16, /* the ranks column (MPI) */
    OSW_TABLE_ENV = 32,   /* the env column, last (environment axes) */
};

typedef struct osw_console {
    const char *prefix;
    int quiet, progress;
    unsigned columns;
    int kernel_width; /* the widest kernel column (osw_console_kernel_width) */
    int header_done;
    /* Optional: more text at the end of a table line (MPI's rank spread). */
    void (*extra)(void *self, const osw_row *row, char *buf, size_t len);
    void *extra_self;
    /* Optional: a second row callback (MPI's ranks.csv). */
    int (*row)(void *self, const osw_row *row, char *err);
    void *row_self;
    /* Optional: why a configuration failed (exec: the run's status and
     * log; MPI: the failing ranks); else its rel_err. */
    void (*failure)(void *self, const osw_row *row, char *buf, size_t len);
    void *failure_self;
    long misplaced; /* rows whose placement is neither "" nor ok */
} osw_console;

/* After the sweep: one line for the rows that did not run where asked. */
void osw_console_finish(const osw_console *c);

void osw_console_sink(osw_console *c, osw_sink *sink);

/* The longest kernel column of the plan's configurations. */
int osw_console_kernel_width(const osw_plan *p);

/* The exit status of a finished sweep, with its last message. */
/* ompsweep run's sweep of s (plan and lists made): its executor, console
 * and files, then the engine; sampler NULL: the whole plan, else the
 * sampler picks the blocks (tune --search --run). Returns the exit status,
 * its line said. */
int osw_cli_run_sweep(osw_cli_sweep *s, const osw_sampler *sampler, char *err);

/* ompsweep exec's settings of s into x (the program, its reps, metric,
 * --check), the lists and the plan (label: the program's name, room for
 * label_len bytes). Returns 0 or an exit status, err set. */
struct osw_external;
struct cJSON;
int osw_cli_exec_prepare(osw_cli_sweep *s, struct osw_external *x, char *label, size_t label_len,
                         struct cJSON **meta_check, char *err);
/* ompsweep exec's sweep of s through x (prepared), as osw_cli_run_sweep;
 * frees x. Returns the exit status, its line said. */
int osw_cli_exec_sweep(osw_cli_sweep *s, struct osw_external *x, const char *label,
                       const osw_sampler *sampler, char *err);

int osw_cli_sweep_status(const osw_cli_sweep *s, int rc, long unverified, int sig, const char *err,
                         const char *files);

#endif

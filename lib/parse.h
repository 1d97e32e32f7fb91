/* parse.h: the command-line list syntaxes (threads, sizes, schedules,
 * kernels). Pure: no printing; each parser fills err (one line, no newline)
 * when it fails and returns OSW_EUSAGE; the caller owns what it returns and
 * frees it with free(). */
#ifndef OSW_PARSE_H
#define OSW_PARSE_H

#include "kernel.h"

#include <omp.h>
#include <stddef.h>

#define OSW_ERRLEN 1024

/* Largest size accepted (elements or work units): 2^48. */
#define OSW_MAX_SIZE ((size_t)1 << 48)

typedef struct osw_schedule {
    omp_sched_t kind; /* omp_sched_static, _dynamic, _guided or _auto */
    int modifier;     /* +1 monotonic, -1 nonmonotonic, 0 none given */
    int chunk;        /* > 0, or 0 for the runtime's default */
    /* enum osw_taskloop_mode (kernel.h): OSW_TASKLOOP_NONE for a worksharing
     * `for` schedule; GRAINSIZE or NUM_TASKS for `taskloop:grainsize:G` or
     * `taskloop:num_tasks:N`, whose G or N is chunk (kind is then static,
     * modifier 0: not an OMP_SCHEDULE value). */
    int taskloop;
} osw_schedule;

/* Threads: comma-separated N, A-B, A-B:STEP, `pow2` (1, 2, 4, ... up to
 * ncores, then ncores) or `all` (1..ncores). Each count in 1..OSW_MAX_THREADS.
 * Duplicates are dropped, order is kept. */
int osw_parse_threads(const char *text, int ncores, int **out, size_t *count, char *err);

/* One size: an integer (`1000000`), a decimal exponent (`1e6`, must be
 * whole), a power (`2^24`), or a number with an SI suffix K, M, G, T (powers
 * of 1000) or Ki, Mi, Gi, Ti (powers of 1024): `100M`, `16Mi`. 0 is accepted
 * here; callers that need n >= 1 check. Range 0..OSW_MAX_SIZE. */
int osw_parse_size(const char *text, size_t *out, char *err);

/* Sizes: comma-separated sizes as osw_parse_size takes them, each >= 1. */
int osw_parse_sizes(const char *text, size_t **out, size_t *count, char *err);

/* Schedules: comma-separated items [monotonic:|nonmonotonic:]KIND[:CHUNK],
 * KIND one of static, dynamic, guided, auto. A bare number after an item
 * adds another chunk of the same kind (`dynamic:1,4,16`); CHUNK `pow2` stands
 * for 1, 2, 4, ..., 1024. auto takes no chunk and no modifier; nonmonotonic
 * goes with dynamic and guided only (OpenMP 5.2, 11.5.3). Besides these,
 * `taskloop:grainsize:G` and `taskloop:num_tasks:N` (G, N as CHUNK, lists
 * and pow2 included; a value is required, no modifier) run a kernel's loop
 * as an OpenMP taskloop (osw_taskloop in kernel.h). */
int osw_parse_schedules(const char *text, osw_schedule **out, size_t *count, char *err);

/* OMP_SCHEDULE's own syntax: [modifier:]kind[,chunk]. One schedule. */
int osw_parse_omp_schedule(const char *text, osw_schedule *out, char *err);

/* A schedule without its chunk, [monotonic:|nonmonotonic:]KIND exactly as
 * written (lower case, no space), with the modifier rules of
 * osw_parse_schedules, or taskloop:grainsize or taskloop:num_tasks:
 * summary.csv's schedule column. Allocates nothing.
 * Returns 0 (out->chunk 0) or OSW_EUSAGE with err set. */
int osw_parse_schedule_name(const char *text, osw_schedule *out, char *err);

/* Where `ompsweep` keeps an OMP_NUM_THREADS the OpenMP runtimes cannot
 * parse, after taking it out of the environment (main.c). */
#define OSW_SAVED_NUM_THREADS "OSW_IGNORED_OMP_NUM_THREADS"

/* OMP_NUM_THREADS as the user gave it: the variable, else the malformed
 * value main moved aside; NULL when neither is set. */
const char *osw_env_num_threads(void);

/* Length of a warning from the pickers below. */
#define OSW_WARNLEN (OSW_ERRLEN + 128)

/* The threads of a sweep, and where they came from (*source): the --threads
 * list flag when given ("--threads", pow2/all up to flag_cores), else
 * OMP_NUM_THREADS's first level (env; "4,2" lists nested levels) when it is
 * a count 1..OSW_MAX_THREADS ("OMP_NUM_THREADS"), else pow2 up to
 * default_cores ("default"). warn gets one line when env is set but not
 * used, else "". Returns 0, OSW_EUSAGE with err set, or -ENOMEM. */
int osw_pick_threads(const char *flag, const char *env, int flag_cores, int default_cores,
                     int **out, size_t *count, const char **source, char *warn, char *err);

/* The schedules of a sweep, likewise: the --schedules flag, else a valid
 * OMP_SCHEDULE (env), else static,dynamic:1024,guided; warn says why an env
 * value was ignored. */
int osw_pick_schedules(const char *flag, const char *env, osw_schedule **out, size_t *count,
                       const char **source, char *warn, char *err);

/* Kernels: comma-separated names from the registry, `all` (every loop
 * kernel), a construct family (`syncbench`, `taskbench`, `arraybench`) or
 * `constructs` (every construct kernel); duplicates are dropped. */
int osw_parse_kernels(const char *text, const osw_kernel ***out, size_t *count, char *err);

/* Formats s as the CSV's schedule column ("nonmonotonic:dynamic"); returns
 * buf. len >= 32 is always enough. */
const char *osw_schedule_name(const osw_schedule *s, char *buf, size_t len);

/* A whole decimal number in 0..max, digits only (no sign, no space): 1 and
 * *out, or 0. */
int osw_parse_u64(const char *text, unsigned long long max, unsigned long long *out);

/* --huge-pages on|off (1 or 0 in *on) and --array-offset B (a multiple of 64
 * in 0..2^30), shared by ompsweep run and ompsweep-mpi. Return 0, or
 * OSW_EUSAGE with the one-line message in err. */
int osw_parse_huge_pages(const char *text, int *on, char *err);
int osw_parse_array_offset(const char *text, size_t *out, char *err);

/* Sets the OpenMP runtime schedule from s (omp_set_schedule) and the
 * kernels' osw_taskloop (OSW_TASKLOOP_NONE for a `for` schedule; for a
 * taskloop one the runtime schedule is static, default chunk). */
void osw_schedule_apply(const osw_schedule *s);

/* The usage check of a sweep's schedules against its kernels: every
 * kernel must support taskloop (its descriptor's taskloop flag) when a
 * schedule is a taskloop one; nkernels 0 (exec: an external program, which
 * gets OMP_SCHEDULE) refuses taskloop schedules outright. Returns 0, or
 * OSW_EUSAGE with one line in err naming the kernels that support it. */
int osw_check_taskloop(const osw_kernel *const *kernels, size_t nkernels,
                       const osw_schedule *schedules, size_t nschedules, char *err);

#endif

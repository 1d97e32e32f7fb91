/* kernel.h: the contract between kernels and everything that runs them.
 *
 * A kernel is one .c file in kernels/ that ends with one exported descriptor
 * and one line in kernels.def. The harness, the tests and the Google Benchmark
 * shim include this header and nothing else from kernels/; kernels never
 * include harness headers.
 */
#ifndef OSW_KERNEL_H
#define OSW_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Upper bound on OpenMP threads the suite accepts and instruments. */
#define OSW_MAX_THREADS 4096

/* What a kernel's time is bound by; the harness and the plots use it. */
enum osw_kernel_kind {
    OSW_MEMORY_BOUND = 1, /* streams arrays: bandwidth (GB/s) is the figure of merit */
    OSW_CPU_BOUND = 2,    /* computes without memory traffic */
    OSW_WAITS = 3,        /* blocks (sleeps) rather than computes: oversubscription is meaningful */
};

/* How the scalar results of one kernel run on disjoint slices of [0, n) (the
 * ranks of an MPI run: each runs the kernel on its n_local elements, with
 * osw_index_base at its slice's start) combine into the result of the whole
 * problem. The harness combines by this rule and checks the combination
 * against the ranks' verified local results. */
enum osw_combine {
    /* No combined result: the kernel has no result hook, or its result does
     * not combine into the whole problem's (a sum mod 2^64 held in a double,
     * a minimum, a checksum of index-local work). The combined result is NaN
     * and the global check is every rank's own verify. */
    OSW_COMBINE_NONE = 0,
    /* The result is a mean over the slice's n_local units: the whole's is
     * sum(result_r * n_local_r) / n. */
    OSW_COMBINE_MEAN = 1,
    /* The result is a sum (or count) over the slice's units: the whole's is
     * sum(result_r). */
    OSW_COMBINE_SUM = 2,
};

typedef struct osw_kernel {
    const char *name;            /* stable id used by the CLI, the CSV and the tests */
    const char *summary;         /* one line for `ompsweep list` */
    const char *unit;            /* what one of the n counts, e.g. "element" */
    double bytes_per_elem;       /* memory traffic model, STREAM's way: bytes read + written */
    double ops_per_elem;         /* arithmetic model: operations per unit of n */
    double alloc_bytes_per_elem; /* bytes the kernel allocates per unit of n (memory check) */
    int kind;                    /* enum osw_kernel_kind */
    size_t default_n;            /* problem size of the default sweep */

    /* Allocate the kernel's state for size n and initialise it with parallel
     * first touch under the current thread count and schedule. Returns 0 and
     * sets *ctx, or a negative errno (-ENOMEM) with nothing allocated. */
    int (*setup)(void **ctx, size_t n);
    /* The timed loop. Idempotent (running it twice leaves the same result),
     * no I/O, no allocation. */
    void (*run)(void *ctx);
    /* Check the last run against an independent serial reference. Returns 1
     * when the result is within the derived tolerance, 0 when not; *rel_err
     * gets the relative error found. */
    int (*verify)(const void *ctx, double *rel_err);
    /* Free everything setup allocated. Accepts NULL. */
    void (*teardown)(void *ctx);
    /* Optional (NULL when the kernel has none): the last run's scalar result,
     * e.g. the mean; NaN before the first run. Written to the CSV's result
     * column and combined across MPI ranks by the rule in combine. */
    double (*result)(const void *ctx);
    /* enum osw_combine: how result combines across slices (MPI ranks). MEAN
     * and SUM need a result hook; every descriptor sets it, NONE included. */
    int combine;
    /* 1 when run honours osw_taskloop (below): the kernel's loop is a
     * sequence of independent items and it has a taskloop driver beside its
     * `for` driver, both calling one item function. 0: run always uses its
     * worksharing loop, and the harness refuses taskloop schedules for it. */
    int taskloop;
    /* NULL for a loop kernel. For a construct kernel (EPCC's method,
     * docs/kernels.md) the EPCC family it belongs to: "syncbench",
     * "taskbench" or "arraybench". Such a kernel's n counts executions of
     * one OpenMP construct around a calibrated delay, it ignores the
     * schedule, and its result is the overhead per execution in
     * nanoseconds: (median of its timed runs - reference time of the same
     * delays without the construct) / n. */
    const char *family;
} osw_kernel;

/* Global index of this process's first element (an MPI rank's offset into
 * the whole problem); 0 in a single process. The data generator adds it to
 * every index, so a rank's elements are those of the same positions in the
 * single-process run. Set before setup; kernels do not write it. */
extern uint64_t osw_index_base;

/* The taskloop schedule of the next runs, set by the harness (through
 * osw_schedule_apply) like osw_index_base, read by the run of a kernel whose
 * descriptor sets taskloop: mode OSW_TASKLOOP_NONE runs the kernel's
 * `omp for schedule(runtime)` loop; GRAINSIZE and NUM_TASKS run it as
 * `parallel` + `single` + `taskloop grainsize(value)` or `num_tasks(value)`
 * (value >= 1). Kernels do not write it. */
enum osw_taskloop_mode {
    OSW_TASKLOOP_NONE = 0,
    OSW_TASKLOOP_GRAINSIZE = 1,
    OSW_TASKLOOP_NUM_TASKS = 2,
};
typedef struct osw_taskloop_spec {
    int mode;   /* enum osw_taskloop_mode */
    long value; /* the clause's argument, >= 1 when mode is not NONE */
} osw_taskloop_spec;
extern osw_taskloop_spec osw_taskloop;

/* The iterations of the last taskloop a kernel's taskloop driver ran (its
 * items), written by the driver before the loop so that the harness can
 * tell how many tasks the runtime made of it; 0 before any. */
extern size_t osw_taskloop_items;

/* How kernel arrays are allocated: one value, set by the harness through
 * osw_alloc_set_policy before a setup (never by kernels).
 *  - huge_pages: 1 (the default) asks for transparent huge pages on arrays of
 *    2 MiB or more; 0 advises against them (4 KiB pages, as STREAM's static
 *    arrays get where THP is "madvise"). ompsweep run --huge-pages.
 *  - array_offset: bytes, used as a multiple of 64 (rounded down): the k-th
 *    array a setup allocates (k = 0, 1, ..., counted from osw_alloc_restart)
 *    starts k * array_offset bytes past its page (2 MiB) boundary, so that a
 *    kernel's streams need not share their address bits below 2 MiB
 *    (STREAM's OFFSET plays this part). 0 by default. ompsweep run
 *    --array-offset. Ignored under AddressSanitizer. */
typedef struct osw_alloc_policy {
    int huge_pages;
    size_t array_offset;
} osw_alloc_policy;

/* Makes *p the policy of every later allocation; NULL restores the default
 * {.huge_pages = 1, .array_offset = 0}. Not thread-safe: call it between
 * setups, from one thread. */
void osw_alloc_set_policy(const osw_alloc_policy *p);
/* The policy now in force. */
osw_alloc_policy osw_alloc_get_policy(void);

/* Bytes the allocator has advised for or against huge pages so far (whole
 * 2 MiB pages of arrays of at least 2 MiB). */
size_t osw_advised_bytes(void);

/* An address range [start, start + len). */
typedef struct osw_range {
    uintptr_t start;
    size_t len;
} osw_range;

/* The most advised ranges osw_advised_ranges keeps between two restarts
 * (a kernel allocates a few arrays). */
#define OSW_MAX_ADVISED 16

/* The ranges the allocator advised since osw_alloc_restart (each array's
 * whole 2 MiB pages), at most max of them into out; returns how many there
 * were (more than max, or than OSW_MAX_ADVISED, when some were not kept).
 * The harness reads how many huge pages back exactly these ranges for the
 * row's huge_page_share, so that huge pages elsewhere in the process never
 * count. */
size_t osw_advised_ranges(osw_range *out, size_t max);

/* Restarts the array count k of the array_offset policy and the advised
 * ranges: the harness calls it before each setup. */
void osw_alloc_restart(void);

/* The registry, expanded from kernels.def in list order. */
extern const osw_kernel *const osw_kernels[];
extern const size_t osw_kernel_count;

/* Returns the kernel named name, or NULL. */
const osw_kernel *osw_kernel_find(const char *name);

/* The CSV's `bound` word for kind: "memory", "cpu" or "wait"; "" when kind
 * is none of enum osw_kernel_kind. */
const char *osw_kind_name(int kind);

/* How the kernels were compiled, for meta.json: the widest vector ISA the
 * build targets ("avx512f", "avx2", "avx", "sse2"; "" elsewhere), with its
 * width in bits in *bits (0 when ""). */
const char *osw_kernel_isa(int *bits);
/* B when kernel name was compiled with -mprefer-vector-width=B (CMake's
 * OSW_WIDE_KERNELS where the ISA has B-bit vectors), 0 when it was compiled
 * with the compiler's own preference. */
int osw_kernel_prefer_width(const char *name);

/* Per-thread probe, written by every kernel's timed loop.
 *
 * Each thread adds the wall time it spends inside the worksharing loop to its
 * own slot (busy_s), so the harness can compute load imbalance; it also
 * records the CPU it ran on, counts the runs in which that CPU changed
 * between entering and leaving the loop, and keeps the largest team it was
 * part of (team: omp_get_num_threads(), which is below the threads asked for
 * when OMP_THREAD_LIMIT, OMP_DYNAMIC or OMP_MAX_ACTIVE_LEVELS shrank it).
 * Slots are padded to a cache line so that threads never share one. The
 * harness resets the slots before each sample and reads them after. */
typedef struct osw_thread_probe {
    double busy_s;
    int cpu;
    int migrations;
    int team;
    char pad[64 - sizeof(double) - 3 * sizeof(int)];
} osw_thread_probe;

extern osw_thread_probe osw_probe[OSW_MAX_THREADS];

/* What the probe records (osw_probe_mode; set by the harness between runs,
 * never by kernels; `ompsweep run --probe on|off`):
 *  OSW_PROBE_FULL (the default): all of the above: two timer reads and two
 *    sched_getcpu() per thread per call;
 *  OSW_PROBE_OFF: the team alone, one store per thread per call and no
 *    timer or CPU read, for overhead studies: busy_s stays 0 (the imbalance
 *    column is empty), cpu is -1 (not probed), migrations 0. */
enum osw_probe_mode { OSW_PROBE_OFF = 0, OSW_PROBE_FULL = 2 };
extern int osw_probe_mode;

/* Called by each thread as it enters the loop; returns the start stamp. */
double osw_probe_begin(int *cpu_begin);
/* Called by each thread as it leaves the loop (after a `nowait` loop, before
 * the region's barrier). */
void osw_probe_end(double t_begin, int cpu_begin);
/* Zeroes every slot; called by the harness between samples. */
void osw_probe_reset(void);

#ifdef __cplusplus
}
#endif

#endif

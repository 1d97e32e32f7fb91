/* main.c: ompsweep-mpi, the hybrid MPI + OpenMP sweep.
 *
 *   mpirun -np R [mapping] ompsweep-mpi run [the options of `ompsweep run`]
 *
 * Each rank owns a contiguous slice of every problem (n / R elements, one
 * more for the first n % R ranks) and runs the kernel on it with its own
 * OpenMP threads; the threads are swept within the one mpirun, as
 * `ompsweep run` sweeps them. Only rank 0 writes files: summary.csv and
 * samples.csv (the schema of `ompsweep run`; times are the slowest rank's,
 * `ranks` is the communicator size, GB/s counts the global n), meta.json, and
 * ranks.csv (one row per configuration and rank: that rank's own times, its
 * verification, its CPUs, and rank_spread = (max - min) / max of the per-rank
 * medians).
 *
 * Test hook: OSW_MPI_FAIL_RANK=r makes rank r corrupt its local result before
 * the global check (for a kernel without a result: fail its verification),
 * so that every row says verified=0 and every rank exits 1. */
#define _GNU_SOURCE
#include "csv.h"
#include "error.h"
#include "meta.h"
#include "mpi_measure.h"
#include "parse.h"
#include "sweep.h"
#include "sysinfo.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <mpi.h>
#include <omp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef OSW_VERSION
#define OSW_VERSION "unknown"
#endif

static const char usage_text[] =
    "usage: mpirun -np RANKS [mapping] ompsweep-mpi run [options]\n"
    "       ompsweep-mpi --help | --version\n"
    "\n"
    "Every rank measures its slice of each problem (n / RANKS elements) with its own\n"
    "OpenMP threads; a sample is the slowest rank's time. Options as `ompsweep run`\n"
    "(its adaptive sampling, --order and --resume excepted):\n"
    "  --kernels LIST    all, or names from `ompsweep list` (default: all)\n"
    "  --sizes LIST      global problem sizes: 1e6, 2^24, 100M, 16Mi, ... (default: each\n"
    "                    kernel's own size); each must be at least RANKS\n"
    "  --threads LIST    threads per rank: 1,2,4-16  1-16:2  pow2  all (default:\n"
    "                    OMP_NUM_THREADS, else pow2 up to the cores of one rank)\n"
    "  --schedules LIST  static, dynamic:64, guided:8, ... (default: OMP_SCHEDULE, else\n"
    "                    static,dynamic:1024,guided)\n"
    "  --reps N          timed samples per configuration (default 10)\n"
    "  --warmup N        discarded runs before timing (default 1)\n"
    "  --min-time SEC    shortest sample (default max(100 us, 1000 timer ticks))\n"
    "  --out DIR         output directory, written by rank 0 (default\n"
    "                    ompsweep-mpi-HOST-YYYYmmdd-HHMMSS)\n"
    "  --force           replace results in a non-empty --out directory\n"
    "  --quiet           no table on stdout\n"
    "  --huge-pages on|off, --array-offset B   the kernels' arrays, as in ompsweep run\n"
    "\n"
    "files: summary.csv, samples.csv (max over ranks), ranks.csv (per rank), meta.json\n"
    "exit status (the same on every rank): 0 all verified, 1 a verification failed on\n"
    "             some rank, 2 usage error, 3 resource error, 130/143 interrupted\n";

static int g_rank;

/* Prints "ompsweep-mpi: ..." on rank 0 only. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    if (g_rank != 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("ompsweep-mpi: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void on_signal(int sig)
{
    osw_stop_signal = sig;
}

static int cmp_int(const void *a, const void *b)
{
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

enum {
    OPT_KERNELS = 256,
    OPT_SIZES,
    OPT_THREADS,
    OPT_SCHEDULES,
    OPT_REPS,
    OPT_WARMUP,
    OPT_MIN_TIME,
    OPT_OUT,
    OPT_FORCE,
    OPT_QUIET,
    OPT_HUGE_PAGES,
    OPT_ARRAY_OFFSET,
    OPT_NOT_HERE
};

static const struct option run_options[] = {
    {"kernels", required_argument, NULL, OPT_KERNELS},
    {"sizes", required_argument, NULL, OPT_SIZES},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"schedules", required_argument, NULL, OPT_SCHEDULES},
    {"reps", required_argument, NULL, OPT_REPS},
    {"warmup", required_argument, NULL, OPT_WARMUP},
    {"min-time", required_argument, NULL, OPT_MIN_TIME},
    {"out", required_argument, NULL, OPT_OUT},
    {"force", no_argument, NULL, OPT_FORCE},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"huge-pages", required_argument, NULL, OPT_HUGE_PAGES},
    {"array-offset", required_argument, NULL, OPT_ARRAY_OFFSET},
    /* ompsweep run's adaptive sampling, ordering and resuming: every rank
     * would have to agree on each decision; refused with a clear message. */
    {"ci-target", required_argument, NULL, OPT_NOT_HERE},
    {"min-reps", required_argument, NULL, OPT_NOT_HERE},
    {"max-reps", required_argument, NULL, OPT_NOT_HERE},
    {"max-time", required_argument, NULL, OPT_NOT_HERE},
    {"order", required_argument, NULL, OPT_NOT_HERE},
    {"seed", required_argument, NULL, OPT_NOT_HERE},
    {"resume", no_argument, NULL, OPT_NOT_HERE},
    {NULL, 0, NULL, 0},
};

typedef struct run_args {
    const char *kernels, *sizes, *threads, *schedules, *out;
    int reps, warmup, force, quiet;
    double min_time;
    int huge_pages;      /* --huge-pages: 1 on (default), 0 off */
    size_t array_offset; /* --array-offset */
} run_args;

static int parse_int_opt(const char *flag, const char *text, int min, int max, int *out)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (!*text || *end || v < min || v > max) {
        say("%s '%s' must be a whole number in %d..%d", flag, text, min, max);
        return OSW_EXIT_USAGE;
    }
    *out = (int)v;
    return 0;
}

/* Parses the options after `run`. Returns 0 or an exit status. Every rank
 * parses the same argv, so they agree; rank 0 alone prints. */
static int parse_run(int argc, char **argv, run_args *a)
{
    *a = (run_args){.kernels = "all", .reps = 10, .warmup = 1, .min_time = -1, .huge_pages = 1};
    char err[OSW_ERRLEN];
    opterr = 0;
    optind = 1;
    int opt, status, longindex = 0;
    while ((opt = getopt_long(argc, argv, ":", run_options, &longindex)) != -1) {
        switch (opt) {
        case OPT_KERNELS:
            a->kernels = optarg;
            break;
        case OPT_SIZES:
            a->sizes = optarg;
            break;
        case OPT_THREADS:
            a->threads = optarg;
            break;
        case OPT_SCHEDULES:
            a->schedules = optarg;
            break;
        case OPT_NOT_HERE:
            say("--%s is an `ompsweep run` option that ompsweep-mpi does not take (fixed --reps "
                "N, the configurations in order, no --resume)",
                run_options[longindex].name);
            return OSW_EXIT_USAGE;
        case OPT_REPS:
            if (strcmp(optarg, "auto") == 0) {
                say("--reps auto is not supported by ompsweep-mpi (the ranks would have to agree "
                    "on every stop); give --reps N");
                return OSW_EXIT_USAGE;
            }
            if ((status = parse_int_opt("--reps", optarg, 1, 1000000, &a->reps)))
                return status;
            break;
        case OPT_WARMUP:
            if ((status = parse_int_opt("--warmup", optarg, 0, 1000000, &a->warmup)))
                return status;
            break;
        case OPT_MIN_TIME: {
            char *end;
            a->min_time = strtod(optarg, &end);
            if (!*optarg || *end || !(a->min_time >= 0 && a->min_time <= 60)) {
                say("--min-time '%s' must be seconds in 0..60 (see ompsweep-mpi --help)", optarg);
                return OSW_EXIT_USAGE;
            }
            break;
        }
        case OPT_OUT:
            if (!*optarg) {
                say("--out needs a directory name (see ompsweep-mpi --help)");
                return OSW_EXIT_USAGE;
            }
            a->out = optarg;
            break;
        case OPT_FORCE:
            a->force = 1;
            break;
        case OPT_QUIET:
            a->quiet = 1;
            break;
        case OPT_HUGE_PAGES:
        case OPT_ARRAY_OFFSET:
            if (opt == OPT_HUGE_PAGES ? osw_parse_huge_pages(optarg, &a->huge_pages, err)
                                      : osw_parse_array_offset(optarg, &a->array_offset, err)) {
                say("%s (see ompsweep-mpi --help)", err);
                return OSW_EXIT_USAGE;
            }
            break;
        case ':':
            say("option '%s' needs a value (see ompsweep-mpi --help)", argv[optind - 1]);
            return OSW_EXIT_USAGE;
        default: {
            char shortopt[3] = {'-', (char)optopt, '\0'};
            say("unknown option '%s' (see ompsweep-mpi --help)",
                optopt ? shortopt : argv[optind - 1]);
            return OSW_EXIT_USAGE;
        }
        }
    }
    if (optind < argc) {
        say("unexpected argument '%s' (see ompsweep-mpi --help)", argv[optind]);
        return OSW_EXIT_USAGE;
    }
    return 0;
}

/* Rank 0's thread list and schedules (they may depend on its environment and
 * binding), as ompsweep run picks them. Returns 0 or a negative code. */
static int pick_plan(const run_args *a, const osw_sysinfo *sys, int node_ranks, osw_meta *meta,
                     int **threads, size_t *nthreads, osw_schedule **schedules, size_t *nschedules,
                     char *warn, size_t warnlen, char *err)
{
    /* One rank's share of the node: the CPUs it is bound to, at most the
     * node's cores divided among its ranks. */
    int share = sys->cores / (node_ranks > 0 ? node_ranks : 1);
    if (share < 1)
        share = 1;
    if (sys->procs < share)
        share = sys->procs;
    char warn_threads[OSW_WARNLEN], warn_sched[OSW_WARNLEN];
    int rc = osw_pick_threads(a->threads, getenv("OMP_NUM_THREADS"), share, share, threads,
                              nthreads, &meta->threads_source, warn_threads, err);
    if (rc == 0)
        rc = osw_pick_schedules(a->schedules, getenv("OMP_SCHEDULE"), schedules, nschedules,
                                &meta->schedules_source, warn_sched, err);
    /* One warning slot: the ignored thread count first, else the schedule. */
    snprintf(warn, warnlen, "%s", *warn_threads ? warn_threads : warn_sched);
    return rc;
}

/* Broadcasts an array of count items of size bytes from rank 0 (allocating
 * it on the other ranks). Returns 0 or -ENOMEM on every rank. */
static int bcast_array(void **p, size_t *count, size_t size, MPI_Comm comm)
{
    unsigned long long c = *count;
    MPI_Bcast(&c, 1, MPI_UNSIGNED_LONG_LONG, 0, comm);
    if (g_rank != 0) {
        free(*p);
        *p = malloc(c ? c * size : 1);
        *count = (size_t)c;
    }
    int ok = *p != NULL;
    MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, comm);
    if (!ok)
        return -ENOMEM;
    MPI_Bcast(*p, (int)(c * size), MPI_BYTE, 0, comm);
    return 0;
}

static const char ranks_header[] =
    "kernel,n,threads,schedule,chunk,ranks,rank,host,n_local,index_base,median_s,min_s,max_s,"
    "imbalance,cpu_per_wall,verified,rel_err,result,cpus,rank_spread";

static void put_num(FILE *f, const char *fmt, double v)
{
    if (isnan(v))
        fputc(',', f);
    else
        fprintf(f, fmt, v);
}

/* ranks.csv rows of one configuration, written with one write. */
static int write_rank_rows(FILE *out, const osw_row *row, const osw_rank_rec *recs, int size,
                           double spread)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return -ENOMEM;
    for (int r = 0; r < size; r++) {
        const osw_rank_rec *e = &recs[r];
        char host[sizeof(e->host)];
        snprintf(host, sizeof(host), "%s", e->host);
        for (char *p = host; *p; p++)
            if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
                *p = '_';
        fprintf(f, "%s,%zu,%d,%s,%d,%d,%d,%s,%llu,%llu", row->kernel, row->n, row->threads,
                row->schedule, row->chunk, size, r, host, (unsigned long long)e->n_local,
                (unsigned long long)e->index_base);
        put_num(f, ",%.12f", e->median_s);
        put_num(f, ",%.12f", e->min_s);
        put_num(f, ",%.12f", e->max_s);
        put_num(f, ",%.4f", e->imbalance);
        put_num(f, ",%.3f", e->cpu_per_wall);
        fprintf(f, ",%d", e->verified);
        put_num(f, ",%.3g", e->rel_err);
        put_num(f, ",%.17g", e->result);
        fputc(',', f);
        for (int c = 0; c < e->ncpus && c < OSW_MPI_CPUS; c++)
            fprintf(f, c ? " %d" : "%d", e->cpus[c]);
        put_num(f, ",%.4f", spread);
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        free(buf);
        return -ENOMEM;
    }
    int rc = 0;
    if (fwrite(buf, 1, len, out) != len || fflush(out) != 0)
        rc = errno ? -errno : -EIO;
    free(buf);
    return rc;
}

typedef struct files {
    FILE *summary, *samples, *ranks;
} files;

static int open_files(const char *dir, files *fs, char *err)
{
    char path[4200];
    const char *names[] = {"summary.csv", "samples.csv", "ranks.csv"};
    FILE **slots[] = {&fs->summary, &fs->samples, &fs->ranks};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        *slots[i] = fopen(path, "w");
        if (!*slots[i]) {
            int e = errno;
            snprintf(err, OSW_ERRLEN, "cannot write in '%.160s': %s", dir, strerror(e));
            return -e;
        }
    }
    int rc = osw_csv_summary_header(fs->summary);
    if (rc == 0)
        rc = osw_csv_samples_header(fs->samples);
    if (rc == 0 && (fprintf(fs->ranks, "%s\n", ranks_header) < 0 || fflush(fs->ranks) != 0))
        rc = errno ? -errno : -EIO;
    if (rc)
        snprintf(err, OSW_ERRLEN, "writing results in '%.160s': %s", dir, strerror(-rc));
    return rc;
}

static int close_files(files *fs, int rc, char *err)
{
    FILE **slots[] = {&fs->summary, &fs->samples, &fs->ranks};
    for (int i = 0; i < 3; i++) {
        if (*slots[i] && fclose(*slots[i]) != 0 && rc == 0) {
            rc = -errno;
            snprintf(err, OSW_ERRLEN, "closing the result files: %s", strerror(errno));
        }
        *slots[i] = NULL;
    }
    return rc;
}

static int cmd_run(int argc, char **argv, int full_argc, char **full_argv, MPI_Comm comm)
{
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);

    run_args a;
    int status = parse_run(argc, argv, &a);
    if (status)
        return status;

    /* Ranks that share this node (for the thread default and memory). */
    MPI_Comm node;
    int node_ranks = 1, node_max = 1;
    MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
    MPI_Comm_size(node, &node_ranks);
    MPI_Comm_free(&node);
    MPI_Allreduce(&node_ranks, &node_max, 1, MPI_INT, MPI_MAX, comm);

    osw_sysinfo sys;
    osw_sysinfo_read(&sys);
    osw_meta meta = {.sys = &sys, .argc = full_argc, .argv = full_argv, .ranks = size};
    char started[32];
    meta.started = osw_now_iso(started, sizeof(started));

    const osw_kernel **kernels = NULL;
    size_t nkernels = 0, nsizes = 0, nthreads = 0, nschedules = 0;
    size_t *sizes = NULL;
    int *threads = NULL;
    osw_schedule *schedules = NULL;
    double *seconds = NULL;
    osw_rank_rec *recs = NULL;
    files fs = {0};
    char err[OSW_ERRLEN] = "", warn_threads[OSW_ERRLEN + 128] = "";
    static char warn_bind[160], warn_over[240], warn_mpi[160];

    int rc = osw_parse_kernels(a.kernels, &kernels, &nkernels, err);
    if (rc == 0 && a.sizes)
        rc = osw_parse_sizes(a.sizes, &sizes, &nsizes, err);
    for (size_t i = 0; rc == 0 && a.sizes && i < nsizes; i++)
        if (sizes[i] < (size_t)size) {
            snprintf(err, OSW_ERRLEN, "--sizes: n=%zu is smaller than the %d ranks", sizes[i],
                     size);
            rc = OSW_EUSAGE;
        }
    if (rc) { /* the same argv on every rank: every rank fails alike */
        say("%s", rc == OSW_EUSAGE ? err : osw_strerror(rc));
        status = osw_exit_status(rc);
        goto done;
    }
    for (size_t i = 0; !a.sizes && i < nkernels; i++)
        if (kernels[i]->default_n < (size_t)size) {
            say("%s: its default n=%zu is smaller than the %d ranks; give --sizes",
                kernels[i]->name, kernels[i]->default_n, size);
            status = OSW_EXIT_USAGE;
            goto done;
        }

    if (rank == 0)
        rc = pick_plan(&a, &sys, node_ranks, &meta, &threads, &nthreads, &schedules, &nschedules,
                       warn_threads, sizeof(warn_threads), err);
    MPI_Bcast(&rc, 1, MPI_INT, 0, comm);
    if (rc) {
        say("%s", rc == OSW_EUSAGE ? err : osw_strerror(rc));
        status = osw_exit_status(rc);
        goto done;
    }
    if ((rc = bcast_array((void **)&threads, &nthreads, sizeof(*threads), comm)) ||
        (rc = bcast_array((void **)&schedules, &nschedules, sizeof(*schedules), comm))) {
        say("%s", osw_strerror(rc));
        status = osw_exit_status(rc);
        goto done;
    }
    qsort(threads, nthreads, sizeof(*threads), cmp_int);

    /* Memory: the largest slice times the ranks on the fullest node. */
    double avail = osw_mem_available();
    int too_big = 0;
    for (size_t k = 0; k < nkernels && !too_big; k++)
        for (size_t s = 0; s < (sizes ? nsizes : 1) && !too_big; s++) {
            size_t n = sizes ? sizes[s] : kernels[k]->default_n;
            size_t n_local = n / (size_t)size + (n % (size_t)size != 0);
            double need = kernels[k]->alloc_bytes_per_elem * (double)n_local * node_ranks;
            if (avail > 0 && need > 0.95 * avail - 64.0 * 1048576) {
                too_big = 1;
                snprintf(err, OSW_ERRLEN,
                         "%s at n=%zu needs %.1f MiB of arrays on a node of %d ranks; it has "
                         "%.1f MiB available",
                         kernels[k]->name, n, need / 1048576, node_ranks, avail / 1048576);
            }
        }
    MPI_Allreduce(MPI_IN_PLACE, &too_big, 1, MPI_INT, MPI_MAX, comm);
    if (too_big) {
        if (*err)
            fprintf(stderr, "ompsweep-mpi: rank %d: %s\n", rank, err);
        status = OSW_EXIT_RESOURCE;
        goto done;
    }

    /* Warnings once per run (rank 0's view), in stderr and meta.json. */
    if (*warn_threads)
        meta.warnings[meta.nwarnings++] = warn_threads;
    if (omp_get_proc_bind() == omp_proc_bind_false) {
        snprintf(warn_bind, sizeof(warn_bind),
                 "threads are not bound to CPUs (set OMP_PROC_BIND=close OMP_PLACES=cores for "
                 "repeatable figures)");
        meta.warnings[meta.nwarnings++] = warn_bind;
    }
    int max_threads = threads[nthreads - 1], compute = 0;
    for (size_t i = 0; i < nkernels; i++)
        compute |= kernels[i]->kind != OSW_WAITS;
    if ((long)max_threads * node_max > sys.cores && compute) {
        snprintf(warn_over, sizeof(warn_over),
                 "%d ranks x %d threads oversubscribe the %d cores of a node: compute and "
                 "memory kernels will time-share cores",
                 node_max, max_threads, sys.cores);
        meta.warnings[meta.nwarnings++] = warn_over;
    }
    snprintf(warn_mpi, sizeof(warn_mpi),
             "MPI: %d ranks (up to %d a node); times are the slowest rank's, per-rank figures "
             "in ranks.csv",
             size, node_max);
    for (int i = 0; i < meta.nwarnings; i++)
        say("warning: %s", meta.warnings[i]);
    meta.warnings[meta.nwarnings++] = warn_mpi;

    char default_out[512];
    if (!a.out) {
        char stamp[32];
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
        snprintf(default_out, sizeof(default_out), "ompsweep-mpi-%s-%s", sys.host, stamp);
        MPI_Bcast(default_out, (int)sizeof(default_out), MPI_CHAR, 0, comm);
        a.out = default_out;
    }
    if (a.min_time < 0) {
        a.min_time = 1000 * omp_get_wtick();
        if (a.min_time < 100e-6)
            a.min_time = 100e-6;
    }
    meta.reps = a.reps;
    meta.huge_pages = a.huge_pages ? "on" : "off";
    meta.array_offset = a.array_offset;
    osw_alloc_set_policy(&(osw_alloc_policy){a.huge_pages, a.array_offset});
    meta.warmup = a.warmup;
    meta.min_sample_s = a.min_time;

    seconds = malloc((size_t)a.reps * sizeof(*seconds));
    recs = rank == 0 ? calloc((size_t)size, sizeof(*recs)) : NULL;
    rc = (!seconds || (rank == 0 && !recs)) ? -ENOMEM : 0;
    if (rc == 0 && rank == 0) {
        rc = osw_prepare_out_dir(a.out, a.force, err);
        if (rc == 0)
            rc = open_files(a.out, &fs, err);
    }
    MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MIN, comm);
    if (rc) {
        say("%s", *err ? err : osw_strerror(rc));
        status = osw_exit_status(rc);
        goto done;
    }

    size_t nsz = sizes ? nsizes : 1;
    meta.configs_total = (long)(nkernels * nsz * nschedules * nthreads);
    meta.status = "running";
    if (rank == 0)
        rc = osw_meta_write(a.out, &meta);
    MPI_Bcast(&rc, 1, MPI_INT, 0, comm);

    int fail_rank = -1;
    const char *hook = getenv("OSW_MPI_FAIL_RANK");
    if (hook && *hook)
        fail_rank = atoi(hook);
    osw_mpi_env env = {.comm = comm, .rank = rank, .size = size, .fail_rank = fail_rank};

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    int unverified = 0, stop = 0;
    for (size_t ki = 0; ki < nkernels && rc == 0; ki++) {
        const osw_kernel *k = kernels[ki];
        for (size_t si = 0; si < nsz && rc == 0; si++) {
            size_t n = sizes ? sizes[si] : k->default_n;
            double static_median = NAN;
            for (size_t ci = 0; ci < nschedules && rc == 0; ci++) {
                double base_median = NAN;
                for (size_t ti = 0; ti < nthreads && rc == 0; ti++) {
                    stop = (int)osw_stop_signal;
                    MPI_Allreduce(MPI_IN_PLACE, &stop, 1, MPI_INT, MPI_MAX, comm);
                    if (stop) {
                        rc = OSW_EINTR;
                        break;
                    }
                    osw_row row;
                    memset(&row, 0, sizeof(row));
                    omp_set_num_threads(threads[ti]);
                    osw_schedule_apply(&schedules[ci]);
                    osw_schedule_name(&schedules[ci], row.schedule, sizeof(row.schedule));
                    row.chunk = schedules[ci].chunk;
                    double spread = NAN;
                    rc = osw_mpi_measure(&env, k, n, a.reps, a.warmup, a.min_time, &row, seconds,
                                         recs, &spread);
                    if (rc) {
                        snprintf(err, OSW_ERRLEN,
                                 "%s at n=%zu with %d ranks x %d threads: setup failed: %s",
                                 k->name, n, size, threads[ti], osw_strerror(rc));
                        break;
                    }
                    /* Speedup, efficiency and overhead as ompsweep run, against
                     * 1 thread per rank at the same number of ranks. */
                    if (row.threads == 1)
                        base_median = row.median_s;
                    if (row.threads == 1 && row.verified &&
                        schedules[ci].kind == omp_sched_static && row.chunk == 0)
                        static_median = row.median_s;
                    if (!isnan(static_median) && row.verified)
                        row.overhead_ns = (row.median_s - static_median / row.threads) *
                                          row.threads * size / (double)n * 1e9;
                    if (!isnan(base_median) && row.verified) {
                        row.speedup = base_median / row.median_s;
                        row.efficiency = row.speedup / row.threads;
                        row.speedup_lo = base_median / row.ci_hi_s;
                        row.speedup_hi = base_median / row.ci_lo_s;
                    }
                    if (!row.verified)
                        unverified++;
                    if (rank == 0) {
                        rc = osw_csv_summary_row(fs.summary, &row);
                        if (rc == 0)
                            rc = osw_csv_samples_rows(fs.samples, &row, seconds, (size_t)a.reps);
                        if (rc == 0)
                            rc = write_rank_rows(fs.ranks, &row, recs, size, spread);
                        if (rc)
                            snprintf(err, OSW_ERRLEN, "writing results in '%.160s': %s", a.out,
                                     strerror(-rc));
                        if (!row.verified) {
                            fprintf(stderr,
                                    "ompsweep-mpi: %s n=%zu ranks=%d threads=%d schedule=%s,%d "
                                    "FAILED verification (rel_err %.3g; failing ranks:",
                                    row.kernel, row.n, size, row.threads, row.schedule, row.chunk,
                                    row.rel_err);
                            int any = 0;
                            for (int r = 0; r < size; r++)
                                if (!recs[r].verified) {
                                    fprintf(stderr, " %d", r);
                                    any = 1;
                                }
                            fprintf(stderr, "%s)\n", any ? "" : " none, the global check");
                        }
                        if (!a.quiet) {
                            char sched[48];
                            snprintf(sched, sizeof(sched), row.chunk ? "%s,%d" : "%s", row.schedule,
                                     row.chunk);
                            printf("%-12s n=%-11zu %3dx%-4d %-20s median %.6f s", row.kernel, row.n,
                                   size, row.threads, sched, row.median_s);
                            if (!isnan(row.gbps_median))
                                printf("  %7.2f GB/s", row.gbps_median);
                            if (!isnan(row.result))
                                printf("  result %.17g", row.result);
                            if (!isnan(spread))
                                printf("  rank spread %.1f%%", 100 * spread);
                            printf("%s\n", row.verified ? "" : "  UNVERIFIED");
                            fflush(stdout);
                        }
                    }
                    MPI_Bcast(&rc, 1, MPI_INT, 0, comm);
                    meta.configs_done++;
                }
            }
        }
    }

    char finished[32];
    meta.finished = osw_now_iso(finished, sizeof(finished));
    meta.status = rc == 0 ? "complete" : rc == OSW_EINTR ? "interrupted" : "failed";
    if (rank == 0) {
        int mrc = osw_meta_write(a.out, &meta);
        if (mrc && rc == 0) {
            rc = mrc;
            snprintf(err, OSW_ERRLEN, "writing meta.json in '%.160s': %s", a.out, strerror(-mrc));
        }
        rc = close_files(&fs, rc, err);
    }
    MPI_Bcast(&rc, 1, MPI_INT, 0, comm);
    if (rc == OSW_EINTR) {
        say("interrupted by signal %d; finished rows are in %s", stop, a.out);
        status = 128 + stop;
    } else if (rc) {
        say("%s", *err ? err : osw_strerror(rc));
        status = osw_exit_status(rc);
    } else if (unverified) {
        say("%d configuration(s) failed verification (verified=0 in %s)", unverified, a.out);
        status = OSW_EXIT_VERIFY;
    } else {
        if (!a.quiet)
            say("results in %s/ (summary.csv, samples.csv, ranks.csv, meta.json)", a.out);
        status = OSW_EXIT_OK;
    }
done:
    if (rank == 0)
        close_files(&fs, 0, err);
    free(kernels);
    free(sizes);
    free(threads);
    free(schedules);
    free(seconds);
    free(recs);
    return status;
}

int main(int argc, char **argv)
{
    int provided = 0, status;
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fputs("ompsweep-mpi: MPI_Init_thread failed\n", stderr);
        return OSW_EXIT_RESOURCE;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    /* Only the master thread calls MPI, outside parallel regions. */
    if (provided < MPI_THREAD_FUNNELED)
        say("warning: the MPI library gives thread level %d, below MPI_THREAD_FUNNELED", provided);

    if (argc < 2) {
        say("missing command: run (see ompsweep-mpi --help)");
        status = OSW_EXIT_USAGE;
    } else if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        if (g_rank == 0)
            fputs(usage_text, stdout);
        status = OSW_EXIT_OK;
    } else if (!strcmp(argv[1], "--version")) {
        if (g_rank == 0) {
            char lib[MPI_MAX_LIBRARY_VERSION_STRING];
            int len = 0;
            MPI_Get_library_version(lib, &len);
            lib[strcspn(lib, "\n,")] = '\0';
            printf("ompsweep-mpi %s (OpenMP %d, MPI %d.%d, %s)\n", OSW_VERSION, _OPENMP,
                   MPI_VERSION, MPI_SUBVERSION, lib);
        }
        status = OSW_EXIT_OK;
    } else if (!strcmp(argv[1], "run")) {
        status = cmd_run(argc - 1, argv + 1, argc, argv, MPI_COMM_WORLD);
    } else {
        say("unknown command '%s' (see ompsweep-mpi --help)", argv[1]);
        status = OSW_EXIT_USAGE;
    }
    MPI_Finalize();
    return status;
}

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
 * medians). The sweep is the library's one loop (lib/engine.h) with the
 * MPI executor below: every rank runs the loop in step, agreeing on each
 * stop and status; rank 0 alone writes.
 *
 * Test hook: OSW_MPI_FAIL_RANK=r makes rank r corrupt its local result before
 * the global check (for a kernel whose result does not combine, combine
 * NONE: fail its verification),
 * so that every row says verified=0 and every rank exits 1. */
#define _GNU_SOURCE
#include "error.h"
#include "meta.h"
#include "measure.h"
#include "mpi_measure.h"
#include "options.h"
#include "parse.h"
#include "process.h"
#include "sweep.h"

#include <errno.h>
#include <math.h>
#include <mpi.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef OSW_VERSION
#define OSW_VERSION "unknown"
#endif

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
    off_t end = ftello(out);
    if (fwrite(buf, 1, len, out) != len || fflush(out) != 0) {
        rc = errno ? -errno : -EIO;
        /* No half configuration in ranks.csv: back to its whole rows. */
        if (end >= 0 && ftruncate(fileno(out), end) == 0)
            clearerr(out);
    }
    free(buf);
    return rc;
}

/* ---- the MPI executor ---- */

typedef struct mpi_exec {
    osw_mpi_env env;
    int reps, warmup;
    double min_sample_s;
    osw_rank_rec *recs; /* rank 0: each rank's record of the last configuration */
    double spread;      /* of the last configuration's per-rank medians */
    FILE *ranks;        /* rank 0: ranks.csv */
    char ranks_path[4200];
} mpi_exec;

static int mpi_measure_one(void *self, const osw_config *c, osw_row *row, double *seconds,
                           osw_observed *obs, char *err)
{
    mpi_exec *m = self;
    (void)obs;
    omp_set_num_threads(c->threads);
    osw_schedule_apply(&c->schedule->s);
    int rc = osw_mpi_measure(&m->env, c->kernel, c->n, m->reps, m->warmup, m->min_sample_s, row,
                             seconds, m->recs, &m->spread);
    if (rc)
        snprintf(err, OSW_ERRLEN, "%s at n=%zu with %d ranks x %d threads: setup failed: %s",
                 c->kernel->name, c->n, m->env.size, c->threads, osw_strerror(rc));
    return rc;
}

static int mpi_stop(void *self)
{
    mpi_exec *m = self;
    int stop = (int)osw_stop_signal;
    MPI_Allreduce(MPI_IN_PLACE, &stop, 1, MPI_INT, MPI_MAX, m->env.comm);
    return stop;
}

static int mpi_agree(void *self, int rc)
{
    mpi_exec *m = self;
    MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MIN, m->env.comm);
    return rc;
}

/* Rank 0, once the out dir is ready: ranks.csv with its header. */
static int mpi_begin(void *self, const char *out_dir, char *err)
{
    mpi_exec *m = self;
    snprintf(m->ranks_path, sizeof(m->ranks_path), "%s/ranks.csv", out_dir);
    m->ranks = fopen(m->ranks_path, "w");
    if (!m->ranks || fprintf(m->ranks, "%s\n", ranks_header) < 0 || fflush(m->ranks) != 0) {
        int e = errno ? errno : EIO;
        snprintf(err, OSW_ERRLEN, "cannot write %.160s: %s", m->ranks_path, strerror(e));
        return -e;
    }
    return 0;
}

/* The console's hooks: ranks.csv rows, the rank spread, the failing ranks. */
static int ranks_row(void *self, const osw_row *row, char *err)
{
    mpi_exec *m = self;
    int rc = write_rank_rows(m->ranks, row, m->recs, m->env.size, m->spread);
    if (rc)
        snprintf(err, OSW_ERRLEN, "writing %.160s: %s", m->ranks_path, strerror(-rc));
    return rc;
}

static void spread_text(void *self, const osw_row *row, char *buf, size_t len)
{
    const mpi_exec *m = self;
    (void)row;
    if (!isnan(m->spread))
        snprintf(buf, len, "  rank spread %.1f%%", 100 * m->spread);
}

static void failing_ranks(void *self, const osw_row *row, char *buf, size_t len)
{
    const mpi_exec *m = self;
    int w = snprintf(buf, len, "FAILED verification (rel_err %.3g; failing ranks:", row->rel_err);
    int any = 0;
    for (int r = 0; r < m->env.size && w < (int)len; r++)
        if (!m->recs[r].verified) {
            w += snprintf(buf + w, len - (size_t)w, " %d", r);
            any = 1;
        }
    if (w < (int)len)
        snprintf(buf + w, len - (size_t)w, "%s)", any ? "" : " none, the global check");
}

/* ---- the command ---- */

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

/* The lists, rank 0's threads and schedules for every rank, the sizes
 * checked against the ranks, the plan and the memory check. */
static int mpi_plan(osw_cli_sweep *s, int size, int node_ranks, int node_max, char *err)
{
    MPI_Comm comm = MPI_COMM_WORLD;
    /* One rank's share of the node: at most the node's cores among its ranks. */
    int share = s->sys.cores / (node_ranks > 0 ? node_ranks : 1);
    share = share < 1 ? 1 : share > s->sys.procs ? s->sys.procs : share;
    int status = osw_cli_sweep_lists(s, share, share, err);
    MPI_Allreduce(MPI_IN_PLACE, &status, 1, MPI_INT, MPI_MAX, comm);
    if (status)
        return status;
    if (bcast_array((void **)&s->threads, &s->nthreads, sizeof(*s->threads), comm) ||
        bcast_array((void **)&s->items, &s->nitems, sizeof(*s->items), comm)) {
        snprintf(err, OSW_ERRLEN, "out of memory");
        return OSW_EXIT_RESOURCE;
    }
    for (size_t i = 0; i < s->nsizes; i++)
        if (s->sizes[i] < (size_t)size) {
            snprintf(err, OSW_ERRLEN, "--sizes: n=%zu is smaller than the %d ranks", s->sizes[i],
                     size);
            return OSW_EXIT_USAGE;
        }
    for (size_t i = 0; !s->sizes && i < s->nkernels; i++)
        if (s->kernels[i]->default_n < (size_t)size) {
            snprintf(err, OSW_ERRLEN,
                     "%s: its default n=%zu is smaller than the %d ranks; give "
                     "--sizes",
                     s->kernels[i]->name, s->kernels[i]->default_n, size);
            return OSW_EXIT_USAGE;
        }
    if ((status = osw_cli_sweep_plan(s, NULL, err)))
        return status;
    int rc = osw_check_memory(&s->plan, size, node_ranks, err);
    MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MIN, comm);
    if (rc) {
        if (*err)
            fprintf(stderr, "ompsweep-mpi: rank %d: %s\n", g_rank, err);
        err[0] = '\0';
        return OSW_EXIT_RESOURCE;
    }
    osw_cli_sweep_warnings(s, 1, (long)s->plan.threads[s->nthreads - 1] * node_max);
    osw_cli_warn(s, 0,
                 "MPI: %d ranks (up to %d a node); times are the slowest rank's, per-rank "
                 "figures in ranks.csv",
                 size, node_max);
    return 0;
}

static const char *const mpi_files[] = {"ranks.csv", NULL};

static int mpi_sweep(osw_cli_sweep *s, mpi_exec *m, char *err)
{
    osw_args *a = &s->args;
    osw_executor ex = {.self = m,
                       .max_samples = (size_t)a->reps,
                       .begin = mpi_begin,
                       .measure = mpi_measure_one,
                       .stop = mpi_stop,
                       .agree = mpi_agree};
    osw_console con = {.prefix = s->prefix,
                       .quiet = a->quiet || g_rank != 0,
                       .columns = OSW_TABLE_RESULT | OSW_TABLE_RANKS,
                       .kernel_width = osw_console_kernel_width(&s->plan),
                       .extra = spread_text,
                       .extra_self = m,
                       .row = ranks_row,
                       .row_self = m,
                       .failure = failing_ranks,
                       .failure_self = m};
    osw_sink sink;
    osw_console_sink(&con, &sink);
    osw_sweep sw = {.plan = &s->plan,
                    .ex = &ex,
                    .sink = &sink,
                    .writer = g_rank == 0,
                    .out_dir = a->out,
                    .force = a->force,
                    .extra_files = mpi_files,
                    .meta = &s->meta};
    osw_cli_catch_signals();
    long unverified = 0;
    int sig = 0;
    int rc = osw_sweep_run(&sw, &unverified, &sig, err);
    if (m->ranks && fclose(m->ranks) != 0 && rc == 0) {
        rc = -errno;
        snprintf(err, OSW_ERRLEN, "closing %.160s: %s", m->ranks_path, strerror(errno));
    }
    m->ranks = NULL;
    rc = mpi_agree(m, rc);
    return osw_cli_sweep_status(s, rc, unverified, sig, err,
                                "summary.csv, samples.csv, ranks.csv, meta.json");
}

static int cmd_run(int argc, char **argv, int full_argc, char **full_argv, MPI_Comm comm)
{
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    osw_cli_sweep s;
    char err[OSW_ERRLEN] = "";
    int status = osw_cli_sweep_begin(&s, OSW_CMD_MPI, "ompsweep-mpi", rank == 0, argc, argv,
                                     full_argc, full_argv, size);
    if (status >= 0) /* the same argv on every rank: every rank fails alike */
        return status;
    /* Ranks that share this node (for the thread default and memory). */
    MPI_Comm node;
    int node_ranks = 1, node_max = 1;
    MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node);
    MPI_Comm_size(node, &node_ranks);
    MPI_Comm_free(&node);
    MPI_Allreduce(&node_ranks, &node_max, 1, MPI_INT, MPI_MAX, comm);

    status = mpi_plan(&s, size, node_ranks, node_max, err);
    mpi_exec m = {.env = {.comm = comm, .rank = rank, .size = size, .fail_rank = -1},
                  .reps = s.args.reps,
                  .warmup = s.args.warmup,
                  .min_sample_s = osw_cli_min_time(&s.args),
                  .spread = NAN};
    if (status == 0) {
        const char *hook = getenv("OSW_MPI_FAIL_RANK");
        if (hook && *hook)
            m.env.fail_rank = atoi(hook);
        char out[512];
        snprintf(out, sizeof(out), "%s", osw_cli_out_dir(&s, "ompsweep-mpi"));
        MPI_Bcast(out, (int)sizeof(out), MPI_CHAR, 0, comm); /* rank 0's clock names it */
        snprintf(s.out_default, sizeof(s.out_default), "%s", out);
        s.args.out = s.args.out ? s.args.out : s.out_default;
        osw_alloc_set_policy(&(osw_alloc_policy){.huge_pages = s.args.huge_pages,
                                                 .array_offset = s.args.array_offset});
        s.meta.reps = s.args.reps;
        s.meta.warmup = s.args.warmup;
        s.meta.min_sample_s = m.min_sample_s;
        s.meta.huge_pages = s.args.huge_pages ? "on" : "off";
        s.meta.array_offset = s.args.array_offset;
        m.recs = rank == 0 ? calloc((size_t)size, sizeof(*m.recs)) : NULL;
        status = mpi_agree(&m, rank == 0 && !m.recs ? -ENOMEM : 0) ? OSW_EXIT_RESOURCE
                                                                   : mpi_sweep(&s, &m, err);
    } else if (err[0]) {
        say("%s", err);
    }
    free(m.recs);
    osw_cli_sweep_free(&s);
    return status;
}

int main(int argc, char **argv)
{
    osw_process_init();
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
            osw_usage(OSW_CMD_MPI, stdout);
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
    return g_rank == 0 ? osw_process_finish("ompsweep-mpi", status) : status;
}

/* sweep.c: setup -> warm-up -> calibrated timed samples -> verify -> teardown
 * for every configuration, rows written as they finish. */
#define _GNU_SOURCE
#include "sweep.h"
#include "error.h"
#include "stats.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

volatile sig_atomic_t osw_stop_signal = 0;

/* Upper bound on kernel calls inside one sample. */
#define MAX_INNER 100000000L

static double process_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const char *bound_name(int kind)
{
    return kind == OSW_MEMORY_BOUND ? "memory" : kind == OSW_WAITS ? "wait" : "cpu";
}

int osw_measure(const osw_kernel *k, size_t n, int reps, int warmup, double min_sample_s,
                osw_row *row, double *seconds)
{
    void *ctx = NULL;
    int rc = k->setup(&ctx, n);
    if (rc)
        return rc;
    for (int w = 0; w < warmup; w++)
        k->run(ctx);

    /* Calibrate: how many calls make one sample at least min_sample_s long,
     * so the timer's resolution never dominates. */
    long inner = 1;
    for (;;) {
        double t0 = omp_get_wtime();
        for (long j = 0; j < inner; j++)
            k->run(ctx);
        double t = omp_get_wtime() - t0;
        if (t >= min_sample_s || inner >= MAX_INNER)
            break;
        long next = t > 0 ? (long)ceil(inner * 1.2 * min_sample_s / t) : inner * 10;
        inner = next > inner ? (next < MAX_INNER ? next : MAX_INNER) : inner * 2;
    }

    int threads = omp_get_max_threads();
    osw_probe_reset();
    double cpu0 = process_cpu_s(), wall = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = omp_get_wtime();
        for (long j = 0; j < inner; j++)
            k->run(ctx);
        double t = omp_get_wtime() - t0;
        wall += t;
        seconds[r] = t / (double)inner;
    }
    double cpu = process_cpu_s() - cpu0;

    /* Load imbalance from the per-thread busy time summed over all samples. */
    double busy_max = 0, busy_sum = 0;
    int nprobe = threads < OSW_MAX_THREADS ? threads : OSW_MAX_THREADS;
    for (int t = 0; t < nprobe; t++) {
        busy_sum += osw_probe[t].busy_s;
        if (osw_probe[t].busy_s > busy_max)
            busy_max = osw_probe[t].busy_s;
    }
    row->imbalance = busy_max > 0 ? (busy_max - busy_sum / nprobe) / busy_max : NAN;
    row->cpu_per_wall = wall > 0 ? cpu / wall : NAN;

    double rel_err = NAN;
    row->verified = k->verify(ctx, &rel_err) == 1;
    row->result = k->result ? k->result(ctx) : NAN;
    row->rel_err = rel_err;
    k->teardown(ctx);

    snprintf(row->kernel, sizeof(row->kernel), "%s", k->name);
    row->n = n;
    row->threads = threads;
    row->reps = reps;
    row->inner = inner;
    row->ranks = 1;
    snprintf(row->bound, sizeof(row->bound), "%s", bound_name(k->kind));

    double *scratch = malloc((size_t)reps * sizeof(*scratch));
    if (!scratch)
        return -ENOMEM;
    memcpy(scratch, seconds, (size_t)reps * sizeof(*scratch));
    osw_stats st;
    osw_stats_compute(scratch, (size_t)reps, &st);
    free(scratch);
    row->min_s = st.min;
    row->median_s = st.median;
    row->mean_s = st.mean;
    row->stddev_s = st.stddev;
    row->ci_lo_s = st.ci_lo;
    row->ci_hi_s = st.ci_hi;
    row->outliers = (int)st.outliers;
    double bytes = k->bytes_per_elem * (double)n;
    row->gbps_median = bytes > 0 ? bytes / st.median / 1e9 : NAN;
    row->gbps_best = bytes > 0 ? bytes / st.min / 1e9 : NAN;
    row->speedup = row->efficiency = row->speedup_lo = row->speedup_hi = NAN;
    row->overhead_ns = NAN;
    return 0;
}

static int fmt_bytes(char *buf, size_t len, double bytes)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (bytes >= 1024 && u < 6) {
        bytes /= 1024;
        u++;
    }
    return snprintf(buf, len, "%.1f %s", bytes, units[u]);
}

int osw_sweep_check(const osw_sweep_opts *o, char *err)
{
    double avail = osw_mem_available();
    for (size_t k = 0; k < o->nkernels; k++) {
        size_t nsizes = o->sizes ? o->nsizes : 1;
        for (size_t s = 0; s < nsizes; s++) {
            size_t n = o->sizes ? o->sizes[s] : o->kernels[k]->default_n;
            double need = o->kernels[k]->alloc_bytes_per_elem * (double)n;
            /* Keep 5% and 64 MiB back for the harness and the system. */
            if (avail > 0 && need > 0.95 * avail - 64.0 * 1048576) {
                char needs[32], has[32];
                fmt_bytes(needs, sizeof(needs), need);
                fmt_bytes(has, sizeof(has), avail);
                snprintf(err, OSW_ERRLEN,
                         "%s at n=%zu needs %s of arrays; this machine has %s available",
                         o->kernels[k]->name, n, needs, has);
                return OSW_ETOOBIG;
            }
        }
    }
    return 0;
}

static int dir_is_empty(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int empty = 1;
    if (!d)
        return 1;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            empty = 0;
    closedir(d);
    return empty;
}

static int mkdir_p(const char *dir)
{
    char path[4096];
    if (!*dir)
        return -ENOENT;
    if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
        return -ENAMETOOLONG;
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return -errno;
    return 0;
}

int osw_prepare_out_dir(const char *dir, int force, char *err)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            snprintf(err, OSW_ERRLEN, "--out '%.160s' exists and is not a directory", dir);
            return -ENOTDIR;
        }
        if (!dir_is_empty(dir)) {
            if (!force) {
                snprintf(err, OSW_ERRLEN,
                         "--out '%s' exists and is not empty; use --force to replace its "
                         "results or choose another directory",
                         dir);
                return OSW_EEXIST;
            }
            static const char *ours[] = {"summary.csv", "samples.csv", "meta.json"};
            for (size_t i = 0; i < 3; i++) {
                char path[4200];
                snprintf(path, sizeof(path), "%s/%s", dir, ours[i]);
                if (unlink(path) != 0 && errno != ENOENT) {
                    int e = errno;
                    snprintf(err, OSW_ERRLEN, "cannot replace %.160s: %s", path, strerror(e));
                    return -e;
                }
            }
        }
    } else {
        int rc = mkdir_p(dir);
        if (rc) {
            snprintf(err, OSW_ERRLEN, "cannot create --out '%.160s': %s", dir, strerror(-rc));
            return rc;
        }
    }
    if (access(dir, W_OK) != 0) {
        int e = errno;
        snprintf(err, OSW_ERRLEN, "--out '%.160s' is not writable: %s", dir, strerror(e));
        return -e;
    }
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/* CPUs seen per thread count, kept as a small JSON object for meta.json. */
struct cpus_seen {
    char *json;
    size_t len, cap;
};

static void cpus_record(struct cpus_seen *c, int threads)
{
    char entry[512];
    int off = snprintf(entry, sizeof(entry), "%s\"%d\": [", c->len ? ", " : "", threads);
    for (int t = 0; t < threads && t < OSW_MAX_THREADS && off < (int)sizeof(entry) - 16; t++)
        off += snprintf(entry + off, sizeof(entry) - (size_t)off, "%s%d", t ? ", " : "",
                        osw_probe[t].cpu);
    if (threads > 0 && off < (int)sizeof(entry) - 16 && threads * 8 > (int)sizeof(entry))
        off += snprintf(entry + off, sizeof(entry) - (size_t)off, ", \"...\"");
    snprintf(entry + off, sizeof(entry) - (size_t)off, "]");
    char key[32];
    snprintf(key, sizeof(key), "\"%d\":", threads);
    if (c->json && strstr(c->json, key))
        return; /* one record per thread count */
    size_t add = strlen(entry);
    if (c->len + add + 3 > c->cap) {
        size_t ncap = (c->cap + add + 3) * 2;
        char *grown = realloc(c->json, ncap);
        if (!grown)
            return;
        if (!c->json)
            grown[0] = '\0';
        c->json = grown;
        c->cap = ncap;
    }
    memcpy(c->json + c->len, entry, add + 1);
    c->len += add;
}

static void progress_line(const osw_sweep_opts *o, long done, long total, double started,
                          const osw_row *current)
{
    double elapsed = omp_get_wtime() - started;
    double eta = done > 0 ? elapsed * (double)(total - done) / (double)done : 0;
    fprintf(stderr, "\r\033[K[%ld/%ld] %02d:%02d elapsed, ETA %02d:%02d  %s n=%zu threads=%d %s",
            done, total, (int)elapsed / 60, (int)elapsed % 60, (int)eta / 60, (int)eta % 60,
            current->kernel, current->n, current->threads, current->schedule);
    (void)o;
}

int osw_sweep_run(const osw_sweep_opts *o, int *unverified, char *err)
{
    *unverified = 0;
    int rc = osw_prepare_out_dir(o->out_dir, o->force, err);
    if (rc)
        return rc;

    char path[4200];
    FILE *summary = NULL, *samples = NULL;
    snprintf(path, sizeof(path), "%s/summary.csv", o->out_dir);
    summary = fopen(path, "w");
    snprintf(path, sizeof(path), "%s/samples.csv", o->out_dir);
    samples = summary ? fopen(path, "w") : NULL;
    if (!summary || !samples) {
        rc = -errno;
        snprintf(err, OSW_ERRLEN, "cannot write in '%.160s': %s", o->out_dir, strerror(errno));
        goto out;
    }
    rc = osw_csv_summary_header(summary);
    if (rc == 0)
        rc = osw_csv_samples_header(samples);

    int *threads = malloc(o->nthreads * sizeof(*threads));
    double *seconds = malloc((size_t)o->reps * sizeof(*seconds));
    struct cpus_seen cpus = {0};
    if (!threads || !seconds) {
        free(threads);
        free(seconds);
        rc = -ENOMEM;
        goto out;
    }
    memcpy(threads, o->threads, o->nthreads * sizeof(*threads));
    qsort(threads, o->nthreads, sizeof(*threads), cmp_int);

    size_t nsizes = o->sizes ? o->nsizes : 1;
    long total = (long)(o->nkernels * nsizes * o->nschedules * o->nthreads), done = 0;
    o->meta->configs_total = total;
    o->meta->status = "running";
    if (rc == 0)
        rc = osw_meta_write(o->out_dir, o->meta);
    double started = omp_get_wtime();

    for (size_t ki = 0; ki < o->nkernels && rc == 0; ki++) {
        const osw_kernel *k = o->kernels[ki];
        for (size_t si = 0; si < nsizes && rc == 0; si++) {
            size_t n = o->sizes ? o->sizes[si] : k->default_n;
            double static_median = NAN; /* 1 thread, static, default chunk */
            for (size_t ci = 0; ci < o->nschedules && rc == 0; ci++) {
                double base_median = NAN; /* the 1-thread median of this series */
                for (size_t ti = 0; ti < o->nthreads && rc == 0; ti++) {
                    if (osw_stop_signal) {
                        rc = OSW_EINTR;
                        break;
                    }
                    osw_row row;
                    memset(&row, 0, sizeof(row));
                    omp_set_num_threads(threads[ti]);
                    osw_schedule_apply(&o->schedules[ci]);
                    osw_schedule_name(&o->schedules[ci], row.schedule, sizeof(row.schedule));
                    row.chunk = o->schedules[ci].chunk;
                    if (o->progress) {
                        snprintf(row.kernel, sizeof(row.kernel), "%s", k->name);
                        row.n = n;
                        row.threads = threads[ti];
                        progress_line(o, done, total, started, &row);
                    }
                    rc = osw_measure(k, n, o->reps, o->warmup, o->min_sample_s, &row, seconds);
                    if (rc) {
                        snprintf(err, OSW_ERRLEN, "%s at n=%zu with %d threads: setup failed: %s",
                                 k->name, n, threads[ti], osw_strerror(rc));
                        break;
                    }
                    if (row.threads == 1)
                        base_median = row.median_s;
                    if (row.threads == 1 && row.verified &&
                        o->schedules[ci].kind == omp_sched_static && row.chunk == 0)
                        static_median = row.median_s;
                    if (!isnan(static_median) && row.verified && n > 0)
                        row.overhead_ns = (row.median_s - static_median / row.threads) *
                                          row.threads / (double)n * 1e9;
                    if (!isnan(base_median) && row.verified) {
                        row.speedup = base_median / row.median_s;
                        row.efficiency = row.speedup / row.threads;
                        row.speedup_lo = base_median / row.ci_hi_s;
                        row.speedup_hi = base_median / row.ci_lo_s;
                    }
                    cpus_record(&cpus, row.threads);
                    rc = osw_csv_summary_row(summary, &row);
                    if (rc == 0)
                        rc = osw_csv_samples_rows(samples, &row, seconds, (size_t)o->reps);
                    if (rc) {
                        snprintf(err, OSW_ERRLEN, "writing results in '%.160s': %s", o->out_dir,
                                 strerror(-rc));
                        break;
                    }
                    if (!row.verified) {
                        (*unverified)++;
                        if (o->progress)
                            fputs("\r\033[K", stderr);
                        fprintf(stderr,
                                "ompsweep: %s n=%zu threads=%d schedule=%s,%d FAILED "
                                "verification (rel_err %.3g)\n",
                                row.kernel, row.n, row.threads, row.schedule, row.chunk,
                                row.rel_err);
                    }
                    done++;
                    if (!o->quiet) {
                        if (o->progress)
                            fputs("\r\033[K", stderr);
                        char sched[48];
                        snprintf(sched, sizeof(sched), row.chunk ? "%s,%d" : "%s", row.schedule,
                                 row.chunk);
                        printf("%-12s n=%-11zu threads=%-4d %-24s median %.6f s", row.kernel, row.n,
                               row.threads, sched, row.median_s);
                        if (!isnan(row.gbps_median))
                            printf("  %7.2f GB/s", row.gbps_median);
                        if (!isnan(row.speedup))
                            printf("  speedup %5.2f", row.speedup);
                        printf("%s\n", row.verified ? "" : "  UNVERIFIED");
                        fflush(stdout);
                    }
                    o->meta->configs_done = done;
                }
            }
        }
    }
    if (o->progress)
        fputs("\r\033[K", stderr);
    free(threads);
    free(seconds);

    char finished[32];
    o->meta->finished = osw_now_iso(finished, sizeof(finished));
    o->meta->status = rc == 0 ? "complete" : rc == OSW_EINTR ? "interrupted" : "failed";
    o->meta->cpus_json = cpus.json;
    int mrc = osw_meta_write(o->out_dir, o->meta);
    o->meta->cpus_json = NULL;
    free(cpus.json);
    if (mrc && rc == 0) {
        rc = mrc;
        snprintf(err, OSW_ERRLEN, "writing meta.json in '%.160s': %s", o->out_dir, strerror(-mrc));
    }
out:
    if (summary && fclose(summary) != 0 && rc == 0) {
        rc = -errno;
        snprintf(err, OSW_ERRLEN, "closing summary.csv: %s", strerror(errno));
    }
    if (samples && fclose(samples) != 0 && rc == 0) {
        rc = -errno;
        snprintf(err, OSW_ERRLEN, "closing samples.csv: %s", strerror(errno));
    }
    return rc;
}

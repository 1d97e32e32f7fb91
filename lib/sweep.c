/* sweep.c: setup -> warm-up -> calibrated timed samples -> verify -> teardown
 * for every configuration, rows written as they finish; the order, the
 * final pass over derived columns and --resume (see sweep.h). */
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

#ifndef OSW_GIT_COMMIT
#define OSW_GIT_COMMIT "unknown"
#endif
#ifndef OSW_C_FLAGS
#define OSW_C_FLAGS "unknown"
#endif
#ifndef OSW_COMPILER
#define OSW_COMPILER "unknown"
#endif

volatile sig_atomic_t osw_stop_signal = 0;

double osw_process_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int osw_probe_totals(int threads, double *busy_max, double *busy_sum)
{
    int nprobe = threads < OSW_MAX_THREADS ? threads : OSW_MAX_THREADS;
    *busy_max = *busy_sum = 0;
    for (int t = 0; t < nprobe; t++) {
        *busy_sum += osw_probe[t].busy_s;
        if (osw_probe[t].busy_s > *busy_max)
            *busy_max = osw_probe[t].busy_s;
    }
    return nprobe;
}

int osw_row_set_stats(osw_row *row, const osw_kernel *k, size_t n, const double *seconds,
                      size_t count)
{
    double *scratch = malloc((count ? count : 1) * sizeof(*scratch));
    osw_stats st;
    if (scratch) {
        memcpy(scratch, seconds, count * sizeof(*scratch));
        osw_stats_compute(scratch, count, &st);
        free(scratch);
    } else {
        osw_stats_compute(NULL, 0, &st); /* every statistic NaN */
    }
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
    row->overhead_ns = row->huge_page_share = NAN;
    return scratch ? 0 : -ENOMEM;
}

/* Inserts v into sorted[0..count) (room for one more), keeping it sorted. */
static void insert_sorted(double *sorted, size_t count, double v)
{
    size_t i = count;
    while (i > 0 && sorted[i - 1] > v) {
        sorted[i] = sorted[i - 1];
        i--;
    }
    sorted[i] = v;
}

/* The share of the bytes osw_alloc advised during a setup (advised_before:
 * osw_advised_bytes() when it began) that transparent huge pages back, from
 * the growth of the process's AnonHugePages (huge_before); NaN when unknown
 * or when the setup advised nothing (arrays under 2 MiB, or not from
 * osw_alloc). Clamped to 0..1. */
static double huge_page_share(size_t advised_before, double huge_before)
{
    double advised = (double)(osw_advised_bytes() - advised_before);
    double grown = osw_anon_huge_bytes() - huge_before;
    if (!(advised > 0) || isnan(grown))
        return NAN;
    double share = grown / advised;
    return share < 0 ? 0 : share > 1 ? 1 : share;
}

int osw_measure_sampled(const osw_kernel *k, size_t n, const osw_sampling *s, int warmup,
                        double min_sample_s, osw_row *row, double *seconds)
{
    int adaptive = s->ci_target > 0;
    int cap = adaptive ? s->max_reps : s->reps;
    double started = omp_get_wtime();
    double *sorted = adaptive ? malloc((size_t)cap * sizeof(*sorted)) : NULL;
    if (adaptive && !sorted)
        return -ENOMEM;
    void *ctx = NULL;
    osw_alloc_restart();
    size_t advised_before = osw_advised_bytes();
    double huge_before = osw_anon_huge_bytes();
    int rc = k->setup(&ctx, n);
    if (rc) {
        free(sorted);
        return rc;
    }
    double huge_share = huge_page_share(advised_before, huge_before);
    for (int w = 0; w < warmup; w++)
        k->run(ctx);

    long inner = osw_calibrate(k, ctx, min_sample_s);

    /* Timed samples. Process CPU time is read around each sample, so the
     * stopping rule's work between samples counts in neither clock. */
    int threads = omp_get_max_threads();
    osw_probe_reset();
    double cpu = 0, wall = 0;
    int count = 0;
    const char *reason = "fixed";
    for (;;) {
        double cpu0 = osw_process_cpu_s();
        double t0 = omp_get_wtime();
        for (long j = 0; j < inner; j++)
            k->run(ctx);
        double t = omp_get_wtime() - t0;
        cpu += osw_process_cpu_s() - cpu0;
        wall += t;
        seconds[count] = t / (double)inner;
        count++;
        if (!adaptive) {
            if (count >= cap)
                break;
            continue;
        }
        insert_sorted(sorted, (size_t)count - 1, seconds[count - 1]);
        if (count < s->min_reps && count < cap)
            continue;
        if (osw_median_ci_rel_width(sorted, (size_t)count, 0.95) <= s->ci_target) {
            reason = "ci";
            break;
        }
        if (count >= cap) {
            reason = "max_reps";
            break;
        }
        if (omp_get_wtime() - started + t > s->max_time_s) {
            reason = "max_time";
            break;
        }
    }
    free(sorted);

    /* Load imbalance from the per-thread busy time summed over all samples. */
    double busy_max, busy_sum;
    int nprobe = osw_probe_totals(threads, &busy_max, &busy_sum);
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
    row->reps = count;
    row->inner = inner;
    row->ranks = 1;
    snprintf(row->bound, sizeof(row->bound), "%s", osw_kind_name(k->kind));
    snprintf(row->stop_reason, sizeof(row->stop_reason), "%s", reason);
    rc = osw_row_set_stats(row, k, n, seconds, (size_t)count);
    row->huge_page_share = huge_share;
    return rc;
}

long osw_calibrate(const osw_kernel *k, void *ctx, double min_sample_s)
{
    long inner = 1;
    for (;;) {
        double t0 = omp_get_wtime();
        for (long j = 0; j < inner; j++)
            k->run(ctx);
        double t = omp_get_wtime() - t0;
        if (t >= min_sample_s || inner >= OSW_MAX_INNER)
            return inner;
        long next = t > 0 ? (long)ceil(inner * 1.2 * min_sample_s / t) : inner * 10;
        inner = next > inner ? (next < OSW_MAX_INNER ? next : OSW_MAX_INNER) : inner * 2;
    }
}

int osw_measure(const osw_kernel *k, size_t n, int reps, int warmup, double min_sample_s,
                osw_row *row, double *seconds)
{
    osw_sampling s = {.reps = reps};
    return osw_measure_sampled(k, n, &s, warmup, min_sample_s, row, seconds);
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

/* Makes sure dir is a writable directory, creating it (and its parents)
 * when absent; an existing one may hold anything. */
static int ensure_dir(const char *dir, char *err)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            snprintf(err, OSW_ERRLEN, "--out '%.160s' exists and is not a directory", dir);
            return -ENOTDIR;
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

int osw_prepare_out_dir(const char *dir, int force, char *err)
{
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && !dir_is_empty(dir)) {
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
    return ensure_dir(dir, err);
}

static int cmp_int(const void *a, const void *b)
{
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/* ---- order ---- */

uint64_t osw_rng(uint64_t seed, uint64_t counter)
{
    uint64_t z = seed + (counter + 1) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void osw_shuffle(size_t *idx, size_t count, uint64_t seed)
{
    uint64_t counter = 0;
    for (size_t i = count; i > 1; i--) {
        /* j uniform in [0, i): reject draws from the incomplete last block. */
        uint64_t bound = (uint64_t)i;
        uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
        uint64_t r;
        do
            r = osw_rng(seed, counter++);
        while (r >= limit);
        size_t j = (size_t)(r % bound);
        size_t tmp = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = tmp;
    }
}

int osw_config_key(const osw_sweep_opts *o, char *buf, size_t len)
{
    char reps[128];
    if (o->reps_auto)
        snprintf(reps, sizeof(reps), "auto(ci=%.6g%%,min=%d,max=%d,time=%.6gs)", o->ci_target * 100,
                 o->min_reps, o->max_reps, o->max_time_s);
    else
        snprintf(reps, sizeof(reps), "%d", o->reps);
    const char *places = getenv("OMP_PLACES");
    return snprintf(buf, len,
                    "schema=%d;commit=%s;compiler=%s;flags=%s;host=%s;reps=%s;warmup=%d;"
                    "min_time=%.6g;bind=%s;places=%s;huge_pages=%s;array_offset=%zu",
                    OSW_SCHEMA_VERSION, OSW_GIT_COMMIT, OSW_COMPILER, OSW_C_FLAGS,
                    o->sys ? o->sys->host : "unknown", reps, o->warmup, o->min_sample_s,
                    osw_proc_bind_name(omp_get_proc_bind()), places ? places : "",
                    o->no_huge_pages ? "off" : "on", o->array_offset);
}

/* ---- small buffers ---- */

/* A growing string, for the JSON members that meta.json carries. */
struct jbuf {
    char *s;
    size_t len, cap;
};

static int jbuf_add(struct jbuf *b, const char *text)
{
    size_t add = strlen(text);
    if (b->len + add + 1 > b->cap) {
        size_t ncap = (b->cap + add + 1) * 2;
        char *grown = realloc(b->s, ncap);
        if (!grown)
            return -ENOMEM;
        b->s = grown;
        b->cap = ncap;
    }
    memcpy(b->s + b->len, text, add + 1);
    b->len += add;
    return 0;
}

/* CPUs seen per thread count ("threads": [cpus]), the first configuration
 * of each count, for meta.json's cpus_used. */
static void cpus_record(struct jbuf *c, int threads)
{
    char key[32];
    snprintf(key, sizeof(key), "\"%d\":", threads);
    if (c->s && strstr(c->s, key))
        return; /* one record per thread count */
    char entry[512];
    int off = snprintf(entry, sizeof(entry), "%s\"%d\": [", c->len ? ", " : "", threads);
    for (int t = 0; t < threads && t < OSW_MAX_THREADS && off < (int)sizeof(entry) - 16; t++)
        off += snprintf(entry + off, sizeof(entry) - (size_t)off, "%s%d", t ? ", " : "",
                        osw_probe[t].cpu);
    if (threads > 0 && off < (int)sizeof(entry) - 16 && threads * 8 > (int)sizeof(entry))
        off += snprintf(entry + off, sizeof(entry) - (size_t)off, ", \"...\"");
    snprintf(entry + off, sizeof(entry) - (size_t)off, "]");
    jbuf_add(c, entry);
}

/* ---- rows in memory, found by configuration ---- */

struct rowset {
    osw_row *rows;
    size_t count, cap;
    size_t *slots; /* open addressing: row index + 1, 0 for empty */
    size_t nslots; /* a power of two, > 2 count */
};

static uint64_t key_hash(const char *kernel, size_t n, int threads, const char *schedule, int chunk)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = kernel; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    for (const char *p = schedule; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h ^= osw_rng((uint64_t)n, (uint64_t)threads * 4294967311ull + (uint64_t)(unsigned)chunk);
    return h;
}

static int row_is(const osw_row *r, const char *kernel, size_t n, int threads, const char *schedule,
                  int chunk)
{
    return r->n == n && r->threads == threads && r->chunk == chunk &&
           strcmp(r->kernel, kernel) == 0 && strcmp(r->schedule, schedule) == 0;
}

/* Index of the first row of that configuration, or -1. */
static long rowset_find(const struct rowset *s, const char *kernel, size_t n, int threads,
                        const char *schedule, int chunk)
{
    if (!s->nslots)
        return -1;
    size_t mask = s->nslots - 1;
    for (size_t i = key_hash(kernel, n, threads, schedule, chunk) & mask; s->slots[i];
         i = (i + 1) & mask) {
        const osw_row *r = &s->rows[s->slots[i] - 1];
        if (row_is(r, kernel, n, threads, schedule, chunk))
            return (long)(s->slots[i] - 1);
    }
    return -1;
}

static void slot_put(size_t *slots, size_t nslots, const osw_row *r, size_t index)
{
    size_t mask = nslots - 1;
    size_t i = key_hash(r->kernel, r->n, r->threads, r->schedule, r->chunk) & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = index + 1;
}

static int rowset_add(struct rowset *s, const osw_row *r)
{
    if (s->count == s->cap) {
        size_t ncap = s->cap ? 2 * s->cap : 64;
        osw_row *grown = realloc(s->rows, ncap * sizeof(*grown));
        if (!grown)
            return -ENOMEM;
        s->rows = grown;
        s->cap = ncap;
    }
    if (2 * (s->count + 1) >= s->nslots) {
        size_t nslots = s->nslots ? 2 * s->nslots : 256;
        size_t *slots = calloc(nslots, sizeof(*slots));
        if (!slots)
            return -ENOMEM;
        for (size_t i = 0; i < s->count; i++)
            slot_put(slots, nslots, &s->rows[i], i);
        free(s->slots);
        s->slots = slots;
        s->nslots = nslots;
    }
    s->rows[s->count] = *r;
    slot_put(s->slots, s->nslots, r, s->count);
    s->count++;
    return 0;
}

static void rowset_free(struct rowset *s)
{
    free(s->rows);
    free(s->slots);
    memset(s, 0, sizeof(*s));
}

/* The 1-thread static, default-chunk row of r's kernel and n (the T1 of
 * overhead_ns), preferring plain static over monotonic:static; or NULL. */
static const osw_row *static_base(const struct rowset *s, const osw_row *r)
{
    long i = rowset_find(s, r->kernel, r->n, 1, "static", 0);
    if (i < 0)
        i = rowset_find(s, r->kernel, r->n, 1, "monotonic:static", 0);
    return i < 0 ? NULL : &s->rows[i];
}

/* Fills r's speedup, efficiency, speedup_lo/hi and overhead_ns from the
 * baselines in s, or NaN where a baseline is missing. */
static void derive(osw_row *r, const struct rowset *s)
{
    r->speedup = r->efficiency = r->speedup_lo = r->speedup_hi = r->overhead_ns = NAN;
    if (!r->verified)
        return;
    const osw_row *st = static_base(s, r);
    if (st && st->verified && r->n > 0)
        r->overhead_ns =
            (r->median_s - st->median_s / r->threads) * r->threads / (double)r->n * 1e9;
    long b = rowset_find(s, r->kernel, r->n, 1, r->schedule, r->chunk);
    if (b >= 0) {
        double base = s->rows[b].median_s;
        r->speedup = base / r->median_s;
        r->efficiency = r->speedup / r->threads;
        r->speedup_lo = base / r->ci_hi_s;
        r->speedup_hi = base / r->ci_lo_s;
    }
}

/* ---- files ---- */

/* Reads a whole file into a NUL-terminated buffer (*len bytes). Returns 0
 * or -errno. */
static int slurp(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -errno;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (;;) {
        if (n + 65536 + 1 > cap) {
            size_t ncap = cap ? 2 * cap : 131072;
            char *grown = realloc(buf, ncap);
            if (!grown) {
                rc = -ENOMEM;
                break;
            }
            buf = grown;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (rc == 0 && ferror(f))
        rc = -EIO;
    fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    if (!buf && !(buf = malloc(1)))
        return -ENOMEM;
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

/* Replaces path with data[0..len) atomically (temporary file, rename). */
static int replace_file(const char *path, const char *data, size_t len)
{
    char tmp[4300];
    snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -errno;
    if (fwrite(data, 1, len, f) != len) {
        int rc = -(errno ? errno : EIO);
        fclose(f);
        unlink(tmp);
        return rc;
    }
    return osw_commit_file(f, tmp, path);
}

/* Appends one CSV record of cells[0..n) to f, quoting where needed. */
static void put_record(FILE *f, char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *c = cells[i];
        if (i)
            fputc(',', f);
        if (strpbrk(c, ",\"\r\n")) {
            fputc('"', f);
            for (; *c; c++) {
                if (*c == '"')
                    fputc('"', f);
                fputc(*c, f);
            }
            fputc('"', f);
        } else {
            fputs(c, f);
        }
    }
    fputc('\n', f);
}

/* Rewrites path as table t's header and the rows i with keep[i]. */
static int rewrite_table(const char *path, const osw_table *t, const char *keep)
{
    char *data = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&data, &len);
    if (!m)
        return -ENOMEM;
    put_record(m, t->header, t->ncols);
    for (size_t i = 0; i < t->nrows; i++)
        if (keep[i])
            put_record(m, t->rows[i], t->ncols);
    int rc = fclose(m) == 0 ? replace_file(path, data, len) : -ENOMEM;
    free(data);
    return rc;
}

/* ---- meta.json of an earlier run ---- */

/* The value of string member name at the top level of our meta.json (as
 * osw_meta_write writes it: two-space indent, one member a line) into out;
 * 1 when found, else 0. */
static int meta_string(const char *json, const char *name, char *out, size_t len)
{
    char pat[96];
    snprintf(pat, sizeof(pat), "\n  \"%s\": \"", name);
    const char *p = strstr(json, pat);
    if (!p || len == 0)
        return 0;
    p += strlen(pat);
    size_t o = 0;
    for (; *p && *p != '"'; p++) {
        char c = *p;
        if (c == '\\') {
            p++;
            switch (*p) {
            case 'n':
                c = '\n';
                break;
            case 't':
                c = '\t';
                break;
            case 'u': {
                unsigned v = 0;
                if (sscanf(p + 1, "%4x", &v) != 1)
                    return 0;
                c = (char)v;
                p += 4;
                break;
            }
            case '\0':
                return 0;
            default:
                c = *p;
            }
        }
        if (o + 1 < len)
            out[o++] = c;
    }
    out[o] = '\0';
    return *p == '"';
}

/* The text inside the braces of object member name ("name": {...}) in our
 * meta.json, as a fresh string; NULL when absent. */
static char *meta_object(const char *json, const char *name)
{
    char pat[96];
    snprintf(pat, sizeof(pat), "\n  \"%s\": {", name);
    const char *p = strstr(json, pat);
    if (!p)
        return NULL;
    p += strlen(pat);
    const char *q = p;
    int depth = 0, in_string = 0;
    for (; *q; q++) {
        if (in_string) {
            if (*q == '\\' && q[1])
                q++;
            else if (*q == '"')
                in_string = 0;
        } else if (*q == '"') {
            in_string = 1;
        } else if (*q == '{' || *q == '[') {
            depth++;
        } else if (*q == ']') {
            depth--;
        } else if (*q == '}') {
            if (depth == 0)
                break;
            depth--;
        }
    }
    if (*q != '}')
        return NULL;
    return strndup(p, (size_t)(q - p));
}

/* Names the first field (name=value; see osw_config_key) where keys a and b
 * differ, as "name: 'a' here 'b'", into out. */
static void key_difference(const char *a, const char *b, char *out, size_t len)
{
    while (*a || *b) {
        size_t la = strcspn(a, ";"), lb = strcspn(b, ";");
        if (la != lb || strncmp(a, b, la) != 0) {
            size_t eq = strcspn(a, "=");
            if (eq > la)
                eq = la;
            int name = (int)eq, va = (int)(la > eq ? la - eq - 1 : 0);
            int vb = (int)(lb > eq ? lb - eq - 1 : 0);
            snprintf(out, len, "%.*s was '%.*s', now '%.*s'", name, a, va > 36 ? 36 : va,
                     a + (la > eq ? eq + 1 : la), vb > 36 ? 36 : vb, b + (lb > eq ? eq + 1 : lb));
            return;
        }
        a += la + (a[la] == ';');
        b += lb + (b[lb] == ';');
    }
    snprintf(out, len, "the keys differ");
}

/* ---- --resume ---- */

/* Whether t's header is exactly the comma-separated names of want. */
static int header_is(const osw_table *t, const char *want)
{
    const char *p = want;
    for (size_t i = 0; i < t->ncols; i++) {
        size_t l = strcspn(p, ",");
        if (strlen(t->header[i]) != l || strncmp(t->header[i], p, l) != 0)
            return 0;
        p += l;
        if (*p == ',')
            p++;
        else if (i + 1 < t->ncols)
            return 0;
    }
    return *p == '\0';
}

/* Reads out_dir/name for --resume into t. A last line without its newline
 * (a killed writer) is cut off the file, and said so. *fresh is set when the
 * file is absent or holds no whole line: the caller writes it anew. */
static int resume_read(const char *out_dir, const char *name, const char *header, osw_table *t,
                       int *fresh, char *err)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", out_dir, name);
    char *data;
    size_t len;
    memset(t, 0, sizeof(*t));
    *fresh = 0;
    int rc = slurp(path, &data, &len);
    if (rc == -ENOENT) {
        *fresh = 1;
        return 0;
    }
    if (rc) {
        snprintf(err, OSW_ERRLEN, "--resume: cannot read %.160s: %s", path, strerror(-rc));
        return rc;
    }
    size_t whole = len;
    while (whole > 0 && data[whole - 1] != '\n')
        whole--;
    free(data);
    if (whole < len) {
        fprintf(stderr,
                "ompsweep: resume: %s ended in a partial line (%zu bytes, a killed run): "
                "dropped it\n",
                path, len - whole);
        if (truncate(path, (off_t)whole) != 0) {
            int e = errno;
            snprintf(err, OSW_ERRLEN, "--resume: cannot truncate %.160s: %s", path, strerror(e));
            return -e;
        }
    }
    if (whole == 0) {
        *fresh = 1;
        return 0;
    }
    char cerr[256];
    rc = osw_csv_read(path, t, cerr);
    if (rc) {
        snprintf(err, OSW_ERRLEN, "--resume: %.240s", cerr);
        return rc == -ENOMEM ? rc : OSW_EFORMAT;
    }
    if (!header_is(t, header)) {
        osw_table_free(t);
        snprintf(err, OSW_ERRLEN,
                 "--resume: %.160s has other columns than this ompsweep writes; use a new --out",
                 path);
        return OSW_EFORMAT;
    }
    return 0;
}

/* Parses a samples.csv row's configuration; 0 when it is malformed. */
static int sample_key(const osw_table *t, size_t i, int col[5], size_t *n, int *threads, int *chunk)
{
    char *end;
    errno = 0;
    unsigned long long nv = strtoull(t->rows[i][col[1]], &end, 10);
    if (*end || errno || !*t->rows[i][col[1]])
        return 0;
    long tv = strtol(t->rows[i][col[2]], &end, 10);
    if (*end || tv < 1 || tv > 1 << 20)
        return 0;
    long cv = strtol(t->rows[i][col[4]], &end, 10);
    if (*end || cv < 0 || cv > 2147483647L)
        return 0;
    *n = (size_t)nv;
    *threads = (int)tv;
    *chunk = (int)cv;
    return 1;
}

/* Loads an earlier run for --resume: checks meta.json's config_key against
 * key, repairs summary.csv and samples.csv (see sweep.h) and fills rows with
 * the summary's configurations, cpus and migr with meta.json's records. */
static int resume_load(const osw_sweep_opts *o, const char *key, struct rowset *rows,
                       struct jbuf *cpus, struct jbuf *migr, int *summary_fresh, int *samples_fresh,
                       char *err)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/meta.json", o->out_dir);
    char *meta;
    size_t len;
    int rc = slurp(path, &meta, &len);
    *summary_fresh = *samples_fresh = 1;
    if (rc == -ENOENT) {
        char sp[4200];
        snprintf(sp, sizeof(sp), "%s/summary.csv", o->out_dir);
        if (access(sp, F_OK) == 0) {
            snprintf(err, OSW_ERRLEN,
                     "--resume: '%.160s' has summary.csv but no meta.json, so its settings "
                     "cannot be checked",
                     o->out_dir);
            return OSW_EUSAGE;
        }
        return 0; /* nothing to resume: a fresh run */
    }
    if (rc) {
        snprintf(err, OSW_ERRLEN, "--resume: cannot read %.160s: %s", path, strerror(-rc));
        return rc;
    }
    size_t klen = strlen(key) + 1;
    char *old = malloc(klen + 4096);
    if (!old) {
        free(meta);
        return -ENOMEM;
    }
    if (!meta_string(meta, "config_key", old, klen + 4096)) {
        snprintf(err, OSW_ERRLEN,
                 "--resume: %.160s has no config_key (not written by this ompsweep's run); use "
                 "a new --out",
                 path);
        rc = OSW_EUSAGE;
    } else if (strcmp(old, key) != 0) {
        char diff[100];
        key_difference(old, key, diff, sizeof(diff));
        snprintf(err, OSW_ERRLEN,
                 "--resume: '%.40s' holds a run with other settings (%.100s): use the same "
                 "build and options, or a new --out",
                 o->out_dir, diff);
        rc = OSW_EUSAGE;
    }
    free(old);
    if (rc) {
        free(meta);
        return rc;
    }
    char *c = meta_object(meta, "cpus_used"), *m = meta_object(meta, "thread_migrations");
    free(meta);
    /* Whitespace-only objects carry nothing. */
    if (c && c[strspn(c, " \n")])
        jbuf_add(cpus, c + strspn(c, " \n"));
    if (m && m[strspn(m, " \n")])
        jbuf_add(migr, m + strspn(m, " \n"));
    free(c);
    free(m);

    osw_table sum, smp;
    rc = resume_read(o->out_dir, "summary.csv", osw_summary_header, &sum, summary_fresh, err);
    if (rc)
        return rc;
    rc = resume_read(o->out_dir, "samples.csv", osw_samples_header, &smp, samples_fresh, err);
    if (rc) {
        osw_table_free(&sum);
        return rc;
    }
    char cerr[256];
    for (size_t i = 0; i < sum.nrows && rc == 0; i++) {
        osw_row r;
        rc = osw_row_from_table(&sum, i, &r, cerr);
        if (rc)
            snprintf(err, OSW_ERRLEN, "--resume: %.60s/summary.csv: %.150s", o->out_dir, cerr);
        else
            rc = rowset_add(rows, &r);
    }
    /* Count each configuration's samples; samples without a summary row are
     * what a run killed between the two writes leaves. */
    size_t *counts = calloc(rows->count + 1, sizeof(*counts));
    char *keep_smp = malloc(smp.nrows + 1), *keep_sum = malloc(sum.nrows + 1);
    long *owner = malloc((smp.nrows + 1) * sizeof(*owner));
    if (rc == 0 && (!counts || !keep_smp || !keep_sum || !owner))
        rc = -ENOMEM;
    size_t orphans = 0, mismatched = 0;
    if (rc == 0) {
        int col[5] = {osw_table_col(&smp, "kernel"), osw_table_col(&smp, "n"),
                      osw_table_col(&smp, "threads"), osw_table_col(&smp, "schedule"),
                      osw_table_col(&smp, "chunk")};
        for (size_t i = 0; i < smp.nrows; i++) {
            size_t n;
            int threads, chunk;
            long idx = -1;
            if (sample_key(&smp, i, col, &n, &threads, &chunk))
                idx =
                    rowset_find(rows, smp.rows[i][col[0]], n, threads, smp.rows[i][col[3]], chunk);
            owner[i] = idx;
            keep_smp[i] = idx >= 0;
            orphans += idx < 0;
            if (idx >= 0)
                counts[idx]++;
        }
        /* A summary row whose samples are not all there is measured again. */
        struct rowset kept = {0};
        for (size_t i = 0; i < rows->count && rc == 0; i++) {
            keep_sum[i] = counts[i] == (size_t)rows->rows[i].reps;
            if (keep_sum[i])
                rc = rowset_add(&kept, &rows->rows[i]);
            else
                mismatched++;
        }
        for (size_t i = 0; i < smp.nrows; i++)
            if (owner[i] >= 0 && !keep_sum[owner[i]])
                keep_smp[i] = 0;
        rowset_free(rows);
        *rows = kept;
    }
    if (rc == 0 && orphans)
        fprintf(stderr,
                "ompsweep: resume: dropped %zu sample row(s) of configurations missing from "
                "summary.csv (a run stopped between the two writes)\n",
                orphans);
    if (rc == 0 && mismatched)
        fprintf(stderr,
                "ompsweep: resume: %zu configuration(s) in summary.csv do not have their reps "
                "in samples.csv: dropped, to be measured again\n",
                mismatched);
    if (rc == 0 && (orphans || mismatched) && !*samples_fresh) {
        snprintf(path, sizeof(path), "%s/samples.csv", o->out_dir);
        rc = rewrite_table(path, &smp, keep_smp);
    }
    if (rc == 0 && mismatched && !*summary_fresh) {
        snprintf(path, sizeof(path), "%s/summary.csv", o->out_dir);
        rc = rewrite_table(path, &sum, keep_sum);
    }
    if (rc < 0 && rc > -4096 && !*err)
        snprintf(err, OSW_ERRLEN, "--resume: repairing '%.160s': %s", o->out_dir, strerror(-rc));
    free(counts);
    free(keep_smp);
    free(keep_sum);
    free(owner);
    osw_table_free(&sum);
    osw_table_free(&smp);
    return rc;
}

/* ---- the final pass ---- */

/* Computes the derived columns of every row from the rows' baselines and
 * rewrites path atomically where that changes it. Rows 0..nold-1 come from
 * the file being resumed: their values, printed with 6 to 7 significant
 * digits, would give speedups that differ in the last digit from the ones
 * the earlier run computed at full precision; so such a row keeps the
 * derived values it has unless its baseline was measured in this run. */
static int final_pass(const char *path, struct rowset *rows, size_t nold)
{
    for (size_t i = 0; i < rows->count; i++) {
        osw_row *r = &rows->rows[i], d = *r;
        derive(&d, rows);
        long b = rowset_find(rows, r->kernel, r->n, 1, r->schedule, r->chunk);
        const osw_row *st = static_base(rows, r);
        int keep_speedup = i < nold && b >= 0 && (size_t)b < nold && !isnan(r->speedup);
        int keep_overhead =
            i < nold && st && (size_t)(st - rows->rows) < nold && !isnan(r->overhead_ns);
        if (!keep_speedup) {
            r->speedup = d.speedup;
            r->efficiency = d.efficiency;
            r->speedup_lo = d.speedup_lo;
            r->speedup_hi = d.speedup_hi;
        }
        if (!keep_overhead)
            r->overhead_ns = d.overhead_ns;
    }
    char *data = NULL, *old = NULL;
    size_t len = 0, old_len = 0;
    FILE *m = open_memstream(&data, &len);
    if (!m)
        return -ENOMEM;
    int rc = osw_csv_summary_header(m);
    for (size_t i = 0; i < rows->count && rc == 0; i++)
        rc = osw_csv_summary_row(m, &rows->rows[i]);
    if (fclose(m) != 0 && rc == 0)
        rc = -ENOMEM;
    if (rc == 0 &&
        (slurp(path, &old, &old_len) != 0 || old_len != len || memcmp(old, data, len) != 0))
        rc = replace_file(path, data, len);
    free(old);
    free(data);
    return rc;
}

/* ---- the sweep ---- */

static void progress_line(long done, long total, long measured, long todo, double started,
                          const osw_row *current)
{
    double elapsed = omp_get_wtime() - started;
    double eta = measured > 0 ? elapsed * (double)(todo - measured) / (double)measured : 0;
    fprintf(stderr, "\r\033[K[%ld/%ld] %02d:%02d elapsed, ETA %02d:%02d  %s n=%zu threads=%d %s",
            done, total, (int)elapsed / 60, (int)elapsed % 60, (int)eta / 60, (int)eta % 60,
            current->kernel, current->n, current->threads, current->schedule);
}

/* Affinity: the first configuration in which two threads ran on one
 * physical core although there were cores enough, warned once. */
struct affinity {
    int *core_of; /* OS CPU -> dense core id (osw_cpu_core_map) */
    int ncpu;
    int cores; /* physical cores this process may use */
    int *cpus; /* scratch: each thread's CPU */
    int warned;
};

static void affinity_check(struct affinity *a, const osw_sweep_opts *o, const osw_kernel *k,
                           const osw_row *row)
{
    static char warning[400];
    int threads = row->threads < OSW_MAX_THREADS ? row->threads : OSW_MAX_THREADS;
    if (a->warned || !a->core_of || !a->cpus || k->kind == OSW_WAITS || threads < 2 ||
        threads > a->cores)
        return;
    for (int t = 0; t < threads; t++)
        a->cpus[t] = osw_probe[t].busy_s > 0 ? osw_probe[t].cpu : -1;
    int t1, t2;
    if (!osw_shared_core(a->cpus, threads, a->core_of, a->ncpu, &t1, &t2))
        return;
    a->warned = 1;
    snprintf(warning, sizeof(warning),
             "threads %d and %d of %s n=%zu threads=%d %s ran on one physical core (CPUs %d "
             "and %d) although %d cores are available: bind threads to cores "
             "(OMP_PROC_BIND=spread OMP_PLACES=cores) for figures that scale by core",
             t1, t2, row->kernel, row->n, row->threads, row->schedule, a->cpus[t1], a->cpus[t2],
             a->cores);
    if (o->progress)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "ompsweep: warning: %s\n", warning);
    if (o->meta->nwarnings < OSW_MAX_WARNINGS)
        o->meta->warnings[o->meta->nwarnings++] = warning;
}

/* Records "kernel,n,threads,schedule,chunk": runs for a configuration in
 * which a thread's CPU changed during a timed run. */
static void migrations_record(struct jbuf *m, const osw_row *row)
{
    long runs = 0;
    for (int t = 0; t < row->threads && t < OSW_MAX_THREADS; t++)
        runs += osw_probe[t].migrations;
    if (runs == 0)
        return;
    char entry[200];
    snprintf(entry, sizeof(entry), "%s\"%s,%zu,%d,%s,%d\": %ld", m->len ? ", " : "", row->kernel,
             row->n, row->threads, row->schedule, row->chunk, runs);
    jbuf_add(m, entry);
}

int osw_sweep_run(const osw_sweep_opts *o, int *unverified, char *err)
{
    *unverified = 0;
    int shuffled = o->order == OSW_ORDER_SHUFFLED;
    osw_sampling sampling = {.reps = o->reps,
                             .ci_target = o->reps_auto ? o->ci_target : 0,
                             .min_reps = o->min_reps,
                             .max_reps = o->max_reps,
                             .max_time_s = o->max_time_s};
    if (o->reps_auto && !(o->ci_target > 0 && o->min_reps >= 1 && o->max_reps >= o->min_reps &&
                          o->max_time_s > 0)) {
        snprintf(err, OSW_ERRLEN, "--reps auto needs a CI target > 0 and 1 <= min <= max reps");
        return OSW_EUSAGE;
    }
    int cap = o->reps_auto ? o->max_reps : o->reps;
    osw_alloc_set_policy(&(osw_alloc_policy){!o->no_huge_pages, o->array_offset});
    int klen = osw_config_key(o, NULL, 0);
    char *key = malloc((size_t)klen + 1);
    if (!key)
        return -ENOMEM;
    osw_config_key(o, key, (size_t)klen + 1);

    int rc =
        o->resume ? ensure_dir(o->out_dir, err) : osw_prepare_out_dir(o->out_dir, o->force, err);
    if (rc) {
        free(key);
        return rc;
    }

    struct rowset rows = {0};
    struct jbuf cpus = {0}, migr = {0};
    struct affinity aff = {0};
    int summary_fresh = 1, samples_fresh = 1;
    FILE *summary = NULL, *samples = NULL;
    int *threads = NULL;
    double *seconds = NULL;
    size_t *order = NULL;
    char(*sched_names)[32] = NULL;
    int wrote = 0;   /* the files are open and valid: the final pass may run */
    size_t nold = 0; /* rows kept from the run being resumed */
    char path[4200];
    if (o->resume) {
        rc = resume_load(o, key, &rows, &cpus, &migr, &summary_fresh, &samples_fresh, err);
        if (rc)
            goto out;
    }
    nold = rows.count;

    snprintf(path, sizeof(path), "%s/summary.csv", o->out_dir);
    summary = fopen(path, summary_fresh ? "w" : "a");
    snprintf(path, sizeof(path), "%s/samples.csv", o->out_dir);
    samples = summary ? fopen(path, samples_fresh ? "w" : "a") : NULL;
    if (!summary || !samples) {
        rc = -errno;
        snprintf(err, OSW_ERRLEN, "cannot write in '%.160s': %s", o->out_dir, strerror(errno));
        goto out;
    }
    if (summary_fresh)
        rc = osw_csv_summary_header(summary);
    if (rc == 0 && samples_fresh)
        rc = osw_csv_samples_header(samples);
    if (rc) {
        snprintf(err, OSW_ERRLEN, "writing results in '%.160s': %s", o->out_dir, strerror(-rc));
        goto out;
    }
    wrote = 1;

    size_t nsizes = o->sizes ? o->nsizes : 1;
    size_t total = o->nkernels * nsizes * o->nschedules * o->nthreads;
    threads = malloc((o->nthreads + 1) * sizeof(*threads));
    seconds = malloc((size_t)cap * sizeof(*seconds));
    order = malloc((total + 1) * sizeof(*order));
    sched_names = malloc((o->nschedules + 1) * sizeof(*sched_names));
    if (!threads || !seconds || !order || !sched_names) {
        rc = -ENOMEM;
        goto out;
    }
    memcpy(threads, o->threads, o->nthreads * sizeof(*threads));
    qsort(threads, o->nthreads, sizeof(*threads), cmp_int);
    for (size_t ci = 0; ci < o->nschedules; ci++)
        osw_schedule_name(&o->schedules[ci], sched_names[ci], sizeof(sched_names[ci]));
    for (size_t i = 0; i < total; i++)
        order[i] = i;
    if (shuffled)
        osw_shuffle(order, total, o->seed);

    aff.core_of = osw_cpu_core_map(&aff.ncpu);
    aff.cores = osw_cores_available(aff.core_of, aff.ncpu);
    aff.cpus = malloc(OSW_MAX_THREADS * sizeof(*aff.cpus));

/* Configuration i of the plan in sequential order: threads fastest. */
#define PLAN(i, ki, si, ci, ti)                                                                    \
    size_t ti = (i) % o->nthreads, ci = (i) / o->nthreads % o->nschedules,                         \
           si = (i) / o->nthreads / o->nschedules % nsizes,                                        \
           ki = (i) / o->nthreads / o->nschedules / nsizes
    long resumed = 0;
    for (size_t i = 0; i < total && nold; i++) {
        PLAN(i, ki, si, ci, ti);
        const osw_kernel *k = o->kernels[ki];
        size_t n = o->sizes ? o->sizes[si] : k->default_n;
        long f =
            rowset_find(&rows, k->name, n, threads[ti], sched_names[ci], o->schedules[ci].chunk);
        resumed += f >= 0 && (size_t)f < nold;
    }
    long done = resumed, measured = 0, todo = (long)total - resumed;

    o->meta->configs_total = (long)total;
    o->meta->configs_done = done;
    o->meta->configs_resumed = resumed;
    o->meta->status = "running";
    o->meta->order = shuffled ? "shuffled" : "sequential";
    o->meta->has_seed = shuffled;
    o->meta->seed = o->seed;
    o->meta->config_key = key;
    o->meta->huge_pages = o->no_huge_pages ? "off" : "on";
    o->meta->array_offset = o->array_offset;
    o->meta->reps_auto = o->reps_auto;
    o->meta->ci_target_pct = o->ci_target * 100;
    o->meta->min_reps = o->min_reps;
    o->meta->max_reps = o->max_reps;
    o->meta->max_time_s = o->max_time_s;
    o->meta->cpus_json = cpus.s;
    o->meta->migrations_json = migr.s;
    rc = osw_meta_write(o->out_dir, o->meta);
    if (rc) {
        snprintf(err, OSW_ERRLEN, "writing meta.json in '%.160s': %s", o->out_dir, strerror(-rc));
        goto out;
    }
    if (o->resume && nold && !o->quiet)
        fprintf(stderr,
                "ompsweep: resume: %ld of %zu configurations already in %s; measuring %ld\n",
                resumed, total, o->out_dir, todo);
    double started = omp_get_wtime();

    for (size_t p = 0; p < total && rc == 0; p++) {
        PLAN(order[p], ki, si, ci, ti);
        const osw_kernel *k = o->kernels[ki];
        size_t n = o->sizes ? o->sizes[si] : k->default_n;
        long f =
            rowset_find(&rows, k->name, n, threads[ti], sched_names[ci], o->schedules[ci].chunk);
        if (f >= 0 && (size_t)f < nold)
            continue; /* measured by the run being resumed */
        if (osw_stop_signal) {
            rc = OSW_EINTR;
            break;
        }
        osw_row row;
        memset(&row, 0, sizeof(row));
        omp_set_num_threads(threads[ti]);
        osw_schedule_apply(&o->schedules[ci]);
        snprintf(row.schedule, sizeof(row.schedule), "%s", sched_names[ci]);
        row.chunk = o->schedules[ci].chunk;
        if (o->progress) {
            snprintf(row.kernel, sizeof(row.kernel), "%s", k->name);
            row.n = n;
            row.threads = threads[ti];
            progress_line(done, (long)total, measured, todo, started, &row);
        }
        rc = osw_measure_sampled(k, n, &sampling, o->warmup, o->min_sample_s, &row, seconds);
        if (rc) {
            snprintf(err, OSW_ERRLEN, "%s at n=%zu with %d threads: setup failed: %s", k->name, n,
                     threads[ti], osw_strerror(rc));
            break;
        }
        cpus_record(&cpus, row.threads);
        migrations_record(&migr, &row);
        o->meta->cpus_json = cpus.s;
        o->meta->migrations_json = migr.s;
        affinity_check(&aff, o, k, &row);
        rc = rowset_add(&rows, &row);
        if (rc == 0 && !shuffled) {
            /* Sequential: the series' 1-thread row is in already (threads
             * ascend), so the derived columns go out with the row. */
            derive(&rows.rows[rows.count - 1], &rows);
            row = rows.rows[rows.count - 1];
        }
        if (rc == 0)
            rc = osw_csv_samples_rows(samples, &row, seconds, (size_t)row.reps);
        if (rc == 0)
            rc = osw_csv_summary_row(summary, &row);
        if (rc) {
            snprintf(err, OSW_ERRLEN, "writing results in '%.160s': %s", o->out_dir, strerror(-rc));
            break;
        }
        if (!row.verified) {
            (*unverified)++;
            if (o->progress)
                fputs("\r\033[K", stderr);
            fprintf(stderr,
                    "ompsweep: %s n=%zu threads=%d schedule=%s,%d FAILED verification (rel_err "
                    "%.3g)\n",
                    row.kernel, row.n, row.threads, row.schedule, row.chunk, row.rel_err);
        }
        done++;
        measured++;
        if (!o->quiet) {
            if (o->progress)
                fputs("\r\033[K", stderr);
            char sched[48];
            snprintf(sched, sizeof(sched), row.chunk ? "%s,%d" : "%s", row.schedule, row.chunk);
            printf("%-12s n=%-11zu threads=%-4d %-24s median %.6f s", row.kernel, row.n,
                   row.threads, sched, row.median_s);
            if (!isnan(row.gbps_median))
                printf("  %7.2f GB/s", row.gbps_median);
            if (!isnan(row.speedup))
                printf("  speedup %5.2f", row.speedup);
            if (o->reps_auto)
                printf("  %d reps (%s)", row.reps, row.stop_reason);
            printf("%s\n", row.verified ? "" : "  UNVERIFIED");
            fflush(stdout);
        }
        o->meta->configs_done = done;
    }
#undef PLAN
    if (o->progress)
        fputs("\r\033[K", stderr);

out:
    if (summary && fclose(summary) != 0 && rc == 0) {
        rc = -errno;
        snprintf(err, OSW_ERRLEN, "closing summary.csv: %s", strerror(errno));
    }
    if (samples && fclose(samples) != 0 && rc == 0) {
        rc = -errno;
        snprintf(err, OSW_ERRLEN, "closing samples.csv: %s", strerror(errno));
    }
    if (wrote && (rc == 0 || rc == OSW_EINTR)) {
        snprintf(path, sizeof(path), "%s/summary.csv", o->out_dir);
        int frc = final_pass(path, &rows, nold);
        if (frc) {
            rc = frc;
            snprintf(err, OSW_ERRLEN, "rewriting %.160s with speedups: %s", path, strerror(-frc));
        }
    }
    if (wrote) {
        char finished[32];
        o->meta->finished = osw_now_iso(finished, sizeof(finished));
        o->meta->status = rc == 0 ? "complete" : rc == OSW_EINTR ? "interrupted" : "failed";
        o->meta->cpus_json = cpus.s;
        o->meta->migrations_json = migr.s;
        o->meta->config_key = key;
        int mrc = osw_meta_write(o->out_dir, o->meta);
        if (mrc && rc == 0) {
            rc = mrc;
            snprintf(err, OSW_ERRLEN, "writing meta.json in '%.160s': %s", o->out_dir,
                     strerror(-mrc));
        }
    }
    o->meta->cpus_json = o->meta->migrations_json = o->meta->config_key = NULL;
    o->meta->finished = NULL;
    free(cpus.s);
    free(migr.s);
    free(key);
    free(threads);
    free(seconds);
    free(order);
    free(sched_names);
    free(aff.core_of);
    free(aff.cpus);
    rowset_free(&rows);
    return rc;
}

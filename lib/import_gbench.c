/* import_gbench.c: Google Benchmark JSON from ompsweep-gbench to summary.csv,
 * samples.csv and meta.json.
 *
 * The configuration of each benchmark is read from its run name, which the
 * shim writes as KERNEL/schedule:S/chunk:C/n:N/threads:T[/real_time]; the
 * counters n, omp_threads and chunk stand in when a part is missing. Each
 * iteration row is one sample (gbench's real_time is the mean wall time of one
 * kernel call over that repetition's iterations), written to samples.csv as
 * a run's repetitions are, so `ompsweep compare` works on imported runs; the
 * summary's reps is their count. Statistics come from the
 * iteration rows when there are any, else from the mean, median and stddev
 * aggregates (then min, the CI and the outlier count are not available). */
#define _POSIX_C_SOURCE 200809L
#include "import_gbench.h"
#include "csv.h"
#include "error.h"
#include "kernel.h"
#include "meta.h"
#include "stats.h"
#include "rundir.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ERRLEN 256

static int fail(char *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, ERRLEN, fmt, ap);
    va_end(ap);
    return code;
}

/* One configuration and what the rows said about it. */
struct config {
    char kernel[64];
    size_t n;
    int threads;
    char schedule[32];
    int chunk;
    double *samples; /* seconds per kernel call, one per iteration row */
    size_t nsamples, cap;
    long iterations;                  /* of the first iteration row; 0 when none */
    double bytes_per_call;            /* from bytes_per_second; NaN when absent */
    double *cpu_per_wall, *imbalance; /* per iteration row (NaN when absent) */
    double rel_err;                   /* worst seen; NaN when none */
    int errors;                       /* rows with error_occurred */
    int agg_reps;                     /* from the aggregates */
    double agg_mean, agg_median, agg_stddev;
    double agg_cpu_per_wall, agg_imbalance, agg_bytes_per_call;
};

struct configs {
    struct config *v;
    size_t count, cap;
};

static void configs_free(struct configs *c)
{
    for (size_t i = 0; i < c->count; i++) {
        free(c->v[i].samples);
        free(c->v[i].cpu_per_wall);
        free(c->v[i].imbalance);
    }
    free(c->v);
}

static int is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Google Benchmark writes non-finite counters as NaN, -NaN, Infinity or
 * -Infinity, which JSON (and cJSON) do not accept. Returns a copy of text with
 * those tokens, outside strings, replaced by null; NULL when out of memory. */
static char *nonfinite_to_null(const char *text, size_t len)
{
    static const char *tokens[] = {"-Infinity", "Infinity", "-NaN", "NaN",
                                   "-nan",      "nan",      "-inf", "inf"};
    char *out = malloc(2 * len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    int in_string = 0;
    for (size_t i = 0; i < len;) {
        char c = text[i];
        if (in_string) {
            out[o++] = c;
            i++;
            if (c == '\\' && i < len)
                out[o++] = text[i++];
            else if (c == '"')
                in_string = 0;
            continue;
        }
        if (c == '"') {
            in_string = 1;
            out[o++] = c;
            i++;
            continue;
        }
        size_t matched = 0;
        if (c == '-' || c == 'N' || c == 'n' || c == 'I' || c == 'i') {
            for (size_t t = 0; t < sizeof(tokens) / sizeof(tokens[0]) && !matched; t++) {
                size_t tl = strlen(tokens[t]);
                if (tl <= len - i && memcmp(text + i, tokens[t], tl) == 0 &&
                    (i + tl == len || !is_word_char(text[i + tl])))
                    matched = tl;
            }
        }
        if (matched) {
            memcpy(out + o, "null", 4);
            o += 4;
            i += matched;
        } else {
            out[o++] = c;
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

static double num_or_nan(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str_or_null(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double unit_seconds(const char *unit)
{
    if (!unit || strcmp(unit, "ns") == 0)
        return 1e-9;
    if (strcmp(unit, "us") == 0)
        return 1e-6;
    if (strcmp(unit, "ms") == 0)
        return 1e-3;
    if (strcmp(unit, "s") == 0)
        return 1;
    return NAN;
}

/* A whole non-negative decimal integer. */
static int parse_ull(const char *s, unsigned long long *out)
{
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

/* Fills the key of c from a run name and the row's counters. */
static int parse_run_name(const char *name, const cJSON *row, struct config *c, char *what,
                          size_t whatlen)
{
    char *copy = strdup(name);
    if (!copy)
        return -ENOMEM;
    int have_n = 0, have_threads = 0, have_chunk = 0, have_sched = 0;
    int rc = 0;
    char *save = NULL;
    char *seg = strtok_r(copy, "/", &save);
    if (!seg || strlen(seg) >= sizeof(c->kernel) || !osw_cell_is_word(seg)) {
        snprintf(what, whatlen, "no kernel name (A-Z a-z 0-9 _ . + @ -)");
        rc = -1;
        goto out;
    }
    strcpy(c->kernel, seg);
    while ((seg = strtok_r(NULL, "/", &save))) {
        char *colon = strchr(seg, ':');
        if (!colon)
            continue; /* real_time, manual_time, ... */
        *colon = '\0';
        const char *key = seg, *val = colon + 1;
        unsigned long long v;
        if (strcmp(key, "schedule") == 0) {
            if (!osw_cell_is_schedule(val) || strcmp(val, "default") == 0) {
                snprintf(what, whatlen, "bad schedule");
                rc = -1;
                goto out;
            }
            strcpy(c->schedule, val);
            have_sched = 1;
        } else if (strcmp(key, "chunk") == 0 || strcmp(key, "n") == 0 ||
                   strcmp(key, "threads") == 0) {
            if (parse_ull(val, &v) != 0) {
                snprintf(what, whatlen, "bad %s", key);
                rc = -1;
                goto out;
            }
            if (key[0] == 'c') {
                c->chunk = v > INT32_MAX ? -1 : (int)v;
                have_chunk = 1;
            } else if (key[0] == 'n') {
                c->n = (size_t)v;
                have_n = 1;
            } else {
                c->threads = v > OSW_MAX_THREADS ? -1 : (int)v;
                have_threads = 1;
            }
        }
    }
    /* Counters stand in for missing name parts. */
    double cn = num_or_nan(row, "n"), ct = num_or_nan(row, "omp_threads");
    double cc = num_or_nan(row, "chunk");
    if (!have_n && cn >= 1 && cn == floor(cn)) {
        c->n = (size_t)cn;
        have_n = 1;
    }
    if (!have_threads && ct >= 1 && ct <= OSW_MAX_THREADS && ct == floor(ct)) {
        c->threads = (int)ct;
        have_threads = 1;
    }
    if (!have_chunk && cc >= 0 && cc <= INT32_MAX && cc == floor(cc))
        c->chunk = (int)cc;
    if (!have_sched) {
        /* The shim's label is the schedule; another label is not one. */
        const char *label = str_or_null(row, "label");
        snprintf(c->schedule, sizeof(c->schedule), "%s",
                 label && osw_cell_is_schedule(label) && strcmp(label, "default") != 0 ? label
                                                                                       : "static");
    }
    if (!have_n || !have_threads) {
        snprintf(what, whatlen, "no n or threads (not from ompsweep-gbench?)");
        rc = -1;
    } else if (c->n < 1 || c->threads < 1 || c->chunk < 0) {
        snprintf(what, whatlen, "n, threads or chunk out of range");
        rc = -1;
    }
out:
    free(copy);
    return rc;
}

static struct config *find_or_add(struct configs *cs, const struct config *key)
{
    for (size_t i = 0; i < cs->count; i++) {
        struct config *c = &cs->v[i];
        if (c->n == key->n && c->threads == key->threads && c->chunk == key->chunk &&
            strcmp(c->kernel, key->kernel) == 0 && strcmp(c->schedule, key->schedule) == 0)
            return c;
    }
    if (cs->count == cs->cap) {
        size_t cap = cs->cap ? 2 * cs->cap : 16;
        struct config *v = realloc(cs->v, cap * sizeof(*v));
        if (!v)
            return NULL;
        cs->v = v;
        cs->cap = cap;
    }
    struct config *c = &cs->v[cs->count++];
    memset(c, 0, sizeof(*c));
    memcpy(c->kernel, key->kernel, sizeof(c->kernel));
    memcpy(c->schedule, key->schedule, sizeof(c->schedule));
    c->n = key->n;
    c->threads = key->threads;
    c->chunk = key->chunk;
    c->bytes_per_call = c->agg_bytes_per_call = NAN;
    c->rel_err = NAN;
    c->agg_mean = c->agg_median = c->agg_stddev = NAN;
    c->agg_cpu_per_wall = c->agg_imbalance = NAN;
    return c;
}

static int push_sample(struct config *c, double s, double cpw, double imb)
{
    if (c->nsamples == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        double *a = realloc(c->samples, cap * sizeof(double));
        if (a)
            c->samples = a;
        double *b = a ? realloc(c->cpu_per_wall, cap * sizeof(double)) : NULL;
        if (b)
            c->cpu_per_wall = b;
        double *d = b ? realloc(c->imbalance, cap * sizeof(double)) : NULL;
        if (!d)
            return -ENOMEM;
        c->imbalance = d;
        c->cap = cap;
    }
    c->samples[c->nsamples] = s;
    c->cpu_per_wall[c->nsamples] = cpw;
    c->imbalance[c->nsamples] = imb;
    c->nsamples++;
    return 0;
}

/* Reads one element of "benchmarks" into cs. Returns 0, 1 for a row to skip
 * (a skipped run, an aggregate we do not use), or -1 with what set. */
static int take_row(struct configs *cs, const cJSON *row, char *what, size_t whatlen)
{
    if (!cJSON_IsObject(row)) {
        snprintf(what, whatlen, "is not an object");
        return -1;
    }
    const char *name = str_or_null(row, "name");
    const char *run_name = str_or_null(row, "run_name");
    if (!name) {
        snprintf(what, whatlen, "has no \"name\"");
        return -1;
    }
    const char *run_type = str_or_null(row, "run_type");
    int aggregate = run_type && strcmp(run_type, "aggregate") == 0;
    const char *agg = str_or_null(row, "aggregate_name");
    const char *agg_unit = str_or_null(row, "aggregate_unit");
    if (aggregate && (!agg || (strcmp(agg, "mean") != 0 && strcmp(agg, "median") != 0 &&
                               strcmp(agg, "stddev") != 0)))
        return 1; /* cv, BigO, RMS, user-defined */
    if (aggregate && agg_unit && strcmp(agg_unit, "time") != 0)
        return 1;
    if (!run_name) {
        run_name = name; /* gbench before 1.5: aggregates carry a _suffix */
        if (aggregate)
            return 1;
    }

    struct config key;
    memset(&key, 0, sizeof(key));
    if (parse_run_name(run_name, row, &key, what, whatlen) != 0)
        return -1;
    struct config *c = find_or_add(cs, &key);
    if (!c) {
        snprintf(what, whatlen, "out of memory");
        return -1;
    }

    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "error_occurred"))) {
        c->errors++;
        return 0;
    }
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "skipped")))
        return 1;

    double unit = unit_seconds(str_or_null(row, "time_unit"));
    double real = num_or_nan(row, "real_time");
    if (isnan(unit)) {
        snprintf(what, whatlen, "has an unknown \"time_unit\"");
        return -1;
    }
    if (!(real >= 0) || isinf(real)) {
        snprintf(what, whatlen, "has no valid \"real_time\"");
        return -1;
    }
    double seconds = real * unit;
    double bps = num_or_nan(row, "bytes_per_second");
    double rel = num_or_nan(row, "rel_err");
    if (!isnan(rel) && (isnan(c->rel_err) || rel > c->rel_err))
        c->rel_err = rel;

    if (aggregate) {
        double reps = num_or_nan(row, "repetitions");
        if (reps >= 1 && reps <= INT32_MAX)
            c->agg_reps = (int)reps;
        if (strcmp(agg, "mean") == 0) {
            c->agg_mean = seconds;
        } else if (strcmp(agg, "median") == 0) {
            c->agg_median = seconds;
            c->agg_cpu_per_wall = num_or_nan(row, "cpu_per_wall");
            c->agg_imbalance = num_or_nan(row, "imbalance");
            if (bps > 0)
                c->agg_bytes_per_call = bps * seconds;
        } else {
            c->agg_stddev = seconds;
        }
        return 0;
    }
    if (!(seconds > 0)) {
        snprintf(what, whatlen, "has a zero \"real_time\" without an error");
        return -1;
    }
    double iters = num_or_nan(row, "iterations");
    if (c->nsamples == 0 && iters >= 1 && iters <= (double)INT64_MAX)
        c->iterations = (long)iters;
    if (isnan(c->bytes_per_call) && bps > 0)
        c->bytes_per_call = bps * seconds;
    if (push_sample(c, seconds, num_or_nan(row, "cpu_per_wall"), num_or_nan(row, "imbalance"))) {
        snprintf(what, whatlen, "out of memory");
        return -1;
    }
    return 0;
}

/* Median of the non-NaN values of x[0..n); NaN when none. */
static double median_finite(const double *x, size_t n)
{
    double *tmp = malloc((n ? n : 1) * sizeof(double));
    if (!tmp)
        return NAN;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            tmp[m++] = x[i];
    osw_stats st;
    double med = NAN;
    if (m > 0 && osw_stats_compute(tmp, m, &st) == 0)
        med = st.median;
    free(tmp);
    return med;
}

static const char *bound_of(const char *kernel)
{
    const osw_kernel *k = osw_kernel_find(kernel);
    if (!k)
        return "";
    return osw_kind_name(k->kind);
}

static int make_row(const struct config *c, osw_row *r)
{
    memset(r, 0, sizeof(*r));
    r->overhead_ns = NAN; /* needs the harness's 1-thread static baseline */
    r->result = r->huge_page_share = r->energy_j = r->drift_rho = NAN;
    memcpy(r->kernel, c->kernel, sizeof(r->kernel));
    memcpy(r->schedule, c->schedule, sizeof(r->schedule));
    r->n = c->n;
    r->threads = c->threads;
    r->chunk = c->chunk;
    r->ranks = 1;
    r->verified = c->errors == 0;
    r->rel_err = c->rel_err;
    r->ci_lo_s = r->ci_hi_s = NAN;
    r->speedup = r->efficiency = r->speedup_lo = r->speedup_hi = NAN;
    r->gbps_median = r->gbps_best = NAN;
    snprintf(r->bound, sizeof(r->bound), "%s", bound_of(c->kernel));
    double bytes;
    if (c->nsamples > 0) {
        double *x = malloc(c->nsamples * sizeof(double));
        if (!x)
            return -ENOMEM;
        memcpy(x, c->samples, c->nsamples * sizeof(double));
        osw_stats st;
        osw_stats_compute(x, c->nsamples, &st);
        free(x);
        r->reps = (int)c->nsamples;
        r->min_s = st.min;
        r->median_s = st.median;
        r->mean_s = st.mean;
        r->stddev_s = st.stddev;
        if (st.ci_level >= 0.95) {
            r->ci_lo_s = st.ci_lo;
            r->ci_hi_s = st.ci_hi;
        }
        r->outliers = (int)st.outliers;
        r->drift_rho = osw_spearman_order(c->samples, c->nsamples); /* in file order */
        r->inner = c->iterations;
        r->cpu_per_wall = median_finite(c->cpu_per_wall, c->nsamples);
        r->imbalance = median_finite(c->imbalance, c->nsamples);
        bytes = c->bytes_per_call;
    } else {
        r->reps = isnan(c->agg_median) ? 0 : c->agg_reps;
        r->min_s = NAN;
        r->median_s = c->agg_median;
        r->mean_s = c->agg_mean;
        r->stddev_s = c->agg_stddev;
        r->inner = 0; /* aggregates do not give the iterations per repetition */
        r->cpu_per_wall = c->agg_cpu_per_wall;
        r->imbalance = c->agg_imbalance;
        bytes = c->agg_bytes_per_call;
    }
    if (bytes > 0) {
        r->gbps_median = bytes / r->median_s / 1e9;
        r->gbps_best = bytes / r->min_s / 1e9;
    }
    return 0;
}

/* Speedup and efficiency against threads=1 of the same series. */
static void fill_speedup(osw_row *rows, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        osw_row *r = &rows[i];
        for (size_t j = 0; j < count; j++) {
            const osw_row *b = &rows[j];
            if (b->threads == 1 && b->n == r->n && b->chunk == r->chunk &&
                strcmp(b->kernel, r->kernel) == 0 && strcmp(b->schedule, r->schedule) == 0) {
                if (b->median_s > 0 && r->median_s > 0) {
                    r->speedup = b->median_s / r->median_s;
                    r->efficiency = r->speedup / r->threads;
                }
                break;
            }
        }
    }
}

static char *path_join(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s/%s", dir, name);
    return p;
}

/* Opens a temporary file in dir; returns the stream and sets *tmp_path. */
static FILE *open_temp(const char *dir, const char *name, char **tmp_path)
{
    char base[64];
    snprintf(base, sizeof(base), ".%s.XXXXXX", name);
    char *p = path_join(dir, base);
    if (!p)
        return NULL;
    int fd = mkstemp(p);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(p);
        }
        free(p);
        errno = e;
        return NULL;
    }
    /* mkstemp makes 0600; results are shared like the harness's files. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    *tmp_path = p;
    return f;
}

static cJSON *build_meta(const cJSON *root, const char *json_path, size_t nconfigs)
{
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(root, "context");
    cJSON *m = cJSON_CreateObject();
    if (!m)
        return NULL;
    char now[32];
    cJSON_AddNumberToObject(m, "schema_version", OSW_SCHEMA_VERSION);
    cJSON_AddStringToObject(m, "source", "google-benchmark");
    cJSON_AddStringToObject(m, "input", json_path);
    cJSON_AddStringToObject(m, "imported", osw_now_iso(now, sizeof(now)));
    cJSON_AddNumberToObject(m, "configs", (double)nconfigs);
    if (cJSON_IsObject(ctx)) {
        const char *host = str_or_null(ctx, "host_name");
        if (host) {
            cJSON_AddStringToObject(m, "host", host);
            cJSON_AddStringToObject(m, "host_name", host);
        }
        double cpus = num_or_nan(ctx, "num_cpus"), mhz = num_or_nan(ctx, "mhz_per_cpu");
        if (!isnan(cpus))
            cJSON_AddNumberToObject(m, "num_cpus", cpus);
        if (!isnan(mhz))
            cJSON_AddNumberToObject(m, "mhz", mhz);
        static const char *copied[] = {"library_version", "library_build_type", "date",
                                       "executable"};
        for (size_t i = 0; i < sizeof(copied) / sizeof(copied[0]); i++) {
            const char *v = str_or_null(ctx, copied[i]);
            if (v)
                cJSON_AddStringToObject(m, copied[i], v);
        }
        cJSON_AddItemToObject(m, "gbench_context", cJSON_Duplicate(ctx, 1));
    }
    return m;
}

/* Writes summary.csv, samples.csv and meta.json into out_dir (which
 * exists). samples.csv holds one row per iteration row (repetition) of each
 * configuration, in input order, numbered from 1 like a run's; a
 * configuration known only from aggregates has none. */
static int write_outputs(const char *out_dir, const osw_row *rows, const struct configs *cs,
                         const char *meta_text, char *err)
{
    static const char *names[3] = {"summary.csv", "samples.csv", "meta.json"};
    char *tmp[3] = {NULL, NULL, NULL};
    size_t count = cs->count;
    int rc = 0;
    for (int i = 0; i < 3 && rc == 0; i++) {
        FILE *f = open_temp(out_dir, names[i], &tmp[i]);
        if (!f) {
            rc = -errno;
            break;
        }
        if (i == 0) {
            rc = osw_csv_summary_header(f);
            for (size_t r = 0; r < count && rc == 0; r++)
                rc = osw_csv_summary_row(f, &rows[r]);
        } else if (i == 1) {
            rc = osw_csv_samples_header(f);
            for (size_t r = 0; r < count && rc == 0; r++)
                rc = osw_csv_samples_rows(f, &rows[r], cs->v[r].samples, NULL, cs->v[r].nsamples);
        } else if (fputs(meta_text, f) == EOF || fputc('\n', f) == EOF) {
            rc = -errno;
        }
        if (fclose(f) != 0 && rc == 0)
            rc = -errno;
    }
    for (int i = 0; i < 3 && rc == 0; i++) {
        char *final = path_join(out_dir, names[i]);
        if (!final || rename(tmp[i], final) != 0)
            rc = final ? -errno : -ENOMEM;
        free(final);
    }
    for (int i = 0; i < 3; i++) {
        if (rc != 0 && tmp[i])
            unlink(tmp[i]);
        free(tmp[i]);
    }
    if (rc != 0)
        fail(err, rc, "cannot write results into '%.180s': %s", out_dir, osw_strerror(rc));
    return rc;
}

int osw_import_gbench(const char *json_path, const char *out_dir, int force, char *err)
{
    char *text = NULL, *clean = NULL;
    size_t len = 0;
    cJSON *root = NULL, *meta = NULL;
    char *meta_text = NULL;
    struct configs cs = {0};
    osw_row *rows = NULL;
    int rc = osw_read_file(json_path, &text, &len);
    if (rc == -ENOMEM) {
        fail(err, rc, "out of memory reading '%.180s'", json_path);
        goto out;
    }
    if (rc) {
        /* The input is the user's: missing, a directory, unreadable, a
         * link loop is a usage error (exit 2), not a resource one. */
        rc = fail(err, OSW_EUSAGE, "cannot read '%.180s': %s", json_path, strerror(-rc));
        goto out;
    }
    if (strlen(text) != len) {
        rc = fail(err, OSW_EFORMAT, "'%.180s' is not a JSON file (it holds a NUL byte)", json_path);
        goto out;
    }
    if (strspn(text, " \t\r\n") == len) {
        rc = fail(err, OSW_EFORMAT, "'%.180s' is empty: not a Google Benchmark JSON file",
                  json_path);
        goto out;
    }
    clean = nonfinite_to_null(text, len);
    if (!clean) {
        rc = fail(err, -ENOMEM, "out of memory reading '%.180s'", json_path);
        goto out;
    }
    const char *end = NULL;
    root = cJSON_ParseWithOpts(clean, &end, 1);
    if (!root) {
        size_t line = 1;
        const char *at = end ? end : cJSON_GetErrorPtr();
        if (!at || at < clean || at > clean + strlen(clean))
            at = clean;
        for (const char *p = clean; p < at; p++)
            line += *p == '\n';
        if (*at == '\0')
            rc = fail(err, OSW_EFORMAT, "'%.180s' is not valid JSON: it ends early (truncated?)",
                      json_path);
        else
            rc = fail(err, OSW_EFORMAT, "'%.180s' is not valid JSON (error at line %zu)", json_path,
                      line);
        goto out;
    }
    const cJSON *benchmarks = cJSON_GetObjectItemCaseSensitive(root, "benchmarks");
    if (!cJSON_IsObject(root) || !cJSON_IsArray(benchmarks)) {
        rc = fail(err, OSW_EFORMAT,
                  "'%.180s' has no \"benchmarks\" array: not a Google Benchmark JSON file",
                  json_path);
        goto out;
    }
    size_t index = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, benchmarks)
    {
        char what[96];
        if (take_row(&cs, row, what, sizeof(what)) < 0) {
            const char *name = cJSON_IsObject(row) ? str_or_null(row, "name") : NULL;
            rc = fail(err, OSW_EFORMAT, "'%.120s': benchmark %zu (%.60s) %s", json_path, index,
                      name ? name : "unnamed", what);
            goto out;
        }
        index++;
    }
    if (cs.count == 0) {
        rc = fail(err, OSW_EFORMAT, "'%.180s' holds no ompsweep-gbench results", json_path);
        goto out;
    }
    rows = calloc(cs.count, sizeof(*rows));
    if (!rows) {
        rc = fail(err, -ENOMEM, "out of memory converting '%.180s'", json_path);
        goto out;
    }
    for (size_t i = 0; i < cs.count; i++)
        if (make_row(&cs.v[i], &rows[i]) != 0) {
            rc = fail(err, -ENOMEM, "out of memory converting '%.180s'", json_path);
            goto out;
        }
    fill_speedup(rows, cs.count);
    meta = build_meta(root, json_path, cs.count);
    meta_text = meta ? cJSON_Print(meta) : NULL;
    if (!meta_text) {
        rc = fail(err, -ENOMEM, "out of memory converting '%.180s'", json_path);
        goto out;
    }

    /* The whole input is good: only now touch the file system. */
    struct stat st;
    int existed = stat(out_dir, &st) == 0;
    rc = osw_prepare_out_dir(out_dir, force, NULL, err);
    if (rc)
        goto out;
    rc = write_outputs(out_dir, rows, &cs, meta_text, err);
    if (rc && !existed)
        rmdir(out_dir);

out:
    free(rows);
    free(meta_text);
    cJSON_Delete(meta);
    cJSON_Delete(root);
    configs_free(&cs);
    free(clean);
    free(text);
    return rc;
}

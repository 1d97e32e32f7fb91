/* tune.c: `ompsweep tune DIR [--format table|csv|json] [--alpha A] [--max-loss PCT]`:
 * reads a run directory (summary.csv, and samples.csv, meta.json and exec.json
 * where present; the JSON files with cJSON) and recommends an OpenMP
 * environment per kernel and size.
 *
 * Per (kernel, n), over the verified single-process rows:
 *   - fastest: the smallest median;
 *   - tied: the configurations not significantly slower than the fastest,
 *     by the two-sided Mann-Whitney U test on their samples at --alpha; where
 *     samples are missing, or too few for the test to ever reach alpha, by
 *     overlap of the medians' 95% confidence intervals; and never one whose
 *     median is more than --max-loss (default 10%) above the fastest's, so
 *     that noise (a test without power) cannot make a much slower
 *     configuration the recommendation;
 *   - recommended: among the tied, the one with the fewest threads (then the
 *     smaller median); at that thread count static with the default chunk
 *     (most runtimes' default schedule) when it is tied too: a schedule is
 *     recommended only when it is significantly better than static. Printed
 *     as an `export OMP_...` line. The binding comes
 *     from the kernel name's @BIND suffix (`ompsweep exec --bind`, places from
 *     exec.json), else from meta.json's omp_env;
 *   - scaling over the best configuration at each thread count: speedup S(p)
 *     against the best 1-thread median, Amdahl's serial fraction f from the
 *     least-squares fit of S(p) = 1 / (f + (1 - f) / p), f in [0, 1], over
 *     2 or more thread counts > 1 (one point fits any f exactly), and the
 *     Karp-Flatt metric e(p) = (1/S - 1/p) / (1 - 1/p) (Karp & Flatt, CACM
 *     33(5), 1990);
 *   - memory-bound kernels (bound=memory): the saturation point, the first
 *     thread count beyond which the best gbps_median rises by less than 5%.
 * Per kernel over several n: the size below which 1 thread beats the best
 * parallel configuration. Warnings: unbound threads, oversubscribed cores,
 * fewer than 5 reps, left-out rows, an incomplete run, a cpu-bound
 * configuration whose threads did not all compute (cpu_per_wall < 0.6 x
 * team), 1-thread configurations that differ beyond their CIs (noise). */
#define _GNU_SOURCE
#include "commands.h"
#include "tune_regions.h"
#include "csv.h"
#include "error.h"
#include "fit.h"
#include "options.h"
#include "parse.h"
#include "runtime.h"
#include "rows.h"
#include "rundir.h"
#include "hypothesis.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Fewer reps than this draws a warning (the test has little power). */
#define TUNE_MIN_REPS 5
/* --objective: what the recommendation minimises. */
enum objective { OBJ_WALL, OBJ_CPU, OBJ_ENERGY };
/* Among tied configurations of one thread count, CPU seconds closer than
 * this fraction count as equal (then the lower cost wins). */
#define TUNE_CPU_TIE      0.05
#define TUNE_MAX_WARNINGS 32
/* A cpu-bound configuration with less process CPU per wall second than this
 * fraction of its team did not have all its threads computing. */
#define TUNE_CPU_PER_THREAD 0.6
/* 1-thread configurations of one (kernel, n) differ only in schedule (or
 * binding): medians this far apart, with disjoint 95% CIs, mean noise. */
#define TUNE_NOISE_RATIO 1.10
#define TUNE_STATIC_TIED "the schedule does not matter here: static is tied with the fastest"
#define TUNE_STATIC_SLOWER                                                                         \
    "the schedule matters here: static (default chunk) is significantly slower than the "          \
    "fastest"

/* One configuration: a summary.csv row and its samples. */
struct cfg {
    osw_row row;
    char base[64]; /* kernel without its @BIND suffix */
    char bind[16]; /* OMP_PROC_BIND from the suffix, or "" */
    double *t;
    size_t nt, cap;
    int usable;    /* verified, placed as asked, one process, a positive median */
    int misplaced; /* placement not ok (team, unbound, shared) */
    int tied;
    double p; /* p-value against the fastest (NaN: not tested) */
    const char *method;
};

struct group {
    char base[64];
    size_t n;
    struct cfg **c; /* usable configurations */
    size_t nc;
    size_t nleft; /* rows left out (unverified, ranks > 1, no median) */
    const struct cfg *fastest, *recommended;
    size_t ntied;
    const char *method;   /* how ties were judged, or "mixed" */
    osw_scale_point *pts; /* best per thread count (lib/fit.h) */
    size_t npts;
    double t1;                 /* best 1-thread median, NaN when none */
    double amdahl_f;           /* NaN when not fitted */
    size_t amdahl_pts;         /* thread counts > 1 in the fit */
    char amdahl_reason[96];    /* why amdahl_f is NaN, or "" */
    const char *schedule_note; /* the static rule's note (TUNE_STATIC_*), or NULL */
    int memory;                /* bound=memory with bandwidth figures */
    int sat_threads;           /* 0: not found */
    int sat_rising;            /* still rising at the largest count */
    double sat_gbps;
    double sat_ceiling_ratio; /* sat_gbps over the machine's ceiling, NaN when not measured */
    char *export_line;        /* make_export's; NULL for a group with nothing to recommend */
    char bind_source[32];
};

struct tune {
    const char *dir;
    double alpha;
    double max_loss; /* fraction; INFINITY: none */
    int objective;   /* enum objective */
    struct cfg *cfg;
    size_t ncfg;
    struct group *g;
    size_t ng;
    int have_samples, have_meta, have_exec;
    size_t stray_samples;
    char *meta_bind, *meta_places, *exec_places; /* NULL: none (json_env_value) */
    char meta_proc_bind[32], meta_status[32];
    int cores, procs;
    long configs_done, configs_total;
    char warnings[TUNE_MAX_WARNINGS][320];
    int nwarnings;
};

static int fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ompsweep tune: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return status;
}

static void warn(struct tune *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(struct tune *t, const char *fmt, ...)
{
    if (t->nwarnings >= TUNE_MAX_WARNINGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->warnings[t->nwarnings++], sizeof(t->warnings[0]), fmt, ap);
    va_end(ap);
}

/* ---- meta.json and exec.json (cJSON: any valid JSON layout) ---- */

/* Reads the JSON document in path into *doc: 0, with *doc NULL when the
 * file is absent; else the exit status with its line printed (unreadable:
 * what the system says; not a JSON object). */
static int read_json(const char *path, cJSON **doc)
{
    *doc = NULL;
    char *buf;
    size_t len;
    int rc = osw_read_file(path, &buf, &len);
    if (rc == -ENOENT)
        return 0;
    if (rc == -ENOMEM)
        return fail(OSW_EXIT_RESOURCE, "out of memory");
    if (rc)
        return fail(OSW_EXIT_USAGE, "%s: %s", path, strerror(-rc));
    *doc = cJSON_ParseWithLength(buf, len);
    free(buf);
    if (!cJSON_IsObject(*doc)) {
        cJSON_Delete(*doc);
        *doc = NULL;
        return fail(OSW_EXIT_USAGE, "%s: not a JSON object (damaged, or not written by ompsweep)",
                    path);
    }
    return 0;
}

/* The number under key in obj when it is one within [lo, hi], else NULL. */
static const cJSON *json_count(const cJSON *obj, const char *key, double lo, double hi)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) && v->valuedouble >= lo && v->valuedouble <= hi ? v : NULL;
}

/* The string under key in obj into out when it is a word (osw_cell_is_word)
 * that fits, else out unchanged. */
static void json_word(const cJSON *obj, const char *key, char *out, size_t len)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsString(v) && v->valuestring && osw_cell_is_word(v->valuestring) &&
        strlen(v->valuestring) < len)
        snprintf(out, len, "%s", v->valuestring);
}

/* Longest OMP_PROC_BIND or OMP_PLACES value tune puts in an export line. */
#define TUNE_MAX_ENV_VALUE 4096

/* The string under key in obj, copied into *out when it is one the export
 * line can carry (printable ASCII, up to TUNE_MAX_ENV_VALUE bytes; shell
 * characters are quoted there); another is left out with a warning naming
 * file. Returns 0 or -ENOMEM. */
static int json_env_value(struct tune *t, const cJSON *obj, const char *key, const char *file,
                          char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsString(v) || !v->valuestring || !v->valuestring[0])
        return 0;
    const char *s = v->valuestring;
    size_t len = strlen(s);
    int printable = len <= TUNE_MAX_ENV_VALUE;
    for (const char *p = s; *p && printable; p++)
        printable = *p >= 0x20 && *p < 0x7f;
    if (!printable) {
        warn(t, "%s: %s is not printable ASCII of up to %d bytes: left out of the export line",
             file, key, TUNE_MAX_ENV_VALUE);
        return 0;
    }
    free(*out);
    *out = strdup(s);
    return *out ? 0 : -ENOMEM;
}

/* ---- loading ---- */

static int is_bind_word(const char *s)
{
    static const char *const words[] = {"false", "true", "close", "spread", "primary", "master"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strcmp(s, words[i]) == 0)
            return 1;
    return 0;
}

static int key_cmp(const struct cfg *a, const struct cfg *b)
{
    int c = strcmp(a->row.kernel, b->row.kernel);
    if (c)
        return c;
    if (a->row.n != b->row.n)
        return a->row.n < b->row.n ? -1 : 1;
    if (a->row.threads != b->row.threads)
        return a->row.threads < b->row.threads ? -1 : 1;
    c = strcmp(a->row.schedule, b->row.schedule);
    if (c)
        return c;
    if (a->row.chunk != b->row.chunk)
        return a->row.chunk < b->row.chunk ? -1 : 1;
    c = strcmp(a->row.env, b->row.env);
    if (c)
        return c;
    return (a->row.ranks > b->row.ranks) - (a->row.ranks < b->row.ranks);
}

static int cmp_cfg(const void *a, const void *b)
{
    return key_cmp(a, b);
}

/* Group order: base kernel, n; within: threads, bind, schedule, chunk. */
static int cmp_group_order(const void *pa, const void *pb)
{
    const struct cfg *a = *(struct cfg *const *)pa, *b = *(struct cfg *const *)pb;
    int c = strcmp(a->base, b->base);
    if (c)
        return c;
    if (a->row.n != b->row.n)
        return a->row.n < b->row.n ? -1 : 1;
    if (a->row.threads != b->row.threads)
        return a->row.threads < b->row.threads ? -1 : 1;
    c = strcmp(a->bind, b->bind);
    if (c)
        return c;
    c = strcmp(a->row.env, b->row.env);
    if (c)
        return c;
    c = strcmp(a->row.schedule, b->row.schedule);
    if (c)
        return c;
    return (a->row.chunk > b->row.chunk) - (a->row.chunk < b->row.chunk);
}

/* summary.csv: osw_csv_read has refused a key listed twice; each row's
 * cells are checked by osw_row_from_table. */
static int load_summary(struct tune *t, const char *path)
{
    osw_table tab;
    char err[256] = "";
    int rc = osw_csv_read(path, &tab, err);
    if (rc == -ENOENT)
        return fail(OSW_EXIT_USAGE,
                    "%s: missing (not a run directory? expected summary.csv from "
                    "`ompsweep run` or `ompsweep exec`)",
                    path);
    if (rc == -ENOMEM)
        return fail(OSW_EXIT_RESOURCE, "out of memory");
    if (rc)
        return fail(OSW_EXIT_USAGE, "%s", err[0] ? err : osw_strerror(rc));
    int status = 0;
    if (tab.dropped_partial)
        warn(t, "summary.csv: ignored a partial last line (the writer was interrupted)");
    if (osw_table_require_summary(&tab, err)) {
        status = fail(OSW_EXIT_USAGE, "%s: %s", path, err);
        goto out;
    }
    if (tab.nrows == 0) {
        status = fail(OSW_EXIT_USAGE, "%s: no configurations yet (header only)", path);
        goto out;
    }
    t->cfg = calloc(tab.nrows, sizeof(*t->cfg));
    if (!t->cfg) {
        status = fail(OSW_EXIT_RESOURCE, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < tab.nrows; i++) {
        struct cfg *c = &t->cfg[i];
        if (osw_row_from_table(&tab, i, &c->row, err)) {
            status = fail(OSW_EXIT_USAGE, "%s", err); /* FILE:LINE: what */
            goto out;
        }
        t->ncfg++;
        snprintf(c->base, sizeof(c->base), "%s", c->row.kernel);
        char *at = strrchr(c->base, '@');
        if (at && is_bind_word(at + 1)) {
            snprintf(c->bind, sizeof(c->bind), "%s", at + 1);
            *at = '\0';
        }
        c->p = NAN;
        /* A row whose team was smaller than its threads column (exec's
         * team_smaller) would recommend a count that never ran: left out. */
        /* a row whose threads ran elsewhere than asked would recommend
         * settings that do not do what they say (placement.h) */
        c->misplaced = c->row.placement[0] && strcmp(c->row.placement, "ok") != 0;
        c->usable = c->row.verified && !c->misplaced && c->row.ranks <= 1 &&
                    isfinite(c->row.median_s) && c->row.median_s > 0 &&
                    strcmp(c->row.status, "team_smaller") != 0;
    }
    qsort(t->cfg, t->ncfg, sizeof(*t->cfg), cmp_cfg);
out:
    osw_table_free(&tab);
    return status;
}

/* samples.csv, optional: when absent, or not a samples table (no seconds),
 * ties are judged by CI overlap; when present, osw_csv_read has checked
 * every row and refused a (key, rep) listed twice, so a bad one is exit 2. */
static int load_samples(struct tune *t, const char *path)
{
    osw_table tab;
    char err[256] = "";
    int rc = osw_csv_read(path, &tab, err);
    if (rc == -ENOENT) {
        warn(t, "no samples.csv: ties are judged by overlap of the medians' 95%% CIs");
        return 0;
    }
    if (rc == -ENOMEM)
        return fail(OSW_EXIT_RESOURCE, "out of memory");
    if (rc)
        return fail(OSW_EXIT_USAGE, "%s", err[0] ? err : osw_strerror(rc));
    int ck = osw_table_col(&tab, "kernel"), cn = osw_table_col(&tab, "n");
    int ct = osw_table_col(&tab, "threads"), cs = osw_table_col(&tab, "schedule");
    int cc = osw_table_col(&tab, "chunk"), csec = osw_table_col(&tab, "seconds");
    if (ck < 0 || cn < 0 || ct < 0 || cs < 0 || cc < 0 || csec < 0) {
        warn(t, "samples.csv lacks kernel, n, threads, schedule, chunk or seconds: ties are "
                "judged by CI overlap");
        osw_table_free(&tab);
        return 0;
    }
    if (tab.dropped_partial)
        warn(t, "samples.csv: ignored a partial last line (the writer was interrupted)");
    t->have_samples = 1;
    int status = 0;
    for (size_t i = 0; i < tab.nrows; i++) {
        osw_sample smp;
        if (osw_sample_from_table(&tab, i, &smp, err)) {
            status = fail(OSW_EXIT_USAGE, "%s", err); /* FILE:LINE: what */
            break;
        }
        struct cfg key;
        memset(&key, 0, sizeof(key));
        snprintf(key.row.kernel, sizeof(key.row.kernel), "%s", smp.kernel);
        snprintf(key.row.schedule, sizeof(key.row.schedule), "%s", smp.schedule);
        snprintf(key.row.env, sizeof(key.row.env), "%s", smp.env);
        key.row.n = smp.n;
        key.row.threads = smp.threads;
        key.row.chunk = smp.chunk;
        key.row.ranks = smp.ranks;
        struct cfg *c = bsearch(&key, t->cfg, t->ncfg, sizeof(*t->cfg), cmp_cfg);
        if (!c) {
            t->stray_samples++;
            continue;
        }
        if (c->nt == c->cap) {
            size_t cap = c->cap ? 2 * c->cap : 16;
            double *grown = realloc(c->t, cap * sizeof(*grown));
            if (!grown) {
                status = fail(OSW_EXIT_RESOURCE, "out of memory");
                break;
            }
            c->t = grown;
            c->cap = cap;
        }
        c->t[c->nt++] = smp.seconds;
    }
    osw_table_free(&tab);
    if (t->stray_samples && status == 0)
        warn(t, "samples.csv: ignored %zu row(s) with no row in summary.csv", t->stray_samples);
    return status;
}

/* meta.json and exec.json, both optional: absent, a warning (meta.json) or
 * nothing (exec.json); unreadable or not a JSON object, exit 2. Returns 0
 * or the exit status. */
static int load_meta(struct tune *t, const char *path, const char *exec_path)
{
    t->cores = t->procs = 0;
    t->configs_done = t->configs_total = -1;
    cJSON *m;
    int status = read_json(path, &m);
    if (status)
        return status;
    if (m) {
        t->have_meta = 1;
        const cJSON *v;
        /* Counts out of range (a foreign or damaged file) count as unknown. */
        if ((v = json_count(m, "cores", 0, 1 << 20)))
            t->cores = (int)v->valuedouble;
        if ((v = json_count(m, "procs_available", 0, 1 << 20)))
            t->procs = (int)v->valuedouble;
        if ((v = json_count(m, "configs_done", 0, 1e15)))
            t->configs_done = (long)v->valuedouble;
        if ((v = json_count(m, "configs_total", 0, 1e15)))
            t->configs_total = (long)v->valuedouble;
        json_word(m, "omp_proc_bind", t->meta_proc_bind, sizeof(t->meta_proc_bind));
        json_word(m, "status", t->meta_status, sizeof(t->meta_status));
        const cJSON *env = cJSON_GetObjectItemCaseSensitive(m, "omp_env");
        if (cJSON_IsObject(env) &&
            (json_env_value(t, env, "OMP_PROC_BIND", "meta.json", &t->meta_bind) ||
             json_env_value(t, env, "OMP_PLACES", "meta.json", &t->meta_places)))
            status = fail(OSW_EXIT_RESOURCE, "out of memory");
    } else {
        warn(t, "no meta.json: binding, core count and whether the run finished are unknown");
    }
    cJSON_Delete(m);
    if (status)
        return status;
    cJSON *x;
    status = read_json(exec_path, &x);
    if (status)
        return status;
    if (x) {
        t->have_exec = 1;
        if (json_env_value(t, x, "places", "exec.json", &t->exec_places))
            status = fail(OSW_EXIT_RESOURCE, "out of memory");
    }
    cJSON_Delete(x);
    return status;
}

/* ---- analysis ---- */

/* The smallest two-sided p-value the exact test can give for nx, ny. */
static double min_p(size_t nx, size_t ny)
{
    double logc = lgamma((double)(nx + ny) + 1) - lgamma((double)nx + 1) - lgamma((double)ny + 1);
    double p = 2 * exp(-logc);
    return p < 1 ? p : 1;
}

/* The CPU seconds per call of c: its median wall time times cpu_per_wall
 * (the process's CPU time over its wall time in the timed runs); NaN where
 * cpu_per_wall was not measured. */
static double cpu_s(const struct cfg *c)
{
    return c->row.median_s * c->row.cpu_per_wall;
}

static const char *objective_name(const struct tune *t)
{
    return t->objective == OBJ_CPU ? "cpu" : t->objective == OBJ_ENERGY ? "energy" : "wall";
}

/* What --objective minimises for c: wall seconds, CPU seconds or joules per
 * call; NaN where not measured. */
static double cost(const struct tune *t, const struct cfg *c)
{
    switch (t->objective) {
    case OBJ_CPU:
        return cpu_s(c);
    case OBJ_ENERGY:
        return c->row.energy_j;
    default:
        return c->row.median_s;
    }
}

/* Judges whether c is not significantly slower than the fastest f. */
static void judge(const struct tune *t, const struct cfg *f, struct cfg *c)
{
    if (c == f) {
        c->tied = 1;
        c->method = "fastest";
        return;
    }
    if (t->objective == OBJ_CPU) {
        /* No per-sample CPU times: the medians' CIs scaled by cpu_per_wall. */
        c->tied = c->row.ci_lo_s * c->row.cpu_per_wall <= f->row.ci_hi_s * f->row.cpu_per_wall;
        c->method = "ci-overlap-cpu";
        return;
    }
    if (t->objective == OBJ_ENERGY) {
        /* One energy figure per configuration: within --max-loss is tied. */
        c->tied = 1;
        c->method = "max-loss-energy";
        return;
    }
    if (f->nt && c->nt && min_p(f->nt, c->nt) <= t->alpha) {
        osw_mwu mwu;
        if (osw_mwu_test(f->t, f->nt, c->t, c->nt, &mwu) == 0) {
            c->p = mwu.p;
            c->tied = mwu.p > t->alpha;
            c->method = "mann-whitney";
            return;
        }
    }
    if (isfinite(c->row.ci_lo_s) && isfinite(f->row.ci_hi_s)) {
        c->tied = c->row.ci_lo_s <= f->row.ci_hi_s;
        c->method = "ci-overlap";
        return;
    }
    c->tied = c->row.median_s <= f->row.median_s;
    c->method = "median";
}

/* judge, then the --max-loss cap. */
static void judge_capped(const struct tune *t, const struct cfg *f, struct cfg *c)
{
    judge(t, f, c);
    if (c->tied && c != f && !(cost(t, c) <= cost(t, f) * (1 + t->max_loss)))
        c->tied = 0;
}

/* Whether the shell takes v literally as a word: not empty, and only
 * letters, digits and _ . , : / + = - (no quote, space, $, ;, |, &, glob or
 * redirection character). */
static int shell_plain(const char *v)
{
    if (!*v)
        return 0;
    for (const char *p = v; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("_.,:/+=-", *p)))
            return 0;
    return 1;
}

/* Appends " NAME=VALUE" to the export line in out (open_memstream): VALUE as
 * is when shell_plain, else in single quotes with each ' as '\'' -- pasted,
 * the line sets the variable and runs nothing else. */
static void export_var(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=", name);
    if (shell_plain(value)) {
        fputs(value, out);
        return;
    }
    fputc('\'', out);
    for (const char *p = value; *p; p++) {
        if (*p == '\'')
            fputs("'\\''", out);
        else
            fputc(*p, out);
    }
    fputc('\'', out);
}

/* " LD_LIBRARY_PATH=DIR/runtime${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}": the
 * swap folder the run made (runtime.h) first on the library path, DIR
 * absolute and shell-quoted. */
static void export_swap_folder(FILE *out, const char *dir)
{
    char real[PATH_MAX], swap[PATH_MAX + 16];
    snprintf(swap, sizeof(swap), "%s/runtime", realpath(dir, real) ? real : dir);
    export_var(out, "LD_LIBRARY_PATH", swap);
    fputs("${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}", out);
}

/* The recommendation as an `export OMP_...` line, from validated values
 * only: threads and chunk are counts, the schedule a cell osw_row_from_table
 * checked (osw_cell_is_schedule), the binding a bind word from the kernel's
 * @BIND tag or meta.json, places from exec.json or meta.json (printable
 * ASCII); every value not plain is shell-quoted. Returns 0 or -ENOMEM. */
static int make_export(const struct tune *t, struct group *g)
{
    const struct cfg *r = g->recommended;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return -ENOMEM;
    /* The env column's settings: a nested team's OMP_NUM_THREADS list
     * replaces the thread count; a variable the run left unset ("default")
     * is named in the unset list. */
    char nest[64] = "", unset[256] = "";
    const char *env = r->row.env;
    if (strncmp(env, "OMP_NUM_THREADS=", 16) == 0) {
        size_t l = strcspn(env + 16, ";");
        snprintf(nest, sizeof(nest), "%.*s", (int)(l < 60 ? l : 60), env + 16);
    }
    if (nest[0])
        fprintf(out, "export OMP_NUM_THREADS=%s", nest);
    else
        fprintf(out, "export OMP_NUM_THREADS=%d", r->row.threads);
    if (strcmp(r->row.schedule, "default") != 0 && r->row.schedule[0]) {
        char sched[64];
        if (r->row.chunk)
            snprintf(sched, sizeof(sched), "%s,%d", r->row.schedule, r->row.chunk);
        else
            snprintf(sched, sizeof(sched), "%s", r->row.schedule);
        export_var(out, "OMP_SCHEDULE", sched);
    }
    const char *bind = NULL, *places = NULL;
    if (r->bind[0]) {
        bind = r->bind;
        places = t->exec_places ? t->exec_places : "cores";
        snprintf(g->bind_source, sizeof(g->bind_source), "exec --bind");
    } else if (t->meta_bind || t->meta_places) {
        bind = t->meta_bind;
        places = t->meta_places;
        snprintf(g->bind_source, sizeof(g->bind_source), "meta.json omp_env");
    } else {
        snprintf(g->bind_source, sizeof(g->bind_source), "%s", "none (unbound)");
    }
    int env_bind = strstr(env, "OMP_PROC_BIND=") != NULL,
        env_places = strstr(env, "OMP_PLACES=") != NULL;
    if (env[0])
        snprintf(g->bind_source, sizeof(g->bind_source), "%s", "env column");
    if (bind && !env_bind)
        export_var(out, "OMP_PROC_BIND", bind);
    if (places && !env_places)
        export_var(out, "OMP_PLACES", places);
    for (const char *p = env; *p;) {
        size_t l = strcspn(p, ";");
        char item[256], *eq;
        snprintf(item, sizeof(item), "%.*s", (int)(l < 255 ? l : 255), p);
        p += l + (p[l] == ';');
        if (!(eq = strchr(item, '=')) || strncmp(item, "OMP_NUM_THREADS=", 16) == 0)
            continue;
        *eq = '\0';
        if (!item[0] ||
            strspn(item, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
                strlen(item))
            continue; /* not a variable name: never into a shell line */
        if (strcmp(item, OSW_RUNTIME_AXIS) == 0) {
            /* not a variable: LLVM libomp is the run's swap folder first on
             * the library path (runtime.h), GNU libgomp the default */
            if (strcmp(eq + 1, "llvm") == 0)
                export_swap_folder(out, t->dir);
            continue;
        }
        if (strcmp(eq + 1, "default") == 0)
            snprintf(unset + strlen(unset), sizeof(unset) - strlen(unset), " %.60s", item);
        else
            export_var(out, item, eq + 1);
    }
    if (unset[0])
        fprintf(out, "; unset%s", unset);
    if (fclose(out) != 0) {
        free(text);
        return -ENOMEM;
    }
    g->export_line = text;
    return 0;
}

/* The schedule is recommended only when it is significantly better than
 * the default: when the tied set at the recommended thread count (and
 * binding) holds static with the default chunk, static is recommended; when
 * static with the default chunk was measured there but is not tied, the
 * fastest tied schedule stays, and the note says the schedule matters. */
static void static_rule(struct group *g)
{
    const struct cfg *r = g->recommended, *st = NULL;
    int others = 0;
    for (size_t i = 0; i < g->nc; i++) {
        const struct cfg *c = g->c[i];
        if (c->row.threads != r->row.threads || strcmp(c->bind, r->bind) != 0 ||
            strcmp(c->row.env, r->row.env) != 0)
            continue;
        if (strcmp(c->row.schedule, "static") == 0 && c->row.chunk == 0)
            st = c;
        else
            others += c->tied;
    }
    if (!st)
        return;
    if (st->tied) {
        g->recommended = st;
        if (others)
            g->schedule_note = TUNE_STATIC_TIED;
    } else {
        g->schedule_note = TUNE_STATIC_SLOWER;
    }
}

static int analyse_group(const struct tune *t, struct group *g)
{
    /* Fastest, then the tied set, then the recommendation. */
    const struct cfg *f = NULL;
    for (size_t i = 0; i < g->nc; i++)
        if (isfinite(cost(t, g->c[i])) && (!f || cost(t, g->c[i]) < cost(t, f)))
            f = g->c[i];
    if (!f) { /* the objective was not measured here: nothing to recommend on it */
        g->nleft += g->nc;
        g->nc = 0;
        return 0;
    }
    g->fastest = f;
    g->method = NULL;
    for (size_t i = 0; i < g->nc; i++) {
        struct cfg *c = g->c[i];
        judge_capped(t, f, c);
        if (c != f)
            g->method = !g->method || strcmp(g->method, c->method) == 0 ? c->method : "mixed";
        if (!c->tied)
            continue;
        g->ntied++;
        /* Among the tied: the fewest threads, then the least CPU time (a
         * passive wait policy wins a tie), then the least cost. */
        const struct cfg *r = g->recommended;
        double cc = cpu_s(c), rc = r ? cpu_s(r) : NAN;
        int cpu_less = isfinite(cc) && isfinite(rc) ? cc < rc * (1 - TUNE_CPU_TIE) : 0;
        int cpu_same = !(isfinite(cc) && isfinite(rc)) || fabs(cc - rc) <= rc * TUNE_CPU_TIE;
        if (!r || c->row.threads < r->row.threads ||
            (c->row.threads == r->row.threads &&
             (cpu_less || (cpu_same && cost(t, c) < cost(t, r)))))
            g->recommended = c;
    }
    if (!g->method)
        g->method = "none";
    static_rule(g);
    if (make_export(t, g))
        return -ENOMEM;

    /* Best per thread count, the Amdahl fit and the saturation point: the
     * library's rules, which the figures (ompsweep plotdata) share. */
    g->pts = calloc(g->nc, sizeof(*g->pts));
    const osw_row **rows = malloc(g->nc * sizeof(*rows));
    if (!g->pts || !rows) {
        free(rows);
        return -ENOMEM;
    }
    for (size_t i = 0; i < g->nc; i++)
        rows[i] = &g->c[i]->row;
    g->npts = osw_scale_points(rows, g->nc, g->pts, &g->t1, &g->memory);
    free(rows);
    g->amdahl_f = isfinite(g->t1) ? osw_amdahl_fit(g->pts, g->npts, &g->amdahl_pts) : NAN;
    if (!isfinite(g->t1))
        snprintf(g->amdahl_reason, sizeof(g->amdahl_reason),
                 "no 1-thread configuration, so no speedup to fit");
    else if (!isfinite(g->amdahl_f))
        osw_amdahl_why(g->amdahl_pts, g->amdahl_reason, sizeof(g->amdahl_reason));
    if (g->memory) {
        long sat = osw_saturation(g->pts, g->npts, &g->sat_rising);
        if (sat >= 0) {
            g->sat_threads = g->pts[sat].threads;
            g->sat_gbps = g->pts[sat].gbps;
            g->sat_ceiling_ratio = g->pts[sat].ceiling_ratio;
        }
    }
    return 0;
}

static int build_groups(struct tune *t)
{
    struct cfg **all = malloc((t->ncfg ? t->ncfg : 1) * sizeof(*all));
    t->g = calloc(t->ncfg ? t->ncfg : 1, sizeof(*t->g));
    if (!all || !t->g) {
        free(all);
        return -ENOMEM;
    }
    for (size_t i = 0; i < t->ncfg; i++)
        all[i] = &t->cfg[i];
    qsort(all, t->ncfg, sizeof(*all), cmp_group_order);
    for (size_t i = 0; i < t->ncfg;) {
        size_t j = i;
        while (j < t->ncfg && strcmp(all[j]->base, all[i]->base) == 0 &&
               all[j]->row.n == all[i]->row.n)
            j++;
        struct group *g = &t->g[t->ng++];
        snprintf(g->base, sizeof(g->base), "%s", all[i]->base);
        g->n = all[i]->row.n;
        g->c = malloc((j - i) * sizeof(*g->c));
        if (!g->c) {
            free(all);
            return -ENOMEM;
        }
        for (size_t k = i; k < j; k++) {
            if (all[k]->usable)
                g->c[g->nc++] = all[k];
            else
                g->nleft++;
        }
        i = j;
    }
    free(all);
    for (size_t i = 0; i < t->ng; i++)
        if (t->g[i].nc && analyse_group(t, &t->g[i]))
            return -ENOMEM;
    return 0;
}

/* A cpu-bound configuration (bound=cpu) whose process used less than
 * TUNE_CPU_PER_THREAD CPUs per thread of its team: some threads waited (a
 * binding that put them on fewer CPUs, or other load). One warning, naming
 * the worst. */
static void idle_warning(struct tune *t)
{
    size_t n = 0;
    const struct cfg *worst = NULL;
    double worst_ratio = INFINITY;
    for (size_t i = 0; i < t->ncfg; i++) {
        const struct cfg *c = &t->cfg[i];
        int team = osw_row_team(&c->row);
        if (!c->usable || team <= 1 || strcmp(c->row.bound, "cpu") != 0 ||
            !isfinite(c->row.cpu_per_wall) || c->row.cpu_per_wall >= TUNE_CPU_PER_THREAD * team)
            continue;
        n++;
        if (c->row.cpu_per_wall / team < worst_ratio) {
            worst_ratio = c->row.cpu_per_wall / team;
            worst = c;
        }
    }
    if (n)
        warn(t,
             "threads did not all compute: check binding / other load (%zu cpu-bound "
             "configuration(s) used under %.1f CPUs per thread; worst: %s n=%zu threads=%d "
             "cpu_per_wall %.2f)",
             n, TUNE_CPU_PER_THREAD, worst->base, worst->row.n, osw_row_team(&worst->row),
             worst->row.cpu_per_wall);
}

/* The 1-thread configurations of g differ only in schedule (or binding),
 * which cannot matter at 1 thread: when the slowest's median is more than
 * TUNE_NOISE_RATIO times the fastest's and their 95% CIs do not overlap, the
 * difference is the machine's. dynamic is left out: it pays one dispatch
 * per chunk even at 1 thread (dynamic,1: one per iteration), a real cost. */
static void noise_warning(struct tune *t, const struct group *g)
{
    const struct cfg *lo = NULL, *hi = NULL;
    for (size_t i = 0; i < g->nc; i++) {
        const struct cfg *c = g->c[i];
        if (c->row.threads != 1 || strcmp(c->row.schedule, "dynamic") == 0)
            continue;
        if (!lo || c->row.median_s < lo->row.median_s)
            lo = c;
        if (!hi || c->row.median_s > hi->row.median_s)
            hi = c;
    }
    if (!lo || lo == hi || !isfinite(lo->row.ci_hi_s) || !isfinite(hi->row.ci_lo_s))
        return;
    double ratio = hi->row.median_s / lo->row.median_s;
    if (hi->row.ci_lo_s > lo->row.ci_hi_s && ratio > TUNE_NOISE_RATIO)
        warn(t,
             "the 1-thread configurations of %s n=%zu differ by %.2fx although the schedule "
             "should not matter at 1 thread: the machine is noisy; re-run or pin",
             g->base, g->n, ratio);
}

static void global_warnings(struct tune *t)
{
    if (t->have_meta && t->meta_status[0] && strcmp(t->meta_status, "complete") != 0) {
        if (t->configs_total > 0)
            warn(t,
                 "the run is %s (%ld of %ld configurations done): the answer covers only what "
                 "was measured",
                 t->meta_status, t->configs_done, t->configs_total);
        else
            warn(t, "the run is %s: the answer covers only what was measured", t->meta_status);
    }
    size_t unverified = 0, mpi = 0, few = 0, over = 0, unbound = 0;
    int max_threads = 0;
    char statuses[200] = "";
    for (size_t i = 0; i < t->ncfg; i++) {
        const struct cfg *c = &t->cfg[i];
        if (c->row.ranks > 1) {
            mpi++;
            continue;
        }
        if (!c->usable) {
            unverified++;
            if (c->row.status[0] && strcmp(c->row.status, "ok") != 0 &&
                !strstr(statuses, c->row.status)) {
                size_t used = strlen(statuses);
                snprintf(statuses + used, sizeof(statuses) - used, "%s%s", used ? ", " : "",
                         c->row.status);
            }
            continue;
        }
        few += c->row.reps < TUNE_MIN_REPS;
        if (c->row.threads > max_threads)
            max_threads = c->row.threads;
        over += t->cores > 0 && c->row.threads > t->cores;
        unbound += !c->bind[0] && !strstr(c->row.env, "OMP_PROC_BIND=");
    }
    if (unverified)
        warn(t, "%zu configuration(s) left out: verified=0 or no median%s%s%s", unverified,
             statuses[0] ? " (status: " : "", statuses, statuses[0] ? ")" : "");
    if (mpi)
        warn(t, "%zu MPI row(s) (ranks > 1) left out: tune covers one process", mpi);
    if (few)
        warn(t,
             "%zu configuration(s) have fewer than %d reps: the test has little power, so "
             "slower configurations may count as tied (re-run with --reps 10)",
             few, TUNE_MIN_REPS);
    if (over)
        warn(t,
             "%zu configuration(s) use more threads (up to %d) than the %d physical cores: "
             "oversubscribed threads time-share cores",
             over, max_threads, t->cores);
    if (unbound && t->have_meta &&
        (strcmp(t->meta_proc_bind, "false") == 0 || !t->meta_proc_bind[0]))
        warn(t, "threads were not bound to CPUs (OMP_PROC_BIND unset or false): timings vary "
                "more; re-run with OMP_PROC_BIND=close OMP_PLACES=cores (ompsweep exec: --bind "
                "close)");
    idle_warning(t);
    for (size_t i = 0; i < t->ng; i++)
        noise_warning(t, &t->g[i]);
}

/* ---- output ---- */

static void fmt_time(char *buf, size_t len, double s)
{
    static const char *units[] = {"s", "ms", "us", "ns"};
    int u = 0;
    while (u < 3 && fabs(s) < 1 && s != 0) {
        s *= 1000;
        u++;
    }
    snprintf(buf, len, "%.4g %s", s, units[u]);
}

static void cfg_text(const struct cfg *c, char *buf, size_t len)
{
    int w = snprintf(buf, len, "threads=%d %s", c->row.threads, c->row.schedule);
    if (c->row.chunk && w > 0 && (size_t)w < len)
        w += snprintf(buf + w, len - (size_t)w, ",%d", c->row.chunk);
    if (c->bind[0] && w > 0 && (size_t)w < len)
        w += snprintf(buf + w, len - (size_t)w, " bind=%s", c->bind);
    if (c->row.env[0] && w > 0 && (size_t)w < len)
        snprintf(buf + w, len - (size_t)w, " %.150s", c->row.env);
}

/* One kernel's size crossover: below which n 1 thread wins. */
struct crossover {
    const char *base;
    size_t nsizes;
    size_t below_n; /* 0: none */
    int serial_everywhere, parallel_everywhere;
};

static size_t crossovers(const struct tune *t, struct crossover *out)
{
    size_t nout = 0;
    for (size_t i = 0; i < t->ng;) {
        size_t j = i;
        while (j < t->ng && strcmp(t->g[j].base, t->g[i].base) == 0)
            j++;
        /* Sizes ascending (the groups' order): the best 1-thread and the
         * best parallel median of each, to the library's crossover rule. */
        size_t *ns = malloc((j - i) * sizeof(*ns));
        double *t1 = malloc((j - i) * sizeof(*t1)), *par = malloc((j - i) * sizeof(*par));
        if (ns && t1 && par) {
            for (size_t k = i; k < j; k++) {
                const struct group *g = &t->g[k];
                ns[k - i] = g->n;
                t1[k - i] = g->t1;
                par[k - i] = INFINITY;
                for (size_t q = 0; q < g->npts; q++)
                    if (g->pts[q].threads > 1 && g->pts[q].median < par[k - i])
                        par[k - i] = g->pts[q].median;
            }
            osw_crossover cx;
            osw_crossover_find(ns, t1, par, j - i, &cx);
            if (cx.nsizes >= 2) {
                struct crossover *c = &out[nout++];
                c->base = t->g[i].base;
                c->nsizes = cx.nsizes;
                c->serial_everywhere = cx.serial_everywhere;
                c->parallel_everywhere = cx.parallel_everywhere;
                c->below_n = cx.below_n;
            }
        }
        free(ns);
        free(t1);
        free(par);
        i = j;
    }
    return nout;
}

static void print_text(const struct tune *t, const struct crossover *cx, size_t ncx)
{
    char a[64], b[64], key[160];
    for (int i = 0; i < t->nwarnings; i++)
        printf("warning: %s\n", t->warnings[i]);
    if (t->nwarnings)
        putchar('\n');
    if (t->objective != OBJ_WALL)
        printf("objective: %s (the fastest and the tied set are by %s per call)\n\n",
               objective_name(t), t->objective == OBJ_CPU ? "CPU seconds" : "joules");
    for (size_t gi = 0; gi < t->ng; gi++) {
        const struct group *g = &t->g[gi];
        printf("%s n=%zu: %zu configuration(s)", g->base, g->n, g->nc);
        if (g->nleft)
            printf(", %zu left out", g->nleft);
        putchar('\n');
        if (!g->nc) {
            printf("  no verified configuration: nothing to recommend\n\n");
            continue;
        }
        cfg_text(g->fastest, key, sizeof(key));
        fmt_time(a, sizeof(a), g->fastest->row.median_s);
        printf("  fastest:     %-36s median %s\n", key, a);
        for (size_t i = 0; i < g->nc; i++) {
            const struct cfg *c = g->c[i];
            if (!c->tied || c == g->fastest)
                continue;
            cfg_text(c, key, sizeof(key));
            fmt_time(a, sizeof(a), c->row.median_s);
            if (isfinite(c->p))
                printf("  tied:        %-36s median %s (p=%.3g)\n", key, a, c->p);
            else
                printf("  tied:        %-36s median %s (%s)\n", key, a, c->method);
        }
        cfg_text(g->recommended, key, sizeof(key));
        printf("  recommended: %s (fewest threads among %zu configuration(s) not "
               "significantly slower than the fastest; %s, alpha=%g)\n",
               key, g->ntied, g->method, t->alpha);
        if (g->schedule_note)
            printf("    %s\n", g->schedule_note);
        printf("    %s\n", g->export_line);
        if (strcmp(g->bind_source, "none (unbound)") == 0)
            printf("    (measured unbound; add OMP_PROC_BIND=close OMP_PLACES=cores and re-run "
                   "to check)\n");
        if (isfinite(g->t1) && g->npts > 1) {
            fmt_time(a, sizeof(a), g->t1);
            printf("  scaling (best configuration per thread count, T1 = %s):\n", a);
            printf("    %7s  %-12s %8s %10s %10s%s\n", "threads", "median", "speedup", "efficiency",
                   "karp-flatt", g->memory ? "       GB/s" : "");
            for (size_t i = 0; i < g->npts; i++) {
                const osw_scale_point *p = &g->pts[i];
                fmt_time(a, sizeof(a), p->median);
                if (p->threads > 1)
                    snprintf(b, sizeof(b), "%10.4f", p->karp_flatt);
                else
                    snprintf(b, sizeof(b), "%10s", "-");
                printf("    %7d  %-12s %8.3f %10.3f %s", p->threads, a, p->speedup,
                       p->speedup / p->team, b);
                if (g->memory) {
                    if (isfinite(p->gbps))
                        printf(" %10.2f", p->gbps);
                    else
                        printf(" %10s", "-");
                }
                putchar('\n');
            }
            if (isfinite(g->amdahl_f))
                printf("  Amdahl serial fraction f = %.4f (least squares over %zu thread "
                       "count(s)); speedup limit 1/f = %s\n",
                       g->amdahl_f, g->amdahl_pts,
                       isfinite(osw_amdahl_limit(g->amdahl_f))
                           ? (snprintf(b, sizeof(b), "%.3g", osw_amdahl_limit(g->amdahl_f)), b)
                           : "unbounded");
            else
                printf("  no Amdahl serial fraction: %s\n", g->amdahl_reason);
        } else if (!isfinite(g->t1)) {
            printf("  scaling: no 1-thread configuration, so no speedup, Amdahl or "
                   "Karp-Flatt\n");
        }
        if (g->memory) {
            if (g->sat_threads && isfinite(g->sat_ceiling_ratio))
                printf("  memory bandwidth saturates at %d thread%s (%.2f GB/s, %.2f of the "
                       "machine's ceiling; more threads add < 5%%)\n",
                       g->sat_threads, g->sat_threads == 1 ? "" : "s", g->sat_gbps,
                       g->sat_ceiling_ratio);
            else if (g->sat_threads)
                printf("  memory bandwidth saturates at %d thread%s (%.2f GB/s; more threads "
                       "add < 5%%)\n",
                       g->sat_threads, g->sat_threads == 1 ? "" : "s", g->sat_gbps);
            else if (g->sat_rising)
                printf("  memory bandwidth still rises at the largest thread count measured\n");
        }
        putchar('\n');
    }
    for (size_t i = 0; i < ncx; i++) {
        const struct crossover *c = &cx[i];
        if (c->serial_everywhere)
            printf("%s: 1 thread is fastest at every one of the %zu sizes measured\n", c->base,
                   c->nsizes);
        else if (c->parallel_everywhere)
            printf("%s: a parallel configuration wins at every one of the %zu sizes measured\n",
                   c->base, c->nsizes);
        else if (c->below_n)
            printf("%s: 1 thread beats the best parallel configuration below n=%zu\n", c->base,
                   c->below_n);
        else
            printf("%s: 1 thread is fastest at the largest size measured (sizes: %zu)\n", c->base,
                   c->nsizes);
    }
}

/* A number at fmt's precision (the value the output has always carried), or
 * null when it is not finite. */
static cJSON *json_number(double v, const char *fmt)
{
    if (!isfinite(v))
        return cJSON_CreateNull();
    char text[64];
    snprintf(text, sizeof(text), fmt, v);
    return cJSON_CreateNumber(strtod(text, NULL));
}

static void add_number(cJSON *obj, const char *key, double v, const char *fmt)
{
    cJSON_AddItemToObject(obj, key, json_number(v, fmt));
}

static cJSON *json_cfg(const struct cfg *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kernel", c->row.kernel);
    cJSON_AddNumberToObject(o, "threads", c->row.threads);
    cJSON_AddStringToObject(o, "schedule", c->row.schedule);
    cJSON_AddNumberToObject(o, "chunk", c->row.chunk);
    if (c->bind[0])
        cJSON_AddStringToObject(o, "bind", c->bind);
    else
        cJSON_AddNullToObject(o, "bind");
    cJSON_AddStringToObject(o, "env", c->row.env);
    add_number(o, "median_s", c->row.median_s, "%.9g");
    cJSON_AddNumberToObject(o, "reps", c->row.reps);
    return o;
}

/* The configurations tied with the fastest, the fastest left out. */
static cJSON *json_tied(const struct group *g)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; i < g->nc; i++) {
        const struct cfg *c = g->c[i];
        if (!c->tied || c == g->fastest)
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "config", json_cfg(c));
        add_number(o, "p_value", c->p, "%.6g");
        cJSON_AddStringToObject(o, "method", c->method);
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

static cJSON *json_scaling(const struct group *g)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; i < g->npts; i++) {
        const osw_scale_point *p = &g->pts[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "threads", p->threads);
        add_number(o, "median_s", p->median, "%.9g");
        add_number(o, "speedup", p->speedup, "%.6g");
        add_number(o, "efficiency", p->speedup / p->team, "%.6g");
        add_number(o, "karp_flatt", p->karp_flatt, "%.6g");
        add_number(o, "gbps", p->gbps, "%.6g");
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

static cJSON *json_saturation(const struct group *g)
{
    if (!g->memory || !(g->sat_threads || g->sat_rising))
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    if (g->sat_threads) {
        cJSON_AddNumberToObject(o, "threads", g->sat_threads);
        add_number(o, "gbps", g->sat_gbps, "%.6g");
        add_number(o, "ceiling_ratio", g->sat_ceiling_ratio, "%.4g");
    } else {
        cJSON_AddNullToObject(o, "threads");
        cJSON_AddTrueToObject(o, "still_rising");
    }
    return o;
}

/* One (kernel, n) group: its recommendation, ties and scaling. */
static cJSON *json_group(const struct group *g)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kernel", g->base);
    cJSON_AddNumberToObject(o, "n", (double)g->n);
    cJSON_AddNumberToObject(o, "configurations", (double)g->nc);
    cJSON_AddNumberToObject(o, "left_out", (double)g->nleft);
    if (!g->nc) {
        cJSON_AddNullToObject(o, "fastest");
        cJSON_AddNullToObject(o, "recommended");
        return o;
    }
    cJSON_AddItemToObject(o, "fastest", json_cfg(g->fastest));
    cJSON_AddItemToObject(o, "tied", json_tied(g));
    cJSON_AddStringToObject(o, "tie_method", g->method);
    cJSON_AddItemToObject(o, "recommended", json_cfg(g->recommended));
    cJSON_AddStringToObject(o, "export", g->export_line);
    cJSON_AddStringToObject(o, "bind_source", g->bind_source);
    add_number(o, "t1_s", g->t1, "%.9g");
    cJSON_AddItemToObject(o, "scaling", json_scaling(g));
    add_number(o, "amdahl_serial_fraction", g->amdahl_f, "%.6g");
    cJSON_AddNumberToObject(o, "amdahl_points", (double)g->amdahl_pts);
    if (g->amdahl_reason[0])
        cJSON_AddStringToObject(o, "amdahl_reason", g->amdahl_reason);
    else
        cJSON_AddNullToObject(o, "amdahl_reason");
    if (g->schedule_note)
        cJSON_AddStringToObject(o, "schedule_note", g->schedule_note);
    else
        cJSON_AddNullToObject(o, "schedule_note");
    cJSON_AddItemToObject(o, "saturation", json_saturation(g));
    return o;
}

static cJSON *json_crossover(const struct crossover *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kernel", c->base);
    cJSON_AddNumberToObject(o, "sizes", (double)c->nsizes);
    if (c->below_n)
        cJSON_AddNumberToObject(o, "serial_below_n", (double)c->below_n);
    else
        cJSON_AddNullToObject(o, "serial_below_n");
    cJSON_AddBoolToObject(o, "serial_everywhere", c->serial_everywhere);
    cJSON_AddBoolToObject(o, "parallel_everywhere", c->parallel_everywhere);
    return o;
}

/* The whole answer as one JSON document (cJSON). Returns the exit status. */
static int print_json(const struct tune *t, const struct crossover *cx, size_t ncx)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "dir", t->dir);
    add_number(doc, "alpha", t->alpha, "%g");
    add_number(doc, "max_loss_pct", 100 * t->max_loss, "%g");
    cJSON_AddStringToObject(doc, "objective", objective_name(t));
    cJSON_AddBoolToObject(doc, "complete", t->have_meta && strcmp(t->meta_status, "complete") == 0);
    cJSON *warnings = cJSON_AddArrayToObject(doc, "warnings");
    for (int i = 0; i < t->nwarnings; i++)
        cJSON_AddItemToArray(warnings, cJSON_CreateString(t->warnings[i]));
    cJSON *kernels = cJSON_AddArrayToObject(doc, "kernels");
    for (size_t gi = 0; gi < t->ng; gi++)
        cJSON_AddItemToArray(kernels, json_group(&t->g[gi]));
    cJSON *sizes = cJSON_AddArrayToObject(doc, "size_crossover");
    for (size_t i = 0; i < ncx; i++)
        cJSON_AddItemToArray(sizes, json_crossover(&cx[i]));
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text)
        return fail(OSW_EXIT_RESOURCE, "out of memory");
    puts(text);
    cJSON_free(text);
    return OSW_EXIT_OK;
}

/* One CSV cell, quoted (RFC 4180: "" for a quote) when it holds a comma, a
 * quote, a line break or a space. */
static void csv_cell(const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n ")) {
        putchar('"');
        for (; *s; s++) {
            if (*s == '"')
                putchar('"');
            putchar(*s);
        }
        putchar('"');
    } else {
        fputs(s, stdout);
    }
    putchar(last ? '\n' : ',');
}

/* A number cell at fmt's precision; empty when not finite. */
static void csv_number(double v, const char *fmt)
{
    if (isfinite(v))
        printf(fmt, v);
    putchar(',');
}

/* One row per (kernel, n) with its recommendation; a group with nothing to
 * recommend has its counts and empty cells. tied counts the configurations
 * not significantly slower than the fastest, the fastest included. */
static void print_csv(const struct tune *t)
{
    printf("kernel,n,configurations,threads,schedule,chunk,bind,median_s,tied,tie_method,"
           "amdahl_serial_fraction,export,env\n");
    for (size_t gi = 0; gi < t->ng; gi++) {
        const struct group *g = &t->g[gi];
        csv_cell(g->base, 0);
        printf("%zu,%zu,", g->n, g->nc);
        if (!g->nc) {
            printf(",,,,,,,,,\n");
            continue;
        }
        const struct cfg *r = g->recommended;
        printf("%d,", r->row.threads);
        csv_cell(r->row.schedule, 0);
        printf("%d,", r->row.chunk);
        csv_cell(r->bind, 0);
        csv_number(r->row.median_s, "%.9g");
        printf("%zu,%s,", g->ntied, g->method);
        csv_number(g->amdahl_f, "%.6g");
        csv_cell(g->export_line, 0);
        csv_cell(r->row.env, 1);
    }
}

static void tune_free(struct tune *t)
{
    for (size_t i = 0; i < t->ncfg; i++)
        free(t->cfg[i].t);
    free(t->cfg);
    for (size_t i = 0; i < t->ng; i++) {
        free(t->g[i].c);
        free(t->g[i].pts);
        free(t->g[i].export_line);
    }
    free(t->g);
    free(t->meta_bind);
    free(t->meta_places);
    free(t->exec_places);
}

/* `tune --run`: runs `ompsweep run ARGS` (this same binary) and waits for
 * it. The sweep's --out is the directory to tune; without one, --out
 * ompsweep-tune-PID is added and returned in dir (static storage). Returns
 * the sweep's exit status; 0 and 1 (a verification failed, the rows are
 * there and marked) let tune go on. */
static int run_sweep(int argc, char **argv, const char **dir)
{
    static char own_dir[64];
    char **args = calloc((size_t)argc + 4, sizeof(*args));
    if (!args)
        return OSW_EXIT_RESOURCE;
    int n = 0;
    args[n++] = "ompsweep";
    args[n++] = "run";
    *dir = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            *dir = argv[i + 1];
        else if (strncmp(argv[i], "--out=", 6) == 0)
            *dir = argv[i] + 6;
        args[n++] = argv[i];
    }
    if (!*dir) {
        snprintf(own_dir, sizeof(own_dir), "ompsweep-tune-%ld", (long)getpid());
        args[n++] = "--out";
        args[n++] = own_dir;
        *dir = own_dir;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execv("/proc/self/exe", args);
        fprintf(stderr, "ompsweep: tune --run: cannot start the sweep: %s\n", strerror(errno));
        _exit(OSW_EXIT_RESOURCE);
    }
    free(args);
    if (pid < 0)
        return fail(OSW_EXIT_RESOURCE, "tune --run: cannot fork: %s", strerror(errno));
    int wstatus;
    while (waitpid(pid, &wstatus, 0) < 0)
        if (errno != EINTR)
            return fail(OSW_EXIT_RESOURCE, "tune --run: waitpid: %s", strerror(errno));
    if (WIFSIGNALED(wstatus))
        return 128 + WTERMSIG(wstatus);
    return WEXITSTATUS(wstatus);
}

/* Parses tune's options: everything before a --run; what follows --run
 * is `ompsweep run`'s, and the run's --out is then the DIR tuned. Returns
 * -1 to go on, else the exit status. */
static int tune_args(int argc, char **argv, struct tune *t, osw_args *a)
{
    int run_at = 0;
    for (int i = 1; i < argc && !run_at; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--run") == 0)
            run_at = i;
    }
    char err[OSW_ERRLEN];
    int status = osw_args_parse(OSW_CMD_TUNE, run_at ? run_at : argc, argv, a, err, sizeof(err));
    if (status == 0 && !run_at && a->noperands == 0) {
        snprintf(err, sizeof(err), "needs a run directory: ompsweep tune DIR");
        status = OSW_EXIT_USAGE;
    }
    if (status == OSW_ARGS_HELP) {
        osw_usage(OSW_CMD_TUNE, stdout);
        return OSW_EXIT_OK;
    }
    if (status == 0 && run_at && a->noperands)
        snprintf(err, sizeof(err), "--run takes the sweep's --out, not a DIR");
    /* tune --search's flags (cli/tune_search.c) */
    if (status == 0 &&
        (a->budget || a->replay || a->seed_given || a->out || a->resume || a->replays != 1)) {
        snprintf(err, sizeof(err),
                 "--budget, --replay, --replays, --seed, --out and --resume go with --search");
        status = OSW_EXIT_USAGE;
    }
    if (status || (run_at && a->noperands)) {
        fprintf(stderr, "ompsweep tune: %s (see ompsweep tune --help)\n", err);
        return OSW_EXIT_USAGE;
    }
    t->alpha = a->alpha;
    t->max_loss = a->max_loss / 100;
    t->objective = strcmp(a->objective, "cpu") == 0      ? OBJ_CPU
                   : strcmp(a->objective, "energy") == 0 ? OBJ_ENERGY
                                                         : OBJ_WALL;
    t->dir = a->noperands ? a->operands[0] : NULL;
    if (run_at) {
        int rc = run_sweep(argc - run_at - 1, argv + run_at + 1, &t->dir);
        if (rc != OSW_EXIT_OK && rc != OSW_EXIT_VERIFY)
            return rc;
    }
    return -1;
}

int osw_cmd_tune(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0 && strcmp(argv[i], "--run") != 0; i++)
        if (strcmp(argv[i], "--search") == 0 || strncmp(argv[i], "--search=", 9) == 0)
            return osw_tune_search(argc, argv); /* cli/tune_search.c */
    struct tune *t = calloc(1, sizeof(*t));
    if (!t)
        return fail(OSW_EXIT_RESOURCE, "out of memory");
    osw_args a;
    int status = tune_args(argc, argv, t, &a);
    if (status >= 0) {
        free(t);
        return status;
    }
    struct stat st;
    if (stat(t->dir, &st) != 0) {
        status = fail(OSW_EXIT_USAGE, "%s: %s", t->dir, strerror(errno));
        goto out;
    }
    if (!S_ISDIR(st.st_mode)) {
        status = fail(OSW_EXIT_USAGE, "%s: not a directory", t->dir);
        goto out;
    }
    char holder[400];
    if (osw_rundir_busy(t->dir, holder, sizeof(holder)))
        warn(t, "%s is still being written by %s: the advice uses the rows finished so far", t->dir,
             holder);
    char path[4200], path2[4200];
    snprintf(path, sizeof(path), "%s/summary.csv", t->dir);
    if ((status = load_summary(t, path)))
        goto out;
    snprintf(path, sizeof(path), "%s/samples.csv", t->dir);
    if ((status = load_samples(t, path)))
        goto out;
    snprintf(path, sizeof(path), "%s/meta.json", t->dir);
    snprintf(path2, sizeof(path2), "%s/exec.json", t->dir);
    if ((status = load_meta(t, path, path2)))
        goto out;
    if (t->objective != OBJ_WALL) {
        size_t measured = 0;
        for (size_t i = 0; i < t->ncfg; i++)
            measured += t->cfg[i].usable && isfinite(cost(t, &t->cfg[i]));
        if (!measured) {
            status =
                fail(OSW_EXIT_USAGE, "--objective %s: %s has no %s in any verified row%s",
                     a.objective, t->dir, t->objective == OBJ_CPU ? "cpu_per_wall" : "energy_j",
                     t->objective == OBJ_ENERGY
                         ? " (the powercap counters were not readable where it ran: "
                           "meta.json's energy says why)"
                         : "");
            goto out;
        }
    }
    if (build_groups(t)) {
        status = fail(OSW_EXIT_RESOURCE, "out of memory");
        goto out;
    }
    global_warnings(t);
    size_t usable = 0;
    for (size_t i = 0; i < t->ng; i++)
        usable += t->g[i].nc;
    if (!usable) {
        for (int i = 0; i < t->nwarnings; i++)
            fprintf(stderr, "ompsweep tune: warning: %s\n", t->warnings[i]);
        status = fail(OSW_EXIT_USAGE,
                      "%s: no verified configuration to tune from (%zu row(s), none verified)",
                      t->dir, t->ncfg);
        goto out;
    }
    struct crossover *cx = calloc(t->ng ? t->ng : 1, sizeof(*cx));
    if (!cx) {
        status = fail(OSW_EXIT_RESOURCE, "out of memory");
        goto out;
    }
    size_t ncx = crossovers(t, cx);
    /* table: the warnings head the text; csv and json: stdout holds only
     * the document, the warnings go to stderr. */
    status = OSW_EXIT_OK;
    if (strcmp(a.format, "json") == 0)
        status = print_json(t, cx, ncx);
    else if (strcmp(a.format, "csv") == 0)
        print_csv(t);
    else
        print_text(t, cx, ncx);
    for (size_t i = 0; strcmp(a.format, "table") == 0 && status == OSW_EXIT_OK && i < t->ng; i++)
        if (t->g[i].recommended) /* DIR/regions.csv (exec --regions): cli/tune_regions.c */
            status = osw_tune_regions(t->dir, t->g[i].base, t->g[i].n,
                                      t->g[i].recommended->row.threads, stdout);
    fflush(stdout);
    if (strcmp(a.format, "table") != 0)
        for (int i = 0; i < t->nwarnings; i++)
            fprintf(stderr, "ompsweep tune: warning: %s\n", t->warnings[i]);
    free(cx);
out:
    tune_free(t);
    free(t);
    return status;
}

/* compare.c: `ompsweep compare BASE NEW`: the configurations two runs have in
 * common, sample by sample, with the Mann-Whitney U test and the
 * Hodges-Lehmann interval of the ratio new/base (hypothesis.h). BASE or NEW
 * may also be a set of runs (a directory of run directories): then each run
 * is one observation, its median, and the same test compares the runs'
 * medians, so that the variation from one run to the next is in the test.
 * See docs/cli.md, "Comparing two runs", for the command's contract. */
#define _GNU_SOURCE
#include "commands.h"
#include "csv.h"
#include "error.h"
#include <cjson/cJSON.h>
#include "options.h"
#include "parse.h"
#include "rundir.h"
#include "hypothesis.h"
#include "stats.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Exit status when a configuration is significantly slower than --threshold. */
#define COMPARE_EXIT_SLOWER 4
/* How many keys the "only in" and "left out" lines name before "and N more". */
#define COMPARE_LIST_MAX 3
/* Room for one cell of the aligned table (a kernel name is < 64 bytes). */
#define COMPARE_CELL 264

struct config {
    char kernel[64];
    char schedule[32];
    char env[256];
    size_t n;
    int threads, chunk, ranks;
    int verified;
    double *t; /* the samples, seconds */
    size_t nt, cap;
};

struct run {
    const char *dir;
    char summary_path[4200], samples_path[4200];
    struct config *cfg;     /* summary.csv's rows, in file order */
    struct config **by_key; /* the same, sorted by key */
    size_t ncfg;
    size_t stray;        /* sample rows that match no summary.csv row */
    int partial_summary; /* a trailing partial line was dropped */
    int partial_samples;
};

static void run_free(struct run *r)
{
    for (size_t i = 0; i < r->ncfg; i++)
        free(r->cfg[i].t);
    free(r->cfg);
    free(r->by_key);
    memset(r, 0, sizeof(*r));
}

/* One side of the comparison: one run, or the runs of a set. */
struct side {
    const char *dir;
    struct run *runs;
    char **names; /* the set's run directories (NULL for one run) */
    size_t nruns;
};

static void side_free(struct side *s)
{
    for (size_t i = 0; i < s->nruns; i++) {
        run_free(&s->runs[i]);
        if (s->names)
            free(s->names[i]);
    }
    free(s->runs);
    free(s->names);
    memset(s, 0, sizeof(*s));
}

/* Key order: kernel, n, threads, schedule, chunk, env, and ranks when
 * with_ranks. */
static int key_cmp(const struct config *a, const struct config *b, int with_ranks)
{
    int c = strcmp(a->kernel, b->kernel);
    if (c)
        return c;
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    if (a->threads != b->threads)
        return a->threads < b->threads ? -1 : 1;
    c = strcmp(a->schedule, b->schedule);
    if (c)
        return c;
    if (a->chunk != b->chunk)
        return a->chunk < b->chunk ? -1 : 1;
    c = strcmp(a->env, b->env);
    if (c)
        return c;
    if (with_ranks && a->ranks != b->ranks)
        return a->ranks < b->ranks ? -1 : 1;
    return 0;
}

static int cmp_full(const void *a, const void *b)
{
    return key_cmp(*(struct config *const *)a, *(struct config *const *)b, 1);
}

static int cmp_no_ranks(const void *a, const void *b)
{
    return key_cmp(*(struct config *const *)a, *(struct config *const *)b, 0);
}

/* "triad n=100000 threads=2 dynamic,64 ranks=4" (chunk and ranks when set). */
static void key_text(const struct config *c, char *buf, size_t len)
{
    int w = snprintf(buf, len, "%s n=%zu threads=%d %s", c->kernel, c->n, c->threads, c->schedule);
    if (w > 0 && (size_t)w < len && c->chunk)
        w += snprintf(buf + w, len - (size_t)w, ",%d", c->chunk);
    if (w > 0 && (size_t)w < len && c->ranks != 1)
        w += snprintf(buf + w, len - (size_t)w, " ranks=%d", c->ranks);
    if (w > 0 && (size_t)w < len && c->env[0])
        snprintf(buf + w, len - (size_t)w, " %.150s", c->env);
}

static struct config *find(const struct run *r, const struct config *key, int with_ranks)
{
    struct config **hit =
        bsearch(&key, r->by_key, r->ncfg, sizeof(*r->by_key), with_ranks ? cmp_full : cmp_no_ranks);
    return hit ? *hit : NULL;
}

/* Reports a problem with one file: one line, "ompsweep compare: FILE: what". */
static int fail_file(const char *path, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_file(const char *path, int status, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (path)
        fprintf(stderr, "ompsweep compare: %s: %s\n", path, what);
    else
        fprintf(stderr, "ompsweep compare: %s\n", what);
    return status;
}

/* Reads a CSV file; on failure prints its one line and returns the status. */
static int read_table(const char *path, osw_table *t)
{
    char err[256] = "";
    int rc = osw_csv_read(path, t, err);
    if (rc == 0)
        return 0;
    if (rc == -ENOMEM)
        return fail_file(path, OSW_EXIT_RESOURCE, "out of memory");
    if (rc == -ENOENT)
        return fail_file(path, OSW_EXIT_USAGE, "missing (not a run directory?)");
    return fail_file(NULL, OSW_EXIT_USAGE, "%s", err[0] ? err : osw_strerror(rc));
}

static int require_columns(const char *path, const osw_table *t, const char *const *names)
{
    for (; *names; names++)
        if (osw_table_col(t, *names) < 0)
            return fail_file(path, OSW_EXIT_USAGE, "missing required column '%s'", *names);
    return 0;
}

/* summary.csv: osw_csv_read has refused a key listed twice; each row's
 * cells are checked by osw_row_from_table. */
static int load_summary(struct run *r)
{
    static const char *const required[] = {"kernel", "n", "threads", "schedule", "chunk", NULL};
    osw_table t;
    int status = read_table(r->summary_path, &t);
    if (status)
        return status;
    r->partial_summary = t.dropped_partial;
    char err[256] = "";
    status = require_columns(r->summary_path, &t, required);
    if (status == 0 && osw_table_require_summary(&t, err))
        status = fail_file(r->summary_path, OSW_EXIT_USAGE, "%s", err);
    if (status)
        goto out;
    r->cfg = calloc(t.nrows ? t.nrows : 1, sizeof(*r->cfg));
    r->by_key = calloc(t.nrows ? t.nrows : 1, sizeof(*r->by_key));
    if (!r->cfg || !r->by_key) {
        status = fail_file(r->summary_path, OSW_EXIT_RESOURCE, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < t.nrows; i++) {
        osw_row row;
        if (osw_row_from_table(&t, i, &row, err)) {
            status = fail_file(NULL, OSW_EXIT_USAGE, "%s", err); /* FILE:LINE: what */
            goto out;
        }
        struct config *c = &r->cfg[r->ncfg++];
        snprintf(c->kernel, sizeof(c->kernel), "%s", row.kernel);
        snprintf(c->schedule, sizeof(c->schedule), "%s", row.schedule);
        snprintf(c->env, sizeof(c->env), "%s", row.env);
        c->n = row.n;
        c->threads = row.threads;
        c->chunk = row.chunk;
        c->ranks = row.ranks;
        c->verified = row.verified;
        r->by_key[i] = c;
    }
    qsort(r->by_key, r->ncfg, sizeof(*r->by_key), cmp_full);
out:
    osw_table_free(&t);
    return status;
}

/* samples.csv: osw_csv_read has checked every row (osw_sample_from_table)
 * and refused a (key, rep) listed twice. */
static int load_samples(struct run *r)
{
    static const char *const required[] = {"kernel", "n",       "threads", "schedule",
                                           "chunk",  "seconds", NULL};
    osw_table t;
    int status = read_table(r->samples_path, &t);
    if (status)
        return status;
    r->partial_samples = t.dropped_partial;
    status = require_columns(r->samples_path, &t, required);
    if (status)
        goto out;
    int cr = osw_table_col(&t, "ranks");
    if (cr < 0) /* then the summary's ranks must not be needed to tell rows apart */
        for (size_t i = 1; i < r->ncfg; i++)
            if (cmp_no_ranks(&r->by_key[i - 1], &r->by_key[i]) == 0) {
                char key[160];
                key_text(r->by_key[i], key, sizeof(key));
                status = fail_file(r->samples_path, OSW_EXIT_USAGE,
                                   "no ranks column, but summary.csv has %s with several "
                                   "rank counts",
                                   key);
                goto out;
            }
    for (size_t i = 0; i < t.nrows; i++) {
        osw_sample smp;
        char err[256] = "";
        if (osw_sample_from_table(&t, i, &smp, err)) {
            status = fail_file(NULL, OSW_EXIT_USAGE, "%s", err); /* FILE:LINE: what */
            goto out;
        }
        struct config key;
        memset(&key, 0, sizeof(key));
        snprintf(key.kernel, sizeof(key.kernel), "%s", smp.kernel);
        snprintf(key.schedule, sizeof(key.schedule), "%s", smp.schedule);
        snprintf(key.env, sizeof(key.env), "%s", smp.env);
        key.n = smp.n;
        key.threads = smp.threads;
        key.chunk = smp.chunk;
        key.ranks = smp.ranks;
        struct config *c = find(r, &key, cr >= 0);
        if (!c) {
            r->stray++;
            continue;
        }
        if (c->nt == c->cap) {
            size_t cap = c->cap ? 2 * c->cap : 16;
            double *grown = realloc(c->t, cap * sizeof(*grown));
            if (!grown) {
                status = fail_file(r->samples_path, OSW_EXIT_RESOURCE, "out of memory");
                goto out;
            }
            c->t = grown;
            c->cap = cap;
        }
        c->t[c->nt++] = smp.seconds;
    }
out:
    osw_table_free(&t);
    return status;
}

static int load_run(struct run *r, const char *dir)
{
    r->dir = dir;
    struct stat st;
    if (stat(dir, &st) != 0)
        return fail_file(dir, OSW_EXIT_USAGE, "%s", strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return fail_file(dir, OSW_EXIT_USAGE, "not a directory");
    snprintf(r->summary_path, sizeof(r->summary_path), "%s/summary.csv", dir);
    snprintf(r->samples_path, sizeof(r->samples_path), "%s/samples.csv", dir);
    /* Both files must exist before either is parsed: a missing file is the
     * likelier mistake, so it is the one reported. Any other reason a file
     * cannot be reached (a symbolic link loop, a denied directory) is said
     * as it is. */
    const char *const paths[2] = {r->summary_path, r->samples_path};
    for (int k = 0; k < 2; k++)
        if (access(paths[k], F_OK) != 0)
            return errno == ENOENT
                       ? fail_file(paths[k], OSW_EXIT_USAGE, "missing (not a run directory?)")
                       : fail_file(paths[k], OSW_EXIT_USAGE, "%s", strerror(errno));
    int status = load_summary(r);
    return status ? status : load_samples(r);
}

/* One compared configuration. */
struct result {
    const struct config *cfg;
    double base_median, new_median, ratio, lo, hi, p;
    const char *verdict;
    int gate; /* slower by more than --threshold */
};

/* A growing "a, b, c and N more" list of keys for one stderr line. */
struct keylist {
    size_t count;
    char text[3 * 200];
};

static void keylist_add(struct keylist *l, const struct config *c)
{
    if (l->count++ < COMPARE_LIST_MAX) {
        char key[200];
        key_text(c, key, sizeof(key));
        size_t used = strlen(l->text);
        snprintf(l->text + used, sizeof(l->text) - used, "%s%s", used ? ", " : "", key);
    }
}

static void keylist_print(const struct keylist *l, const char *fmt, const char *arg)
{
    if (!l->count)
        return;
    fprintf(stderr, "ompsweep compare: %zu configuration(s) ", l->count);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, ": %s", l->text);
    if (l->count > COMPARE_LIST_MAX)
        fprintf(stderr, " and %zu more", l->count - COMPARE_LIST_MAX);
    fputc('\n', stderr);
}

static double median_of(const double *t, size_t n, double *scratch)
{
    memcpy(scratch, t, n * sizeof(*t));
    osw_stats st;
    osw_stats_compute(scratch, n, &st);
    return st.median;
}

/* "41.20 us": seconds in the unit that puts the value in [1, 1000). */
static void fmt_time(char *buf, size_t len, double s)
{
    static const char *units[] = {"s", "ms", "us", "ns"};
    int u = 0;
    while (u < 3 && fabs(s) < 1) {
        s *= 1000;
        u++;
    }
    snprintf(buf, len, "%.2f %s", s, units[u]);
}

enum {
    COL_KERNEL,
    COL_N,
    COL_THREADS,
    COL_SCHED,
    COL_CHUNK,
    COL_RANKS,
    COL_ENV,
    COL_BASE,
    COL_NEW,
    COL_RATIO,
    COL_CI,
    COL_P,
    COL_VERDICT,
    NCOLS
};

static void print_table(const struct result *res, size_t nres, int show_ranks, int show_env,
                        double alpha)
{
    char ci_head[32];
    snprintf(ci_head, sizeof(ci_head), "%.4g%% CI", 100 * (1 - alpha));
    const char *head[NCOLS] = {"kernel", "n",   "threads",     "schedule",   "chunk",
                               "ranks",  "env", "base_median", "new_median", "ratio",
                               ci_head,  "p",   "verdict"};
    /* Numbers right-aligned, names left-aligned. */
    static const int right[NCOLS] = {0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0};
    size_t width[NCOLS];
    for (int c = 0; c < NCOLS; c++)
        width[c] = strlen(head[c]);
    char(*cells)[NCOLS][COMPARE_CELL] = malloc((nres ? nres : 1) * sizeof(*cells));
    if (!cells) {
        fprintf(stderr, "ompsweep compare: out of memory\n");
        return;
    }
    for (size_t i = 0; i < nres; i++) {
        const struct result *r = &res[i];
        char(*row)[COMPARE_CELL] = cells[i];
        snprintf(row[COL_KERNEL], COMPARE_CELL, "%s", r->cfg->kernel);
        snprintf(row[COL_N], COMPARE_CELL, "%zu", r->cfg->n);
        snprintf(row[COL_THREADS], COMPARE_CELL, "%d", r->cfg->threads);
        snprintf(row[COL_SCHED], COMPARE_CELL, "%s", r->cfg->schedule);
        snprintf(row[COL_CHUNK], COMPARE_CELL, "%d", r->cfg->chunk);
        snprintf(row[COL_RANKS], COMPARE_CELL, "%d", r->cfg->ranks);
        snprintf(row[COL_ENV], COMPARE_CELL, "%s", r->cfg->env);
        fmt_time(row[COL_BASE], COMPARE_CELL, r->base_median);
        fmt_time(row[COL_NEW], COMPARE_CELL, r->new_median);
        snprintf(row[COL_RATIO], COMPARE_CELL, "%.4f", r->ratio);
        snprintf(row[COL_CI], COMPARE_CELL, "[%.4f, %.4f]", r->lo, r->hi);
        snprintf(row[COL_P], COMPARE_CELL, "%.2g", r->p);
        snprintf(row[COL_VERDICT], COMPARE_CELL, "%s", r->verdict);
        for (int c = 0; c < NCOLS; c++)
            if (strlen(row[c]) > width[c])
                width[c] = strlen(row[c]);
    }
    for (size_t i = 0; i <= nres; i++) {
        int first = 1;
        for (int c = 0; c < NCOLS; c++) {
            if ((c == COL_RANKS && !show_ranks) || (c == COL_ENV && !show_env))
                continue;
            const char *text = i == 0 ? head[c] : cells[i - 1][c];
            int w = (int)width[c];
            if (c == NCOLS - 1) /* no trailing blanks */
                printf("%s%s\n", first ? "" : "  ", text);
            else
                printf(right[c] ? "%s%*s" : "%s%-*s", first ? "" : "  ", w, text);
            first = 0;
        }
    }
    free(cells);
}

/* runs: 0 for a test of one run a side, else the runs a side: base_runs
 * and new_runs close each line. */
static void print_csv(const struct result *res, size_t nres, int show_ranks, int show_env,
                      const size_t runs[2])
{
    printf("kernel,n,threads,schedule,chunk,base_median_s,new_median_s,ratio,ratio_lo,ratio_hi,"
           "p_value,verdict%s%s%s\n",
           show_ranks ? ",ranks" : "", show_env ? ",env" : "", runs ? ",base_runs,new_runs" : "");
    for (size_t i = 0; i < nres; i++) {
        const struct result *r = &res[i];
        printf("%s,%zu,%d,%s,%d,%.9g,%.9g,%.6f,%.6f,%.6f,%.6g,%s", r->cfg->kernel, r->cfg->n,
               r->cfg->threads, r->cfg->schedule, r->cfg->chunk, r->base_median, r->new_median,
               r->ratio, r->lo, r->hi, r->p, r->verdict);
        if (show_ranks)
            printf(",%d", r->cfg->ranks);
        if (show_env) { /* quoted (RFC 4180): an env holds commas */
            fputs(",\"", stdout);
            for (const char *p = r->cfg->env; *p; p++)
                fputs(*p == '"' ? "\"\"" : (char[2]){*p, 0}, stdout);
            putchar('"');
        }
        if (runs)
            printf(",%zu,%zu", runs[0], runs[1]);
        putchar('\n');
    }
}

/* The results as one JSON document (cJSON). */
static int print_json(const struct result *res, size_t nres, int show_ranks, int show_env,
                      const size_t runs[2], const osw_args *a)
{
    cJSON *doc = cJSON_CreateObject(), *list = cJSON_CreateArray();
    cJSON_AddNumberToObject(doc, "alpha", a->alpha);
    cJSON_AddStringToObject(doc, "adjust", a->adjust);
    if (runs) {
        cJSON_AddNumberToObject(doc, "base_runs", (double)runs[0]);
        cJSON_AddNumberToObject(doc, "new_runs", (double)runs[1]);
    }
    for (size_t i = 0; i < nres; i++) {
        const struct result *r = &res[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "kernel", r->cfg->kernel);
        cJSON_AddNumberToObject(o, "n", (double)r->cfg->n);
        cJSON_AddNumberToObject(o, "threads", r->cfg->threads);
        cJSON_AddStringToObject(o, "schedule", r->cfg->schedule);
        cJSON_AddNumberToObject(o, "chunk", r->cfg->chunk);
        if (show_ranks)
            cJSON_AddNumberToObject(o, "ranks", r->cfg->ranks);
        if (show_env)
            cJSON_AddStringToObject(o, "env", r->cfg->env);
        cJSON_AddNumberToObject(o, "base_median_s", r->base_median);
        cJSON_AddNumberToObject(o, "new_median_s", r->new_median);
        cJSON_AddNumberToObject(o, "ratio", r->ratio);
        cJSON_AddNumberToObject(o, "ratio_lo", r->lo);
        cJSON_AddNumberToObject(o, "ratio_hi", r->hi);
        cJSON_AddNumberToObject(o, "p_value", r->p);
        cJSON_AddStringToObject(o, "verdict", r->verdict);
        cJSON_AddItemToArray(list, o);
    }
    cJSON_AddItemToObject(doc, "results", list);
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text)
        return fail_file(NULL, OSW_EXIT_RESOURCE, "out of memory");
    puts(text);
    cJSON_free(text);
    return OSW_EXIT_OK;
}

/* Loads one side: DIR itself when it holds a summary.csv (or holds no run
 * directory, so that a missing file is reported as before), else every
 * directory inside DIR that holds a summary.csv, in name order. */
static int load_side(struct side *s, const char *dir)
{
    s->dir = dir;
    char probe[4200];
    snprintf(probe, sizeof(probe), "%s/summary.csv", dir);
    struct dirent **list = NULL;
    int n = access(probe, F_OK) == 0 ? -1 : scandir(dir, &list, NULL, alphasort);
    s->names = calloc(n > 0 ? (size_t)n : 1, sizeof(*s->names));
    size_t found = 0;
    int status = s->names ? 0 : fail_file(dir, OSW_EXIT_RESOURCE, "out of memory");
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        struct stat st;
        snprintf(probe, sizeof(probe), "%s/%s", dir, name);
        int is_run =
            strcmp(name, ".") && strcmp(name, "..") && stat(probe, &st) == 0 && S_ISDIR(st.st_mode);
        char path[sizeof(probe) + 16];
        snprintf(path, sizeof(path), "%s/summary.csv", probe);
        if (!status && is_run && access(path, F_OK) == 0 && !(s->names[found++] = strdup(probe)))
            status = fail_file(dir, OSW_EXIT_RESOURCE, "out of memory");
        free(list[i]);
    }
    free(list);
    s->nruns = found ? found : 1;
    s->runs = status ? NULL : calloc(s->nruns, sizeof(*s->runs));
    if (!status && !s->runs)
        status = fail_file(dir, OSW_EXIT_RESOURCE, "out of memory");
    if (status) {
        for (size_t i = 0; i < found; i++)
            free(s->names[i]);
        s->nruns = 0;
        return status;
    }
    for (size_t i = 0; i < s->nruns && !status; i++)
        status = load_run(&s->runs[i], found ? s->names[i] : dir);
    return status;
}

/* Loads both sides, then prints their warnings: only once both have loaded,
 * so that a bad file is reported alone. */
static int load_sides(struct side *base, struct side *fresh, const char *base_dir,
                      const char *new_dir)
{
    int status = load_side(base, base_dir);
    if (status == 0)
        status = load_side(fresh, new_dir);
    if (status)
        return status;
    const struct side *sides[2] = {base, fresh};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < sides[k]->nruns; i++) {
            const struct run *r = &sides[k]->runs[i];
            char holder[400];
            if (osw_rundir_busy(r->dir, holder, sizeof(holder)))
                fprintf(stderr,
                        "ompsweep compare: warning: %s is still being written by %s: comparing "
                        "the rows finished so far\n",
                        r->dir, holder);
            if (r->partial_summary)
                fprintf(stderr, "ompsweep compare: warning: %s: ignored a partial last line\n",
                        r->summary_path);
            if (r->partial_samples)
                fprintf(stderr, "ompsweep compare: warning: %s: ignored a partial last line\n",
                        r->samples_path);
            if (r->stray)
                fprintf(stderr,
                        "ompsweep compare: warning: %s: ignored %zu sample row(s) with no row in "
                        "summary.csv\n",
                        r->samples_path, r->stray);
        }
    return 0;
}

/* What comparing the two runs found. */
struct comparison {
    struct result *res; /* one per configuration compared, in base's order */
    size_t nres, slower, faster, gate;
    size_t base_runs, new_runs; /* runs a side; a run-level test when either is > 1 */
    int show_ranks;             /* some configuration has ranks != 1 */
    int show_env;               /* some configuration has an env */
    struct keylist only_base, only_new, unverified, no_samples, not_everywhere;
};

/* Compares one configuration: bs[0..nb) its rows in the base side's runs,
 * fs[0..nf) in the new side's, into r: medians, ratio new/base, its
 * interval and the p-value. One
 * run a side: the samples are the observations; more: each run's median is
 * one (in xb and xf, room for nb and nf). scratch has room for any run's
 * samples. The verdict is decide()'s. Returns 0 or the exit status (with
 * its message printed). */
static int compare_one(const struct config *const *bs, size_t nb, const struct config *const *fs,
                       size_t nf, double *scratch, double *xb, double *xf, const osw_args *a,
                       struct result *r)
{
    const double *x = bs[0]->t, *y = fs[0]->t;
    size_t nx = bs[0]->nt, ny = fs[0]->nt;
    if (nb > 1 || nf > 1) {
        for (size_t i = 0; i < nb; i++)
            xb[i] = median_of(bs[i]->t, bs[i]->nt, scratch);
        for (size_t i = 0; i < nf; i++)
            xf[i] = median_of(fs[i]->t, fs[i]->nt, scratch);
        x = xb, nx = nb, y = xf, ny = nf;
    }
    r->cfg = bs[0];
    r->base_median = median_of(x, nx, scratch);
    r->new_median = median_of(y, ny, scratch);
    r->ratio = r->new_median / r->base_median;
    osw_mwu mwu;
    osw_ratio ci;
    int rc = osw_mwu_test(x, nx, y, ny, &mwu);
    if (rc == 0)
        rc = osw_ratio_ci(x, nx, y, ny, a->alpha, &ci);
    if (rc)
        return fail_file(NULL, rc == -ENOMEM ? OSW_EXIT_RESOURCE : OSW_EXIT_USAGE, "%s",
                         osw_strerror(rc));
    r->p = mwu.p;
    r->lo = ci.lo;
    r->hi = ci.hi;
    return 0;
}

/* r's verdict and whether it fails the --threshold gate, from its p-value
 * (Holm-adjusted by then with --adjust holm). */
static void decide(struct result *r, const osw_args *a)
{
    /* A hair of tolerance: a ratio of exactly 1.02 counts as 2% despite rounding. */
    int significant = r->p <= a->alpha;
    int big = fabs(r->ratio - 1) >= a->min_effect / 100 - 1e-12;
    r->verdict = significant && big ? (r->ratio > 1 ? "slower" : "faster") : "same";
    r->gate = r->ratio > 1 && significant && big && r->ratio - 1 > a->threshold / 100;
}

/* Finds b's key in every run of side s into hits; returns how many runs lack it. */
static size_t find_all(const struct side *s, const struct config *b, const struct config **hits)
{
    size_t missing = 0;
    for (size_t i = 0; i < s->nruns; i++)
        missing += !(hits[i] = find(&s->runs[i], b, 1));
    return missing;
}

/* The largest number of samples in any run of side s. */
static size_t most_samples(const struct side *s)
{
    size_t most = 0;
    for (size_t k = 0; k < s->nruns; k++)
        for (size_t i = 0; i < s->runs[k].ncfg; i++)
            most = s->runs[k].cfg[i].nt > most ? s->runs[k].cfg[i].nt : most;
    return most;
}

/* Sorts configuration b of the base side's first run: compared when it is
 * in every run of both sides, verified and sampled everywhere; else into
 * one of cmp's key lists. Returns 0 or the exit status. */
static int compare_key(const struct side *base, const struct side *fresh, const struct config *b,
                       const osw_args *a, double *scratch, const struct config **hits,
                       double *medians, struct comparison *cmp)
{
    const struct config **bs = hits, **fs = hits + base->nruns;
    size_t missing_base = find_all(base, b, bs), missing_new = find_all(fresh, b, fs);
    int verified = 1, sampled = 1;
    for (size_t i = 0; i < base->nruns + fresh->nruns; i++)
        if (hits[i]) {
            verified &= hits[i]->verified != 0;
            sampled &= hits[i]->nt > 0;
        }
    if (missing_new == fresh->nruns)
        keylist_add(&cmp->only_base, b);
    else if (missing_base || missing_new)
        keylist_add(&cmp->not_everywhere, b);
    else if (!verified)
        keylist_add(&cmp->unverified, b);
    else if (!sampled)
        keylist_add(&cmp->no_samples, b);
    else {
        cmp->show_ranks |= b->ranks != 1;
        cmp->show_env |= b->env[0] != 0;
        return compare_one(bs, base->nruns, fs, fresh->nruns, scratch, medians,
                           medians + base->nruns, a, &cmp->res[cmp->nres++]);
    }
    return 0;
}

/* The verdicts of cmp's results (after Holm's adjustment of their p-values
 * with --adjust holm) and their tally. Returns 0 or the exit status. */
static int decide_all(struct comparison *cmp, const osw_args *a)
{
    if (strcmp(a->adjust, "holm") == 0) {
        double *p = malloc((cmp->nres ? cmp->nres : 1) * sizeof(*p));
        if (!p)
            return fail_file(NULL, OSW_EXIT_RESOURCE, "out of memory");
        for (size_t i = 0; i < cmp->nres; i++)
            p[i] = cmp->res[i].p;
        int rc = osw_holm_adjust(p, cmp->nres, p);
        for (size_t i = 0; i < cmp->nres && rc == 0; i++)
            cmp->res[i].p = p[i];
        free(p);
        if (rc)
            return fail_file(NULL, rc == -ENOMEM ? OSW_EXIT_RESOURCE : OSW_EXIT_USAGE, "%s",
                             osw_strerror(rc));
    }
    for (size_t i = 0; i < cmp->nres; i++) {
        struct result *r = &cmp->res[i];
        decide(r, a);
        int changed = strcmp(r->verdict, "same") != 0;
        cmp->slower += changed && r->ratio > 1;
        cmp->faster += changed && r->ratio < 1;
        cmp->gate += r->gate;
    }
    return 0;
}

/* Compares every configuration of the base side's first run; the new
 * side's configurations found nowhere in it go to cmp->only_new. Returns 0
 * or the exit status. */
static int compare_sides(const struct side *base, const struct side *fresh, const osw_args *a,
                         struct comparison *cmp)
{
    const struct run *b0 = &base->runs[0];
    size_t most = most_samples(base), more = most_samples(fresh), runs = base->nruns + fresh->nruns;
    most = more > most ? more : most;
    most = runs > most ? runs : most;
    cmp->base_runs = base->nruns;
    cmp->new_runs = fresh->nruns;
    cmp->res = calloc(b0->ncfg ? b0->ncfg : 1, sizeof(*cmp->res));
    double *scratch = malloc(most * sizeof(*scratch)), *medians = malloc(runs * sizeof(*medians));
    const struct config **hits = malloc(runs * sizeof(*hits));
    int status = 0;
    if (!cmp->res || !scratch || !medians || !hits)
        status = fail_file(NULL, OSW_EXIT_RESOURCE, "out of memory");
    for (size_t i = 0; i < b0->ncfg && !status; i++)
        status = compare_key(base, fresh, &b0->cfg[i], a, scratch, hits, medians, cmp);
    free(scratch);
    free(medians);
    free(hits);
    for (size_t i = 0; i < fresh->runs[0].ncfg && !status; i++)
        if (!find(b0, &fresh->runs[0].cfg[i], 1))
            keylist_add(&cmp->only_new, &fresh->runs[0].cfg[i]);
    return status ? status : decide_all(cmp, a);
}

/* The smallest two-sided p-value the exact test can give for nx against ny
 * observations without ties: 2 P(U <= 0) = 2 / C(nx + ny, nx). Beyond the
 * exact test's sizes it is far below any --alpha: 0. */
static double smallest_p(size_t nx, size_t ny)
{
    double p = 2 * osw_mwu_exact_cdf(nx, ny, 0);
    return isnan(p) ? 0 : p < 1 ? p : 1;
}

/* What was left out (stderr), the results in --format (stdout) and the
 * tally (stderr). Returns 0 or the exit status. */
static int report(const struct comparison *cmp, const struct side *base, const struct side *fresh,
                  const osw_args *a)
{
    keylist_print(&cmp->only_base, "only in %s", base->dir);
    keylist_print(&cmp->only_new, "only in %s", fresh->dir);
    keylist_print(&cmp->not_everywhere, "%s", "left out: missing from some run of a set");
    keylist_print(&cmp->unverified, "%s", "left out: verified=0 in some run");
    keylist_print(&cmp->no_samples, "%s", "left out: no samples in some run");
    if (cmp->nres == 0)
        return fail_file(NULL, OSW_EXIT_USAGE, "no configuration to compare between %s and %s",
                         base->dir, fresh->dir);
    const size_t sides[2] = {cmp->base_runs, cmp->new_runs};
    const size_t *runs = sides[0] > 1 || sides[1] > 1 ? sides : NULL;
    if (runs) {
        fprintf(stderr,
                "ompsweep compare: run-level test: each run's median is one observation, %zu "
                "base run(s) against %zu new\n",
                runs[0], runs[1]);
        double p = smallest_p(runs[0], runs[1]);
        if (p > a->alpha)
            fprintf(stderr,
                    "ompsweep compare: warning: %zu against %zu runs cannot reach p <= %g (at "
                    "best p = %.2g): every verdict is \"same\"; take more runs a side\n",
                    runs[0], runs[1], a->alpha, p);
    }
    int status = OSW_EXIT_OK;
    if (strcmp(a->format, "csv") == 0)
        print_csv(cmp->res, cmp->nres, cmp->show_ranks, cmp->show_env, runs);
    else if (strcmp(a->format, "json") == 0)
        status = print_json(cmp->res, cmp->nres, cmp->show_ranks, cmp->show_env, runs, a);
    else
        print_table(cmp->res, cmp->nres, cmp->show_ranks, cmp->show_env, a->alpha);
    fflush(stdout);
    if (status)
        return status;
    fprintf(stderr,
            "ompsweep compare: %zu configuration(s) compared: %zu slower, %zu faster, %zu "
            "same\n",
            cmp->nres, cmp->slower, cmp->faster, cmp->nres - cmp->slower - cmp->faster);
    return OSW_EXIT_OK;
}

/* The exit status: COMPARE_EXIT_SLOWER, naming the configurations, when
 * some are significantly slower by more than --threshold, else 0. */
static int gate(const struct comparison *cmp, double threshold)
{
    if (!cmp->gate)
        return OSW_EXIT_OK;
    struct keylist over = {0};
    for (size_t i = 0; i < cmp->nres; i++)
        if (cmp->res[i].gate)
            keylist_add(&over, cmp->res[i].cfg);
    char what[64];
    snprintf(what, sizeof(what), "significantly slower by more than %g%%", threshold);
    keylist_print(&over, "%s", what);
    return COMPARE_EXIT_SLOWER;
}

int osw_cmd_compare(int argc, char **argv)
{
    osw_args a;
    char err[OSW_ERRLEN];
    int status = osw_args_parse(OSW_CMD_COMPARE, argc, argv, &a, err, sizeof(err));
    if (status == OSW_ARGS_HELP) {
        osw_usage(OSW_CMD_COMPARE, stdout);
        return OSW_EXIT_OK;
    }
    if (status) {
        fprintf(stderr, "ompsweep compare: %s (see ompsweep compare --help)\n", err);
        return status;
    }
    struct side base, fresh;
    memset(&base, 0, sizeof(base));
    memset(&fresh, 0, sizeof(fresh));
    struct comparison cmp;
    memset(&cmp, 0, sizeof(cmp));
    status = load_sides(&base, &fresh, a.operands[0], a.operands[1]);
    if (status == 0)
        status = compare_sides(&base, &fresh, &a, &cmp);
    if (status == 0)
        status = report(&cmp, &base, &fresh, &a);
    if (status == 0)
        status = gate(&cmp, a.threshold);
    free(cmp.res);
    side_free(&base);
    side_free(&fresh);
    return status;
}

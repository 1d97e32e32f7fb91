/* tune_search.c: `ompsweep tune --search STRATEGY --budget B` searches each
 * kernel and size for its fastest configuration with lib/search.c, through
 * one of two oracles:
 *   --replay DIR   a recorded grid (DIR/samples.csv): each sample asked is
 *                  drawn (seeded, with replacement) from the recorded ones;
 *   --out DIR --run RUN_OPTIONS... | --exec EXEC_OPTIONS... -- PROGRAM
 *                  live: the sweep of `ompsweep run RUN_OPTIONS` (or of
 *                  `ompsweep exec`) with the search as its sampler
 *                  (engine.h): each request, k samples of one
 *                  configuration, is measured in this process (a program:
 *                  k runs of it), into the run directory DIR/run
 *                  (verified, auditable, samples.csv with the rounds).
 * It reports the winner, the tied set, the samples spent, the share of the
 * space never measured and (replay) how the winner compares with the grid's
 * best. --out DIR logs every sample to DIR/search.csv as it is taken and
 * writes DIR/configs.csv; --resume continues a logged search (the logged
 * samples are served first, so the search retraces its steps and goes on).
 * docs/tuning-search.md. */
#define _GNU_SOURCE
#include "commands.h"
#include "csv.h"
#include "engine.h"
#include "external.h"
#include "error.h"
#include "hypothesis.h"
#include "options.h"
#include "search.h"
#include "sweep.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <omp.h>
#include <unistd.h>

static double now_s(void)
{
    return omp_get_wtime();
}

/* One recorded configuration. */
struct rcfg {
    osw_sample key; /* kernel, n, threads, schedule, chunk (seconds unused) */
    double *t;      /* recorded samples */
    size_t nt;
    double median;
    double *logged; /* --resume: samples of the log being continued */
    size_t nlogged, capl;
    size_t drawn;      /* samples served so far */
    size_t plan_index; /* live: the configuration in the sweep's plan */
    char kind[32], env[256];
};

struct problem {
    size_t first, count; /* configurations [first, first + count) */
};

struct replay {
    struct rcfg *c;
    size_t nc;
    struct problem *p;
    size_t np;
    int cores;
    double *block; /* every recorded sample (owned) */
    FILE *log;
    const char *log_path;
    const char *out; /* --out: search.csv and configs.csv */
    /* a live search: the engine measures each request in this process,
     * through the sweep of `ompsweep run RUN_ARGS` */
    int live;
    char **run_argv;
    char run_reps[16], run_out[4200];
    int exec;                 /* --exec: a program through ompsweep exec */
    struct osw_external *ext; /* its executor's settings */
    int ext_ready;            /* ext prepared (free it) */
    char label[64];
    cJSON *meta_check;
    osw_cli_sweep *sweep;
    int sweep_begun;
    osw_take *take;
    int take_rc; /* the engine's error that ended the search, 0 none */
    int status;  /* the search's exit status (drive) */
};

/* The oracle of one problem. */
struct oracle_self {
    struct replay *r;
    size_t first;
    uint64_t seed;
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

static int key_cmp(const osw_sample *a, const osw_sample *b)
{
    int c = strcmp(a->kernel, b->kernel);
    if (c)
        return c;
    if (a->n != b->n)
        return (a->n > b->n) - (a->n < b->n);
    if (a->threads != b->threads)
        return (a->threads > b->threads) - (a->threads < b->threads);
    if ((c = strcmp(a->schedule, b->schedule)))
        return c;
    if (a->chunk != b->chunk)
        return (a->chunk > b->chunk) - (a->chunk < b->chunk);
    return strcmp(a->env, b->env);
}

static int cmp_sample(const void *pa, const void *pb)
{
    const osw_sample *a = pa, *b = pb;
    int c = key_cmp(a, b);
    return c ? c : (a->rep > b->rep) - (a->rep < b->rep);
}

static int cmp_rcfg(const void *pa, const void *pb)
{
    return key_cmp(&((const struct rcfg *)pa)->key, &((const struct rcfg *)pb)->key);
}

static struct rcfg *find_cfg(struct replay *r, const osw_sample *k)
{
    struct rcfg key;
    key.key = *k;
    return bsearch(&key, r->c, r->nc, sizeof(*r->c), cmp_rcfg);
}

/* Identity of a configuration for the pruning rules: the kind is the
 * schedule cell, the env the env column (or, in runs of schema 7 and
 * older, the @BIND tag of an exec label: OMP_PROC_BIND). */
static void identity(struct rcfg *c)
{
    snprintf(c->kind, sizeof(c->kind), "%s", c->key.schedule);
    const char *at = strchr(c->key.kernel, '@');
    if (c->key.env[0])
        snprintf(c->env, sizeof(c->env), "%s", c->key.env);
    else if (at)
        snprintf(c->env, sizeof(c->env), "OMP_PROC_BIND=%.60s", at + 1);
    else
        c->env[0] = '\0';
}

/* Verified configurations of DIR/summary.csv (optional): unverified ones
 * are left out of the search. Returns 0 or an exit status. */
static int drop_unverified(struct replay *r, const char *dir)
{
    char path[4200], err[256] = "";
    snprintf(path, sizeof(path), "%s/summary.csv", dir);
    osw_table tab;
    int rc = osw_csv_read(path, &tab, err);
    if (rc == -ENOENT)
        return 0;
    if (rc)
        return fail(rc == -ENOMEM ? OSW_EXIT_RESOURCE : OSW_EXIT_USAGE, "%s",
                    err[0] ? err : osw_strerror(rc));
    int status = 0;
    for (size_t i = 0; i < tab.nrows && !status; i++) {
        osw_row row;
        if (osw_row_from_table(&tab, i, &row, err)) {
            status = fail(OSW_EXIT_USAGE, "%s", err);
            break;
        }
        if (row.verified && (!row.status[0] || strncmp(row.status, "ok", 2) == 0))
            continue;
        osw_sample k;
        memset(&k, 0, sizeof(k));
        snprintf(k.kernel, sizeof(k.kernel), "%s", row.kernel);
        snprintf(k.schedule, sizeof(k.schedule), "%s", row.schedule);
        snprintf(k.env, sizeof(k.env), "%s", row.env);
        k.n = row.n;
        k.threads = row.threads;
        k.chunk = row.chunk;
        struct rcfg *c = find_cfg(r, &k);
        if (c)
            c->nt = 0; /* no samples: left out below */
    }
    osw_table_free(&tab);
    return status;
}

/* The configurations (sorted by key) in problems: one per kernel and n,
 * exec's @BIND tags of one program together; their identity and median. */
static int group_problems(struct replay *r)
{
    r->p = calloc(r->nc, sizeof(*r->p));
    if (!r->p)
        return fail(OSW_EXIT_RESOURCE, "out of memory");
    for (size_t i = 0; i < r->nc; i++) {
        struct rcfg *c = &r->c[i];
        identity(c);
        c->median = osw_search_median(c->t, c->nt);
        if (i == 0 || strcmp(c->key.kernel, r->c[i - 1].key.kernel) != 0 ||
            c->key.n != r->c[i - 1].key.n) {
            /* exec's @BIND tags are one problem: the program, not its tag */
            const char *at = strchr(c->key.kernel, '@');
            size_t len = at ? (size_t)(at - c->key.kernel) : strlen(c->key.kernel);
            int same = i > 0 && c->key.n == r->c[i - 1].key.n &&
                       strncmp(c->key.kernel, r->c[i - 1].key.kernel, len) == 0 &&
                       (r->c[i - 1].key.kernel[len] == '@' || r->c[i - 1].key.kernel[len] == 0);
            if (!same)
                r->p[r->np++].first = i;
        }
        r->p[r->np - 1].count++;
    }
    return 0;
}

/* Reads DIR/samples.csv (and summary.csv, meta.json) into r. Returns 0 or
 * an exit status. */
static int load_replay(struct replay *r, const char *dir)
{
    char path[4200], err[256] = "";
    snprintf(path, sizeof(path), "%s/samples.csv", dir);
    osw_table tab;
    int rc = osw_csv_read(path, &tab, err);
    if (rc)
        return fail(rc == -ENOMEM ? OSW_EXIT_RESOURCE : OSW_EXIT_USAGE, "--replay: %s",
                    err[0] ? err : osw_strerror(rc));
    osw_sample *s = malloc((tab.nrows + 1) * sizeof(*s));
    if (!s) {
        osw_table_free(&tab);
        return fail(OSW_EXIT_RESOURCE, "out of memory");
    }
    int status = 0;
    for (size_t i = 0; i < tab.nrows && !status; i++)
        if (osw_sample_from_table(&tab, i, &s[i], err))
            status = fail(OSW_EXIT_USAGE, "--replay: %s", err);
    size_t ns = tab.nrows;
    osw_table_free(&tab);
    if (status) {
        free(s);
        return status;
    }
    qsort(s, ns, sizeof(*s), cmp_sample);
    r->c = calloc(ns + 1, sizeof(*r->c));
    double *all = malloc((ns + 1) * sizeof(*all));
    if (!r->c || !all) {
        free(s);
        free(all);
        return fail(OSW_EXIT_RESOURCE, "out of memory");
    }
    r->block = all;
    /* one block of samples, configurations pointing into it */
    for (size_t i = 0; i < ns; i++) {
        all[i] = s[i].seconds;
        if (i == 0 || key_cmp(&s[i], &s[i - 1]) != 0) {
            struct rcfg *c = &r->c[r->nc++];
            c->key = s[i];
            c->t = all + i;
        }
        r->c[r->nc - 1].nt++;
    }
    free(s);
    if ((status = drop_unverified(r, dir)))
        return status;
    size_t k = 0;
    for (size_t i = 0; i < r->nc; i++) /* keep configurations with samples */
        if (r->c[i].nt)
            r->c[k++] = r->c[i];
    if (k == 0)
        return fail(OSW_EXIT_USAGE, "--replay: %s has no verified configuration with samples",
                    path);
    r->nc = k;
    if ((status = group_problems(r)))
        return status;
    /* the bind rule needs the cores: meta.json's "cores" when there is one */
    snprintf(path, sizeof(path), "%s/meta.json", dir);
    char *text;
    size_t len;
    if (osw_read_file(path, &text, &len) == 0) {
        cJSON *doc = cJSON_Parse(text);
        const cJSON *cores = cJSON_GetObjectItemCaseSensitive(doc, "cores");
        if (cJSON_IsNumber(cores) && cores->valuedouble >= 1 && cores->valuedouble < 1e6)
            r->cores = (int)cores->valuedouble;
        cJSON_Delete(doc);
        free(text);
    }
    return 0;
}

/* ---- the oracle: recorded samples, seeded, and the log ---- */

/* A configuration's key cells, env included (RFC 4180: quoted when it holds
 * a comma or a quote, as summary.csv writes it). */
static int put_key(FILE *f, const osw_sample *k)
{
    int w = fprintf(f, "%s,%zu,%d,%s,%d,", k->kernel, k->n, k->threads, k->schedule, k->chunk);
    if (w >= 0 && !strpbrk(k->env, ",\""))
        return fprintf(f, "%s", k->env) < 0 ? -1 : 0;
    if (w < 0 || fputc('"', f) == EOF)
        return -1;
    for (const char *p = k->env; *p; p++)
        if ((*p == '"' && fputc('"', f) == EOF) || fputc(*p, f) == EOF)
            return -1;
    return fputc('"', f) == EOF ? -1 : 0;
}

static int log_sample(struct replay *r, const struct rcfg *c, int round, size_t rep, double v,
                      char *err)
{
    if (!r->log)
        return 0;
    if (fprintf(r->log, "%d,", round) < 0 || put_key(r->log, &c->key) ||
        fprintf(r->log, ",%zu,%.12f\n", rep, v) < 0 || fflush(r->log) != 0) {
        snprintf(err, OSW_ERRLEN, "writing %.200s: %s", r->log_path, strerror(errno));
        return -EIO;
    }
    return 0;
}

static int replay_sample(void *self, size_t i, size_t k, int round, double *out, char *err)
{
    struct oracle_self *o = self;
    struct rcfg *c = &o->r->c[o->first + i];
    for (size_t j = 0; j < k; j++) {
        size_t d = c->drawn++;
        if (d < c->nlogged) {
            out[j] = c->logged[d]; /* --resume: what the log holds */
            continue;
        }
        uint64_t x = osw_rng(o->seed ^ (0xD1B54A32D192ED03ull * (uint64_t)(i + 1)), d);
        out[j] = c->t[x % c->nt];
        int rc = log_sample(o->r, c, round, d + 1, out[j], err);
        if (rc)
            return rc;
    }
    return 0;
}

/* --resume: reads OUT/search.csv into the configurations' logged samples. */
static int load_log(struct replay *r, const char *path)
{
    osw_table tab;
    char err[256] = "";
    int rc = osw_csv_read(path, &tab, err);
    if (rc)
        return fail(rc == -ENOMEM ? OSW_EXIT_RESOURCE : OSW_EXIT_USAGE, "--resume: %s",
                    err[0] ? err : osw_strerror(rc));
    int status = 0;
    for (size_t i = 0; i < tab.nrows && !status; i++) {
        osw_sample s;
        if (osw_sample_from_table(&tab, i, &s, err)) {
            status = fail(OSW_EXIT_USAGE, "--resume: %s", err);
            break;
        }
        struct rcfg *c = find_cfg(r, &s);
        if (!c || (size_t)s.rep != c->nlogged + 1) {
            status = fail(OSW_EXIT_USAGE,
                          "--resume: %s:%zu: %s, not a sample of this search of the recorded grid",
                          path, tab.line[i], c ? "rep out of order" : "unknown configuration");
            break;
        }
        if (c->nlogged == c->capl) {
            size_t cap = c->capl ? 2 * c->capl : 16;
            double *g = realloc(c->logged, cap * sizeof(*g));
            if (!g) {
                status = fail(OSW_EXIT_RESOURCE, "out of memory");
                break;
            }
            c->logged = g;
            c->capl = cap;
        }
        c->logged[c->nlogged++] = s.seconds;
    }
    int partial = tab.dropped_partial;
    osw_table_free(&tab);
    if (status == 0 && partial) {
        /* cut the file back to its whole rows before appending */
        char *text;
        size_t len;
        if ((rc = osw_read_file(path, &text, &len)))
            return fail(OSW_EXIT_USAGE, "--resume: %s: %s", path, strerror(-rc));
        char *nl = memrchr(text, '\n', len);
        off_t keep = nl ? (off_t)(nl - text + 1) : 0;
        free(text);
        if (truncate(path, keep) != 0)
            return fail(OSW_EXIT_RESOURCE, "--resume: %s: %s", path, strerror(errno));
        fprintf(stderr, "ompsweep tune: --resume: %s: dropped a partial last line\n", path);
    }
    return status;
}

/* Opens OUT/search.csv: fresh (refusing one that exists), or for --resume
 * read and rewritten whole (a partial last line dropped), then appended. */
static int open_log(struct replay *r, const char *out, int resume, char *path, size_t len)
{
    if (mkdir(out, 0777) != 0 && errno != EEXIST)
        return fail(OSW_EXIT_RESOURCE, "--out %s: %s", out, strerror(errno));
    snprintf(path, len, "%s/search.csv", out);
    r->log_path = path;
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (exists && !resume)
        return fail(OSW_EXIT_USAGE, "%s exists: continue it with --resume, or give another --out",
                    path);
    if (resume && !exists)
        return fail(OSW_EXIT_USAGE, "--resume: %s: no search to continue", path);
    if (resume) {
        int status = load_log(r, path);
        if (status)
            return status;
    }
    /* --resume appends what the search draws past the logged samples */
    r->log = fopen(path, resume ? "a" : "w");
    if (!r->log)
        return fail(OSW_EXIT_RESOURCE, "%s: %s", path, strerror(errno));
    if (!resume &&
        (fprintf(r->log, "round,kernel,n,threads,schedule,chunk,env,rep,seconds\n") < 0 ||
         fflush(r->log) != 0))
        return fail(OSW_EXIT_RESOURCE, "%s: %s", path, strerror(errno));
    return 0;
}

/* ---- live: the engine measures what the search asks, in this process ---- */

/* The configurations of the plan of `ompsweep run RUN_ARGS` (exec: `ompsweep
 * exec EXEC_ARGS -- PROGRAM ...`), parsed by the sweep commands' own code,
 * none measured yet, and the sweep that will measure them (r->sweep, kept
 * until the end): the arguments plus `--reps CAP --out OUT/run --force
 * --quiet` (given last, before exec's `--`: they win). argv[0] is "--run"
 * or "--exec". Returns 0 or an exit status. */
static int load_live(struct replay *r, int argc, char **argv, const char *out, int cap)
{
    char err[OSW_ERRLEN] = "";
    char *reps = r->run_reps, *dir = r->run_out; /* argv of the sweep: they last */
    snprintf(reps, sizeof(r->run_reps), "%d", cap);
    snprintf(dir, sizeof(r->run_out), "%s/run", out);
    r->exec = strcmp(argv[0], "--exec") == 0;
    r->run_argv = calloc((size_t)argc + 8, sizeof(*r->run_argv));
    r->sweep = calloc(1, sizeof(*r->sweep));
    r->ext = calloc(1, sizeof(*r->ext));
    if (!r->run_argv || !r->sweep || !r->ext)
        return fail(OSW_EXIT_RESOURCE, "out of memory");
    int at = 0; /* exec's `--`, else the end */
    while (at < argc && (!r->exec || strcmp(argv[at], "--") != 0))
        at++;
    int n = 0;
    for (int i = 0; i < at; i++)
        r->run_argv[n++] = argv[i];
    const char *extra[] = {"--reps", reps, "--out", dir, "--force", "--quiet"};
    for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
        r->run_argv[n++] = (char *)extra[i];
    for (int i = at; i < argc; i++)
        r->run_argv[n++] = argv[i];
    r->run_argv[n] = NULL;
    osw_cli_sweep *s = r->sweep;
    int status = osw_cli_sweep_begin(s, r->exec ? OSW_CMD_EXEC : OSW_CMD_RUN,
                                     r->exec ? "ompsweep tune --exec" : "ompsweep tune --run", 1, n,
                                     r->run_argv, n, r->run_argv, 1);
    if (status >= 0) {
        free(r->sweep);
        r->sweep = NULL;
        return status == 0 ? OSW_EXIT_USAGE : status; /* --help is not a search */
    }
    r->sweep_begun = 1;
    if (r->exec) {
        status = osw_cli_exec_prepare(s, r->ext, r->label, sizeof(r->label), &r->meta_check, err);
        r->ext_ready = 1;
    } else {
        int usable = s->sys.cores < s->sys.procs ? s->sys.cores : s->sys.procs;
        status = osw_cli_sweep_lists(s, s->sys.cores, usable, err);
        if (status == 0)
            status = osw_cli_sweep_plan(s, NULL, err);
    }
    if (status == 0 && !r->exec && osw_plan_needs_process(&s->plan)) {
        snprintf(err, sizeof(err),
                 "a live search of the kernels measures in this process, and environment axes "
                 "(--bind, --places, --env, ...) need a process per configuration: set those "
                 "variables for the whole search, or search a program with --exec");
        status = OSW_EXIT_USAGE;
    }
    if (status == 0) {
        r->cores = s->sys.cores;
        r->c = calloc(s->plan.total + 1, sizeof(*r->c));
        if (!r->c) {
            snprintf(err, sizeof(err), "out of memory");
            status = OSW_EXIT_RESOURCE;
        }
    }
    for (size_t i = 0; status == 0 && i < s->plan.total; i++) {
        osw_config c;
        osw_plan_config(&s->plan, i, &c);
        struct rcfg *rc = &r->c[r->nc++];
        osw_sample *k = &rc->key;
        snprintf(k->kernel, sizeof(k->kernel), "%s", c.label);
        snprintf(k->schedule, sizeof(k->schedule), "%s", c.schedule->name);
        snprintf(k->env, sizeof(k->env), "%s", c.env_text);
        k->n = c.n;
        k->threads = c.threads;
        k->chunk = c.schedule->s.chunk;
        rc->plan_index = i;
        identity(rc);
    }
    if (status) {
        fprintf(stderr, "ompsweep tune: %s: %s\n", argv[0], err);
        return status;
    }
    qsort(r->c, r->nc, sizeof(*r->c), cmp_rcfg);
    r->live = 1;
    return group_problems(r);
}

static int live_sample(void *self, size_t i, size_t k, int round, double *out, char *err)
{
    struct oracle_self *o = self;
    struct rcfg *c = &o->r->c[o->first + i];
    size_t j = 0;
    for (; j < k && c->drawn < c->nlogged; j++)
        out[j] = c->logged[c->drawn++]; /* --resume: what the log holds */
    if (j == k)
        return 0;
    /* samples.csv counts rounds from 1, the search from 0 */
    int rc = osw_take_samples(o->r->take, c->plan_index, k - j, round + 1, out + j, err);
    if (rc) {
        /* a failed verification ends the search (exit 1, said by it); other
         * errors end the run directory too */
        if (rc != OSW_EFORMAT)
            o->r->take_rc = rc;
        if (rc == OSW_EINTR) {
            char why[OSW_ERRLEN];
            snprintf(why, sizeof(why), "%s", err);
            snprintf(err, OSW_ERRLEN,
                     "%.300s; the samples so far are in %.300s (continue with --resume)", why,
                     o->r->log_path ? o->r->log_path : "the log");
        }
        return rc;
    }
    for (; j < k; j++) {
        c->drawn++;
        if ((rc = log_sample(o->r, c, round, c->drawn, out[j], err)))
            return rc;
    }
    return 0;
}

/* ---- the answer ---- */

static void cfg_text(const struct rcfg *c, char *buf, size_t len)
{
    if (c->key.chunk)
        snprintf(buf, len, "threads=%d %s,%d%s%.120s", c->key.threads, c->key.schedule,
                 c->key.chunk, c->env[0] ? " " : "", c->env);
    else
        snprintf(buf, len, "threads=%d %s%s%.120s", c->key.threads, c->key.schedule,
                 c->env[0] ? " " : "", c->env);
}

struct answer {
    long budget;
    double budget_s, wall_s;
    double ratio, p_vs_best;
    size_t best, grid_samples;
};

static void print_table(const struct replay *r, const struct problem *p, const osw_search_opts *o,
                        const osw_search_result *res, const struct answer *a)
{
    const struct rcfg *c = r->c + p->first;
    char text[200], btext[200];
    printf("%s n=%zu: %s search of %zu configuration(s), seed %llu, budget ", c->key.kernel,
           c->key.n, osw_search_strategy_name(o->strategy), p->count, (unsigned long long)o->seed);
    if (o->budget_samples > 0)
        printf("%ld samples\n", o->budget_samples);
    else
        printf("%g s of samples\n", o->budget_s);
    if (res->winner < 0) {
        printf("  no configuration measured within the budget\n");
        return;
    }
    const struct rcfg *w = &c[res->winner];
    cfg_text(w, text, sizeof(text));
    printf("  winner:      %-36s median %.4g ms (%zu samples)\n", text,
           res->st[res->winner].median * 1e3, res->st[res->winner].count);
    for (size_t i = 0; i < p->count; i++)
        if (res->st[i].tied && (long)i != res->winner) {
            cfg_text(&c[i], text, sizeof(text));
            printf("  tied:        %-36s median %.4g ms (%zu samples)\n", text,
                   res->st[i].median * 1e3, res->st[i].count);
        }
    printf("  spent:       %ld samples, %.3f s of samples, %d round(s), stopped: %s; %.1f%% of "
           "the grid's %zu samples\n",
           res->spent, res->spent_s, res->rounds, res->stop,
           100.0 * (double)res->spent / (double)a->grid_samples, a->grid_samples);
    size_t why[OSW_WHY_STOPPED + 1] = {0};
    for (size_t i = 0; i < p->count; i++)
        why[res->st[i].why]++;
    printf("  never measured: %zu of %zu (%.1f%%)", res->never, p->count,
           100.0 * (double)res->never / (double)p->count);
    const char *sep = ": ";
    for (int k = 1; k <= OSW_WHY_STOPPED; k++)
        if (why[k]) {
            printf("%s%zu %s", sep, why[k], osw_search_why_name(k));
            sep = ", ";
        }
    printf("\n");
    if (r->live) {
        printf("  wall time:   %.1f s (a full grid at %d samples: %zu samples)\n", a->wall_s,
               o->cap, a->grid_samples);
        return;
    }
    cfg_text(&c[a->best], btext, sizeof(btext));
    printf("  the grid:    best %s median %.4g ms; the winner's recorded median is %.4f x "
           "that (Mann-Whitney p=%.3g)\n",
           btext, c[a->best].median * 1e3, a->ratio, a->p_vs_best);
}

static void print_csv_header(void)
{
    printf("kernel,n,strategy,seed,budget_samples,budget_s,configs,grid_samples,spent,spent_s,"
           "rounds,stop,never,ntied,winner_threads,winner_schedule,winner_chunk,winner_median_s,"
           "best_threads,best_schedule,best_chunk,best_median_s,ratio,p_vs_best\n");
}

static void print_csv(const struct replay *r, const struct problem *p, const osw_search_opts *o,
                      const osw_search_result *res, const struct answer *a)
{
    const struct rcfg *c = r->c + p->first, *b = &c[a->best];
    printf("%s,%zu,%s,%llu,%ld,%g,%zu,%zu,%ld,%.6f,%d,%s,%zu,%zu,", c->key.kernel, c->key.n,
           osw_search_strategy_name(o->strategy), (unsigned long long)o->seed, o->budget_samples,
           o->budget_s, p->count, a->grid_samples, res->spent, res->spent_s, res->rounds,
           strcmp(res->stop, "one left") == 0 ? "one_left" : res->stop, res->never, res->ntied);
    if (res->winner >= 0) {
        const struct rcfg *w = &c[res->winner];
        printf("%d,%s,%d,%.12f,", w->key.threads, w->key.schedule, w->key.chunk, w->median);
    } else
        printf(",,,,");
    if (r->live)
        printf(",,,,");
    else
        printf("%d,%s,%d,%.12f,", b->key.threads, b->key.schedule, b->key.chunk, b->median);
    if (res->winner >= 0 && !r->live)
        printf("%.6f,%.6g\n", a->ratio, a->p_vs_best);
    else
        printf(",\n");
}

/* ---- the command ---- */

static int usage(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int usage(char *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, OSW_ERRLEN, fmt, ap);
    va_end(ap);
    return OSW_EXIT_USAGE;
}

/* --budget: N samples, Ts seconds, P% of the recorded grid. */
static int parse_budget(const char *v, long *samples, double *seconds, double *pct)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (!*v || errno == ERANGE || !isfinite(x) || !(x > 0))
        return -1;
    *samples = 0;
    *seconds = *pct = 0;
    if (strcmp(end, "s") == 0)
        *seconds = x;
    else if (strcmp(end, "%") == 0 && x <= 100)
        *pct = x;
    else if (*end == 0 && x == floor(x) && x <= 1e12)
        *samples = (long)x;
    else
        return -1;
    return 0;
}

static void replay_free(struct replay *r)
{
    if (r->ext_ready)
        osw_external_free(r->ext);
    free(r->ext);
    cJSON_Delete(r->meta_check);
    if (r->sweep_begun)
        osw_cli_sweep_free(r->sweep);
    free(r->sweep);
    free(r->run_argv);
    for (size_t i = 0; r->c && i < r->nc; i++)
        free(r->c[i].logged);
    free(r->block);
    free(r->c);
    free(r->p);
    if (r->log)
        fclose(r->log);
}

/* OUT/configs.csv: every configuration of the search, its samples and
 * median, whether it survived (racing, halving) or is tied, and why it was
 * never measured. Rewritten by each run (the first problem starts it). */
static int write_configs(struct replay *r, size_t pi, const osw_search_result *res)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/configs.csv", r->out);
    FILE *f = fopen(path, pi == 0 ? "w" : "a");
    if (!f)
        return fail(OSW_EXIT_RESOURCE, "%s: %s", path, strerror(errno));
    if (pi == 0)
        fprintf(f, "kernel,n,threads,schedule,chunk,env,samples,median_s,joined_round,"
                   "eliminated_round,alive,tied,winner,why\n");
    const struct problem *p = &r->p[pi];
    for (size_t i = 0; i < p->count; i++) {
        const struct rcfg *c = &r->c[p->first + i];
        const osw_search_state *st = &res->st[i];
        put_key(f, &c->key);
        fprintf(f, ",%zu,", st->count);
        if (st->count)
            fprintf(f, "%.12f,", st->median);
        else
            fputc(',', f);
        fprintf(f, "%d,%d,%d,%d,%d,%s\n", st->joined_round, st->eliminated_round, st->alive,
                st->tied, (long)i == res->winner, osw_search_why_name(st->why));
    }
    if (fclose(f) != 0)
        return fail(OSW_EXIT_RESOURCE, "%s: %s", path, strerror(errno));
    return 0;
}

static int search_problem(struct replay *r, size_t pi, const osw_search_opts *base, double pct,
                          int csv)
{
    struct problem *p = &r->p[pi];
    struct rcfg *c = r->c + p->first;
    osw_search_config *sc = calloc(p->count, sizeof(*sc));
    if (!sc)
        return fail(OSW_EXIT_RESOURCE, "out of memory");
    struct answer a = {.best = 0};
    for (size_t i = 0; i < p->count; i++) {
        sc[i] = (osw_search_config){c[i].key.threads, c[i].kind, c[i].key.chunk, c[i].env};
        a.grid_samples += r->live ? (size_t)base->cap : c[i].nt;
        if (c[i].median < c[a.best].median)
            a.best = i;
    }
    osw_search_opts o = *base;
    o.cores = r->cores;
    if (pct > 0)
        o.budget_samples = (long)floor((double)a.grid_samples * pct / 100);
    if (o.budget_samples <= 0 && !(o.budget_s > 0))
        o.budget_samples = 1;
    struct oracle_self self = {r, p->first, osw_rng(base->seed, pi)};
    osw_oracle oracle = {&self, r->live ? live_sample : replay_sample};
    double wall = now_s();
    osw_search_result res;
    char err[OSW_ERRLEN] = "";
    int rc = osw_search_run(sc, p->count, &oracle, &o, &res, err);
    free(sc);
    a.wall_s = now_s() - wall;
    if (rc)
        return fail(rc == OSW_EUSAGE    ? OSW_EXIT_USAGE
                    : rc == OSW_EFORMAT ? OSW_EXIT_VERIFY
                                        : OSW_EXIT_RESOURCE,
                    "%s", err);
    if (res.winner >= 0 && r->live) {
        /* the winner's samples, as measured, stand for its median */
        c[res.winner].median = res.st[res.winner].median;
        a.best = (size_t)res.winner;
        a.ratio = a.p_vs_best = NAN;
    } else if (res.winner >= 0) {
        const struct rcfg *w = &c[res.winner], *b = &c[a.best];
        a.ratio = w->median / b->median;
        osw_mwu m;
        a.p_vs_best = (long)a.best == res.winner                        ? 1
                      : osw_mwu_test(w->t, w->nt, b->t, b->nt, &m) == 0 ? m.p
                                                                        : NAN;
    }
    if (csv)
        print_csv(r, p, &o, &res, &a);
    else
        print_table(r, p, &o, &res, &a);
    /* a --resume log longer than this search: tell, the answer stands */
    for (size_t i = 0; i < p->count; i++)
        if (c[i].nlogged > c[i].drawn) {
            fprintf(stderr,
                    "ompsweep tune: warning: --resume: the log holds more samples of %s than "
                    "this search drew (another budget or seed?)\n",
                    c[i].key.kernel);
            break;
        }
    int status = r->out ? write_configs(r, pi, &res) : 0;
    osw_search_result_free(&res);
    return status;
}

/* Every search: replays x problems. */
struct search_all {
    struct replay *r;
    osw_search_opts *o;
    int replays;
    double pct;
    int csv;
};

static int search_all(struct search_all *all)
{
    struct replay *r = all->r;
    osw_search_opts o = *all->o;
    int status = 0;
    for (int k = 0; k < all->replays && status == 0; k++) {
        o.seed = all->o->seed + (uint64_t)k;
        for (size_t i = 0; i < r->nc; i++)
            r->c[i].drawn = 0; /* each replay draws afresh */
        for (size_t i = 0; i < r->np && status == 0; i++)
            status = search_problem(r, i, &o, all->pct, all->csv);
    }
    return status;
}

/* The sampler of a live search (engine.h): the searches, their samples
 * taken through t. An engine error (a stop signal, a failed set-up) goes
 * back to the engine, which ends the run directory with it. */
static int drive(void *self, osw_take *t, char *err)
{
    struct search_all *all = self;
    all->r->take = t;
    all->r->status = search_all(all);
    all->r->take = NULL;
    if (all->r->take_rc) {
        snprintf(err, OSW_ERRLEN, "the search stopped");
        all->r->status = 0; /* the engine's status says it */
        return all->r->take_rc;
    }
    return 0;
}

int osw_tune_search(int argc, char **argv)
{
    osw_args a;
    char err[OSW_ERRLEN];
    int run_at = 0; /* --run RUN_OPTIONS... or --exec EXEC_OPTIONS -- PROGRAM: a live search */
    for (int i = 1; i < argc && !run_at && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--run") == 0 || strcmp(argv[i], "--exec") == 0)
            run_at = i;
    int status = osw_args_parse(OSW_CMD_TUNE, run_at ? run_at : argc, argv, &a, err, sizeof(err));
    if (status == OSW_ARGS_HELP) {
        osw_usage(OSW_CMD_TUNE, stdout);
        return OSW_EXIT_OK;
    }
    osw_search_opts o;
    osw_search_defaults(&o);
    long bs = 0;
    double bt = 0, pct = 0;
    if (status == 0 && osw_search_strategy_parse(a.search, &o.strategy))
        status = usage(err,
                       "--search '%.40s' must be racing, halving, random "
                       "or grid",
                       a.search);
    if (status == 0 && !a.budget)
        status = usage(err, "--search needs --budget N|Ts|P%%");
    if (status == 0 && parse_budget(a.budget, &bs, &bt, &pct))
        status = usage(err, "--budget '%.40s' must be N samples, Ts seconds or P%% (0 < P <= 100)",
                       a.budget);
    if (status == 0 && !a.replay == !run_at)
        status = usage(err, "--search needs --replay DIR (a recorded grid), or --run RUN_OPTIONS "
                            "or --exec EXEC_OPTIONS -- PROGRAM (a live search), one of them");
    if (status == 0 && run_at && !a.out)
        status =
            usage(err, "--search %s needs --out DIR (the search's log and runs)", argv[run_at]);
    if (status == 0 && run_at && pct > 0)
        status = usage(err, "--budget P%% needs --replay (a recorded grid's samples)");
    if (status == 0 && run_at && a.replays > 1)
        status = usage(err, "--replays goes with --replay");
    if (status == 0 && a.noperands)
        status = usage(err, "--search takes no DIR operand");
    if (status == 0 && a.resume && !a.out)
        status = usage(err, "--resume needs the --out directory of the search to continue");
    if (status == 0 && a.replays > 1 && a.out)
        status = usage(err, "--replays N > 1 does not go with --out (one log per search)");
    if (status == 0 && strcmp(a.format, "json") == 0)
        status = usage(err, "--search writes --format table or csv");
    if (status) {
        fprintf(stderr, "ompsweep tune: %s (see ompsweep tune --help)\n", err);
        return OSW_EXIT_USAGE;
    }
    o.budget_samples = bs;
    o.budget_s = bt;
    o.seed = a.seed_given ? a.seed : 1;
    o.alpha = a.alpha;
    o.max_loss = a.max_loss_given ? (isfinite(a.max_loss) ? a.max_loss / 100 : 1e9) : 0.05;
    struct replay r;
    memset(&r, 0, sizeof(r));
    char log_path[4200];
    status = run_at ? load_live(&r, argc - run_at, argv + run_at, a.out, osw_search_max_samples(&o))
                    : load_replay(&r, a.replay);
    r.out = a.out;
    if (status == 0 && a.out)
        status = open_log(&r, a.out, a.resume, log_path, sizeof(log_path));
    int csv = strcmp(a.format, "csv") == 0;
    if (status == 0 && csv)
        print_csv_header();
    struct search_all all = {&r, &o, a.replays, pct, csv};
    if (status == 0 && r.live) {
        /* the sweep of RUN_ARGS, its blocks picked by the search (drive) */
        osw_sampler sampler = {&all, drive};
        if (r.exec) {
            osw_cli_catch_signals(); /* the executor takes them over while it runs */
            r.ext_ready = 0;         /* the sweep frees it */
            status = osw_cli_exec_sweep(r.sweep, r.ext, r.label, &sampler, err);
        } else {
            status = osw_cli_run_sweep(r.sweep, &sampler, err);
        }
        if (r.status)
            status = r.status; /* the search's own failure, said already */
    } else if (status == 0) {
        status = search_all(&all);
    }
    fflush(stdout);
    replay_free(&r);
    return status;
}

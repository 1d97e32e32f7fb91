/* engine.c: the plan, rows by configuration, the one derive rule, and the
 * one loop over configurations (osw_sweep_run); see engine.h. */
#define _GNU_SOURCE
#include "engine.h"
#include "error.h"
#include "placement.h"
#include "rundir.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

volatile sig_atomic_t osw_stop_signal = 0;

/* ---- the plan ---- */

/* Thread values sort ascending, equal counts in the order given. */
struct thread_value {
    int threads;
    size_t at;
};

static int cmp_threads(const void *a, const void *b)
{
    const struct thread_value *x = a, *y = b;
    if (x->threads != y->threads)
        return (x->threads > y->threads) - (x->threads < y->threads);
    return (x->at > y->at) - (x->at < y->at);
}

int osw_plan_init(osw_plan *p, const osw_axis *axes, size_t naxes, const char *label)
{
    memset(p, 0, sizeof(*p));
    size_t threads_at = naxes, sched = 0;
    for (size_t i = 0; i < naxes; i++) {
        if (axes[i].count == 0)
            return OSW_EUSAGE;
        threads_at = axes[i].kind == OSW_AXIS_THREADS ? i : threads_at;
        sched += axes[i].kind == OSW_AXIS_SCHEDULE;
    }
    if (naxes > OSW_MAX_AXES || threads_at == naxes || sched != 1)
        return OSW_EUSAGE;
    /* Threads innermost and ascending: each series' 1-thread row first. */
    size_t k = 0;
    for (size_t i = 0; i < naxes; i++)
        if (i != threads_at)
            p->axes[k++] = axes[i];
    p->axes[k] = axes[threads_at];
    p->naxes = naxes;
    const osw_axis *ta = &axes[threads_at];
    struct thread_value *tv = malloc(ta->count * sizeof(*tv));
    p->threads = malloc(ta->count * sizeof(*p->threads));
    p->nest = ta->nest ? malloc(ta->count * sizeof(*p->nest)) : NULL;
    if (!tv || !p->threads || (ta->nest && !p->nest)) {
        free(tv);
        osw_plan_free(p);
        return -ENOMEM;
    }
    for (size_t i = 0; i < ta->count; i++)
        tv[i] = (struct thread_value){ta->threads[i], i};
    qsort(tv, ta->count, sizeof(*tv), cmp_threads);
    for (size_t i = 0; i < ta->count; i++) {
        p->threads[i] = tv[i].threads;
        if (p->nest)
            p->nest[i] = ta->nest[tv[i].at];
    }
    free(tv);
    p->axes[k].threads = p->threads;
    p->axes[k].nest = (const char *const *)p->nest;
    p->label = label;
    p->total = 1;
    for (size_t i = 0; i < naxes; i++)
        p->total *= p->axes[i].count;
    return 0;
}

int osw_plan_needs_process(const osw_plan *p)
{
    for (size_t a = 0; a < p->naxes; a++) {
        const osw_axis *ax = &p->axes[a];
        if (ax->kind == OSW_AXIS_ENV)
            return 1;
        for (size_t i = 0; ax->kind == OSW_AXIS_THREADS && ax->nest && i < ax->count; i++)
            if (ax->nest[i] && *ax->nest[i])
                return 1;
    }
    return 0;
}

cJSON *osw_plan_env_json(const osw_plan *p)
{
    if (!osw_plan_needs_process(p))
        return NULL;
    cJSON *o = cJSON_CreateObject();
    for (size_t a = 0; o && a < p->naxes; a++) {
        const osw_axis *ax = &p->axes[a];
        if (ax->kind == OSW_AXIS_THREADS && ax->nest) {
            cJSON *list = cJSON_AddArrayToObject(o, "OMP_NUM_THREADS");
            for (size_t i = 0; list && i < ax->count; i++) {
                char one[32];
                snprintf(one, sizeof(one), "%d", ax->threads[i]);
                cJSON_AddItemToArray(list, cJSON_CreateString(ax->nest[i] ? ax->nest[i] : one));
            }
        }
    }
    for (size_t a = 0; o && a < p->naxes; a++)
        if (p->axes[a].kind == OSW_AXIS_ENV)
            cJSON_AddItemToObject(o, p->axes[a].name,
                                  cJSON_CreateStringArray(p->axes[a].words, (int)p->axes[a].count));
    return o;
}

void osw_plan_free(osw_plan *p)
{
    free(p->threads);
    free(p->nest);
    memset(p, 0, sizeof(*p));
}

void osw_plan_config(const osw_plan *p, size_t i, osw_config *c)
{
    memset(c, 0, sizeof(*c));
    c->index = i;
    size_t idx[OSW_MAX_AXES], rest = i;
    for (size_t a = p->naxes; a-- > 0;) {
        idx[a] = rest % p->axes[a].count;
        rest /= p->axes[a].count;
    }
    int have_size = 0;
    for (size_t a = 0; a < p->naxes; a++) {
        const osw_axis *ax = &p->axes[a];
        switch (ax->kind) {
        case OSW_AXIS_KERNEL:
            c->kernel = ax->kernels[idx[a]];
            break;
        case OSW_AXIS_SIZE:
            c->n = ax->sizes[idx[a]];
            have_size = 1;
            break;
        case OSW_AXIS_ENV:
            break; /* after the nest's, below */
        case OSW_AXIS_SCHEDULE:
            c->schedule = &ax->schedules[idx[a]];
            break;
        case OSW_AXIS_THREADS:
            c->threads = ax->threads[idx[a]];
            if (ax->nest && ax->nest[idx[a]] && *ax->nest[idx[a]]) {
                const char *nest = ax->nest[idx[a]];
                size_t levels = 1;
                for (const char *q = nest; *q; q++)
                    levels += *q == ',';
                snprintf(c->nest, sizeof(c->nest), "%s", nest);
                snprintf(c->env[c->nenv++], sizeof(c->env[0]), OSW_NEST_LEVELS "=%zu", levels);
            }
            break;
        }
    }
    for (size_t a = 0; a < p->naxes; a++)
        if (p->axes[a].kind == OSW_AXIS_ENV)
            snprintf(c->env[c->nenv++], sizeof(c->env[0]), "%s=%s", p->axes[a].name,
                     p->axes[a].words[idx[a]]);
    size_t w = 0;
    if (c->nest[0])
        w = (size_t)snprintf(c->env_text, sizeof(c->env_text), OSW_NEST_PREFIX "%s", c->nest);
    for (size_t e = 0; e < c->nenv && w < sizeof(c->env_text); e++)
        w += (size_t)snprintf(c->env_text + w, sizeof(c->env_text) - w, "%s%s", w ? ";" : "",
                              c->env[e]);
    if (!have_size && c->kernel)
        c->n = c->kernel->default_n;
    snprintf(c->label, sizeof(c->label), "%s", c->kernel ? c->kernel->name : p->label);
}

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

/* ---- what executors observe ---- */

struct osw_observed {
    cJSON *cpus, *migrations; /* meta.json's cpus_used and thread_migrations */
    cJSON *placement;         /* meta.json's placement */
    const osw_sink *sink;
    osw_meta *meta;
    char warnings[OSW_MAX_WARNINGS][400];
    int nwarnings;
    /* the progress of the configuration being measured, for ticks */
    const osw_config *current;
    long done, total, measured, todo;
    double started, last_tick;
};

void osw_observed_tick(void *observed)
{
    osw_observed *o = observed;
    if (!o->current || !o->sink || !o->sink->start)
        return;
    double now = omp_get_wtime();
    if (now - o->last_tick < 0.5)
        return;
    o->last_tick = now;
    o->sink->start(o->sink->self, o->current, o->done, o->total, o->measured, o->todo,
                   now - o->started);
}

void osw_observed_cpus(osw_observed *o, int threads, const int *cpus, int ncpus)
{
    char key[32];
    snprintf(key, sizeof(key), "%d", threads);
    if (!o->cpus || cJSON_GetObjectItemCaseSensitive(o->cpus, key))
        return; /* one record per thread count */
    cJSON *list = cJSON_CreateArray();
    for (int t = 0; list && t < ncpus && t < 64; t++)
        cJSON_AddItemToArray(list, cJSON_CreateNumber(cpus[t]));
    if (list && ncpus > 64)
        cJSON_AddItemToArray(list, cJSON_CreateString("..."));
    if (list)
        cJSON_AddItemToObject(o->cpus, key, list);
}

void osw_observed_migrations(osw_observed *o, const osw_row *row, long runs)
{
    if (runs <= 0 || !o->migrations)
        return;
    char key[200];
    snprintf(key, sizeof(key), "%s,%zu,%d,%s,%d", row->kernel, row->n, row->threads, row->schedule,
             row->chunk);
    cJSON_DeleteItemFromObjectCaseSensitive(o->migrations, key);
    cJSON_AddItemToObject(o->migrations, key, cJSON_CreateNumber((double)runs));
}

/* meta.json's key of a configuration: "kernel,n,threads,schedule,chunk[,env]". */
static void config_key_text(const osw_config *c, char *key, size_t len)
{
    snprintf(key, len, "%s,%zu,%d,%s,%d%s%s", c->label, c->n, c->threads, c->schedule->name,
             c->schedule->s.chunk, c->env_text[0] ? "," : "", c->env_text);
}

void osw_observed_placement(osw_observed *o, const osw_config *c, const osw_placement *p,
                            const char *verdict, const char *why)
{
    if (!o->placement)
        return;
    char key[512];
    config_key_text(c, key, sizeof(key));
    cJSON *rec = cJSON_CreateObject(), *teams = cJSON_CreateArray(), *cpus = cJSON_CreateArray();
    for (int l = 0; l < OSW_PLACEMENT_LEVELS && p->team[l]; l++)
        cJSON_AddItemToArray(teams, cJSON_CreateNumber(p->team[l]));
    for (int t = 0; t < p->nthreads && t < 64; t++) {
        char text[256] = "";
        if (p->known[t])
            osw_cpuset_text(&p->cpus[t], text, sizeof(text));
        cJSON_AddItemToArray(cpus, cJSON_CreateString(text));
    }
    cJSON_AddItemToObject(rec, "teams", teams);
    cJSON_AddItemToObject(rec, "cpus", cpus);
    if (p->nplaces)
        cJSON_AddNumberToObject(rec, "places", p->nplaces);
    cJSON_AddStringToObject(rec, "verdict", verdict);
    if (why && *why)
        cJSON_AddStringToObject(rec, "why", why);
    cJSON_DeleteItemFromObjectCaseSensitive(o->placement, key);
    cJSON_AddItemToObject(o->placement, key, rec);
}

void osw_observed_warn(osw_observed *o, const char *text)
{
    if (o->sink && o->sink->note) {
        char line[460];
        snprintf(line, sizeof(line), "warning: %s", text);
        o->sink->note(o->sink->self, 1, line);
    }
    if (o->nwarnings < OSW_MAX_WARNINGS && o->meta->nwarnings < OSW_MAX_WARNINGS) {
        snprintf(o->warnings[o->nwarnings], sizeof(o->warnings[0]), "%s", text);
        o->meta->warnings[o->meta->nwarnings++] = o->warnings[o->nwarnings++];
    }
}

void osw_observed_merge(osw_observed *o, const cJSON *child)
{
    const cJSON *w, *item;
    cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(child, "warnings"))
    {
        if (!cJSON_IsString(w))
            continue;
        /* Each child warns afresh: one warning of a kind (its first 40
         * characters, before the configuration it names) is enough. */
        int seen = 0;
        for (int i = 0; i < o->nwarnings; i++)
            seen |= strncmp(o->warnings[i], w->valuestring, 40) == 0;
        if (!seen)
            osw_observed_warn(o, w->valuestring);
    }
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(child, "cpus"))
    {
        if (o->cpus && item->string && !cJSON_GetObjectItemCaseSensitive(o->cpus, item->string))
            cJSON_AddItemToObject(o->cpus, item->string, cJSON_Duplicate(item, 1));
    }
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(child, "placement"))
    {
        if (!o->placement || !item->string)
            continue;
        cJSON_DeleteItemFromObjectCaseSensitive(o->placement, item->string);
        cJSON_AddItemToObject(o->placement, item->string, cJSON_Duplicate(item, 1));
    }
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(child, "migrations"))
    {
        if (!o->migrations || !item->string || !cJSON_IsNumber(item))
            continue;
        cJSON_DeleteItemFromObjectCaseSensitive(o->migrations, item->string);
        cJSON_AddItemToObject(o->migrations, item->string, cJSON_CreateNumber(item->valuedouble));
    }
}

/* One whole configuration through ex: its measure, or its blocks' steps in
 * one go (open, every sample, close). */
static int measure_whole(const osw_executor *ex, const osw_config *c, osw_row *row, double *seconds,
                         osw_observed *obs, char *err)
{
    if (ex->measure)
        return ex->measure(ex->self, c, row, seconds, obs, err);
    void *state;
    int done, rc = ex->open(ex->self, c, &state, obs, err);
    if (rc)
        return rc;
    rc = ex->more(ex->self, c, state, ex->max_samples, seconds, &done, obs, err);
    if (rc < 0) {
        ex->abort(ex->self, state);
        return rc; /* incomplete (a stop signal): no row */
    }
    return ex->close(ex->self, c, state, row, seconds, obs, err);
}

int osw_measure_config(const osw_plan *plan, size_t index, const osw_executor *ex, osw_row *row,
                       double *seconds, cJSON **observed, char *err)
{
    osw_meta meta = {.ranks = 1};
    osw_observed o = {.cpus = cJSON_CreateObject(),
                      .migrations = cJSON_CreateObject(),
                      .placement = cJSON_CreateObject(),
                      .meta = &meta};
    osw_config c;
    osw_plan_config(plan, index, &c);
    memset(row, 0, sizeof(*row));
    int rc = measure_whole(ex, &c, row, seconds, &o, err);
    snprintf(row->kernel, sizeof(row->kernel), "%s", c.label);
    row->n = c.n;
    row->threads = c.threads;
    snprintf(row->schedule, sizeof(row->schedule), "%s", c.schedule->name);
    row->chunk = c.schedule->s.chunk;
    snprintf(row->env, sizeof(row->env), "%s", c.env_text);
    cJSON *j = cJSON_CreateObject();
    if (j) {
        cJSON_AddItemToObject(j, "warnings",
                              cJSON_CreateStringArray(meta.warnings, meta.nwarnings));
        cJSON_AddItemToObject(j, "cpus", o.cpus);
        cJSON_AddItemToObject(j, "migrations", o.migrations);
        cJSON_AddItemToObject(j, "placement", o.placement);
    } else {
        cJSON_Delete(o.cpus);
        cJSON_Delete(o.migrations);
        cJSON_Delete(o.placement);
    }
    *observed = j;
    return rc;
}

/* Writes meta.json with the observations so far (writer only). */
static int write_meta(const osw_sweep *s, osw_observed *obs)
{
    s->meta->cpus_used = obs->cpus;
    s->meta->thread_migrations = obs->migrations;
    s->meta->placement = obs->placement && obs->placement->child ? obs->placement : NULL;
    int rc = osw_meta_write(s->out_dir, s->meta);
    s->meta->cpus_used = s->meta->thread_migrations = s->meta->placement = NULL;
    return rc;
}

/* ---- the loop ---- */

/* State of one sweep, shared by the steps below. */
struct run {
    const osw_sweep *s;
    osw_rundir dir; /* the writer's files and rows (rows on every process) */
    osw_observed obs;
    size_t *order;
    double *seconds;
    cJSON *env_axes; /* meta.json's env_axes (owned) */
    long done, measured, todo, unverified;
    double started;
};

static int stop_requested(const struct run *r)
{
    const osw_executor *ex = r->s->ex;
    return ex->stop ? ex->stop(ex->self) : (int)osw_stop_signal;
}

static int agree(const struct run *r, int rc)
{
    const osw_executor *ex = r->s->ex;
    return ex->agree ? ex->agree(ex->self, rc) : rc;
}

/* Progress: configuration c is about to be measured (or its first block). */
static void starting(struct run *r, const osw_config *c)
{
    const osw_sweep *s = r->s;
    osw_observed *o = &r->obs;
    o->current = c;
    o->done = r->done;
    o->total = (long)s->plan->total;
    o->measured = r->measured;
    o->todo = r->todo;
    o->started = r->started;
    o->last_tick = omp_get_wtime();
    if (s->sink && s->sink->start)
        s->sink->start(s->sink->self, c, r->done, (long)s->plan->total, r->measured, r->todo,
                       o->last_tick - r->started);
}

/* Writes configuration c's measured row (its identity filled in here) and
 * samples (rounds: each one's round, NULL all round 1). Returns 0 or a
 * negative error with err set. */
static int write_row(struct run *r, const osw_config *c, osw_row *row, const double *seconds,
                     const int *rounds, char *err)
{
    const osw_sweep *s = r->s;
    const osw_sink *sink = s->sink;
    snprintf(row->kernel, sizeof(row->kernel), "%s", c->label);
    row->n = c->n;
    row->threads = c->threads;
    snprintf(row->schedule, sizeof(row->schedule), "%s", c->schedule->name);
    row->chunk = c->schedule->s.chunk;
    snprintf(row->env, sizeof(row->env), "%s", c->env_text);
    int rc = osw_rowset_add(&r->dir.rows, row);
    if (rc)
        return rc;
    /* Derived now where the baseline is in (always so in sequential order,
     * threads ascending); the final pass fills in the rest. */
    osw_row *kept = &r->dir.rows.rows[r->dir.rows.count - 1];
    osw_derive(kept, &r->dir.rows);
    *row = *kept;
    /* Samples that got slower as they were taken: once per row. */
    char drift[OSW_WARNLEN];
    if (osw_drift_warning(row, s->interleaved, drift, sizeof(drift)))
        osw_observed_warn(&r->obs, drift);
    if (s->writer)
        rc = osw_rundir_append(&r->dir, row, seconds, rounds, err);
    rc = agree(r, rc);
    if (rc)
        return rc;
    /* The row is in the files: it counts, whatever the sinks say next. */
    r->unverified += !row->verified;
    r->done++;
    r->measured++;
    s->meta->configs_done = r->done;
    if (s->writer && sink && sink->row)
        rc = sink->row(sink->self, c, row, seconds, err);
    return agree(r, rc);
}

/* Measures configuration c and writes its rows. Returns 0, OSW_EINTR or a
 * negative error with err set. */
static int measure_one(struct run *r, const osw_config *c, char *err)
{
    starting(r, c);
    osw_row row;
    memset(&row, 0, sizeof(row));
    int rc = measure_whole(r->s->ex, c, &row, r->seconds, &r->obs, err);
    r->obs.current = NULL;
    return rc ? rc : write_row(r, c, &row, r->seconds, NULL, err);
}

/* The one loop over configurations. */
static int loop(struct run *r, char *err)
{
    const osw_sweep *s = r->s;
    int rc = 0;
    for (size_t p = 0; p < s->plan->total && rc == 0; p++) {
        osw_config c;
        osw_plan_config(s->plan, r->order[p], &c);
        long f = osw_rowset_find(&r->dir.rows, c.label, c.n, c.threads, c.schedule->name,
                                 c.schedule->s.chunk, c.env_text);
        if (f >= 0 && (size_t)f < r->dir.nold)
            continue; /* measured by the run being resumed */
        if (stop_requested(r))
            return OSW_EINTR;
        rc = measure_one(r, &c, err);
    }
    return rc;
}

/* ---- interleaved: samples in rounds across configurations ---- */

/* One configuration of an interleaved group. */
struct slot {
    osw_config c;
    void *state; /* the executor's, NULL once closed or never opened */
    double *seconds;
    int *rounds;
    size_t count;
    size_t session; /* a search: the samples its open set-up took */
    int done;
};

/* At most this many configurations are open at once. */
#define OSW_MAX_OPEN 512

static void abort_group(struct run *r, struct slot *g, size_t m)
{
    const osw_executor *ex = r->s->ex;
    for (size_t j = 0; j < m; j++) {
        if (g[j].state)
            ex->abort(ex->self, g[j].state);
        g[j].state = NULL;
        free(g[j].seconds);
        free(g[j].rounds);
        g[j].seconds = NULL;
        g[j].rounds = NULL;
    }
}

/* Measures the group g[0..m): opens each, takes blocks of s->block samples
 * of every configuration not yet done, round after round (each round in a
 * seeded random order), then closes and writes each in the group's order.
 * A stop signal or an error drops the group's rows (none half written). */
static int run_group(struct run *r, struct slot *g, size_t m, size_t group, char *err)
{
    const osw_sweep *s = r->s;
    const osw_executor *ex = s->ex;
    size_t cap = ex->max_samples, block = s->block > 0 ? (size_t)s->block : 1;
    size_t *perm = malloc(m * sizeof(*perm));
    int rc = perm ? 0 : -ENOMEM;
    for (size_t j = 0; j < m && rc == 0; j++) {
        g[j].seconds = malloc((cap + 1) * sizeof(*g[j].seconds));
        g[j].rounds = malloc((cap + 1) * sizeof(*g[j].rounds));
        if (!g[j].seconds || !g[j].rounds) {
            rc = -ENOMEM;
            break;
        }
        starting(r, &g[j].c);
        rc = ex->open(ex->self, &g[j].c, &g[j].state, &r->obs, err);
        if (rc == 0 && stop_requested(r))
            rc = OSW_EINTR;
    }
    for (int round = 1, any = 1; rc == 0 && any; round++) {
        any = 0;
        for (size_t j = 0; j < m; j++)
            perm[j] = j;
        osw_shuffle(perm, m, osw_rng(s->seed, ((uint64_t)group << 32) + (uint64_t)round));
        for (size_t q = 0; q < m && rc == 0; q++) {
            struct slot *x = &g[perm[q]];
            if (x->done)
                continue;
            if (stop_requested(r)) {
                rc = OSW_EINTR;
                break;
            }
            r->obs.current = &x->c;
            int done = 0;
            int taken = ex->more(ex->self, &x->c, x->state, block, x->seconds, &done, &r->obs, err);
            if (taken < 0) {
                rc = taken;
                break;
            }
            for (int t = 0; t < taken; t++)
                x->rounds[x->count + (size_t)t] = round;
            x->count += (size_t)taken;
            x->done = done || taken == 0 || x->count >= cap;
            any = 1;
        }
    }
    r->obs.current = NULL;
    for (size_t j = 0; j < m && rc == 0; j++) {
        osw_row row;
        memset(&row, 0, sizeof(row));
        starting(r, &g[j].c);
        void *state = g[j].state;
        g[j].state = NULL;
        rc = ex->close(ex->self, &g[j].c, state, &row, g[j].seconds, &r->obs, err);
        r->obs.current = NULL;
        if (rc == 0)
            rc = write_row(r, &g[j].c, &row, g[j].seconds, g[j].rounds, err);
    }
    abort_group(r, g, m);
    free(perm);
    return rc;
}

/* --order interleaved: the configurations to measure, in the plan's (or
 * the shuffled) order, cut into groups whose arrays fit in memory together
 * (three quarters of the available memory, at most OSW_MAX_OPEN each); each
 * group is measured in rounds (run_group). */
static int interleave(struct run *r, char *err)
{
    const osw_sweep *s = r->s;
    struct slot *g = calloc(OSW_MAX_OPEN, sizeof(*g));
    if (!g)
        return -ENOMEM;
    double avail = osw_mem_available(), held = 0;
    double budget = avail > 0 ? 0.75 * avail : INFINITY;
    size_t m = 0, group = 0;
    int rc = 0;
    for (size_t p = 0; p <= s->plan->total && rc == 0; p++) {
        osw_config c;
        double bytes = 0;
        if (p < s->plan->total) {
            osw_plan_config(s->plan, r->order[p], &c);
            long f = osw_rowset_find(&r->dir.rows, c.label, c.n, c.threads, c.schedule->name,
                                     c.schedule->s.chunk, c.env_text);
            if (f >= 0 && (size_t)f < r->dir.nold)
                continue; /* measured by the run being resumed */
            bytes = c.kernel ? c.kernel->alloc_bytes_per_elem * (double)c.n : 0;
        }
        if (m > 0 && (p == s->plan->total || m == OSW_MAX_OPEN || held + bytes > budget)) {
            rc = run_group(r, g, m, group++, err);
            m = 0;
            held = 0;
        }
        if (p < s->plan->total && rc == 0) {
            memset(&g[m], 0, sizeof(g[m]));
            g[m++].c = c;
            held += bytes;
        }
    }
    free(g);
    return rc;
}

/* ---- a sampler's requests (a search) ---- */

struct osw_take {
    struct run *r;
    struct slot *slots; /* one per plan configuration */
    double **scratch;   /* per slot: the open session's own samples */
    int *verified;      /* per slot: every set-up so far verified */
    osw_row *last;      /* per slot: the row of its last closed set-up */
    long *used;         /* per slot: when last asked (LRU) */
    long clock;
    size_t nopen;
    double held, budget;
};

static double slot_bytes(const struct slot *x)
{
    return x->c.kernel ? x->c.kernel->alloc_bytes_per_elem * (double)x->c.n : 0;
}

/* Closes slot i's session: its row into t->last[i]. */
static int take_close(osw_take *t, size_t i, char *err)
{
    const osw_executor *ex = t->r->s->ex;
    struct slot *x = &t->slots[i];
    void *state = x->state;
    x->state = NULL;
    t->nopen--;
    t->held -= slot_bytes(x);
    memset(&t->last[i], 0, sizeof(t->last[i]));
    int rc = ex->close(ex->self, &x->c, state, &t->last[i], t->scratch[i], &t->r->obs, err);
    t->verified[i] = t->verified[i] && rc == 0 && t->last[i].verified;
    return rc;
}

int osw_take_samples(osw_take *t, size_t index, size_t k, int round, double *out, char *err)
{
    struct run *r = t->r;
    const osw_executor *ex = r->s->ex;
    size_t cap = ex->max_samples;
    if (index >= r->s->plan->total || t->slots[index].count + k > cap) {
        snprintf(err, OSW_ERRLEN, "configuration %zu: %zu more samples asked, %zu allowed", index,
                 k, index < r->s->plan->total ? cap - t->slots[index].count : 0);
        return OSW_EUSAGE;
    }
    struct slot *x = &t->slots[index];
    if (!x->seconds) {
        x->seconds = malloc((cap + 1) * sizeof(*x->seconds));
        x->rounds = malloc((cap + 1) * sizeof(*x->rounds));
        t->scratch[index] = malloc((cap + 1) * sizeof(double));
        if (!x->seconds || !x->rounds || !t->scratch[index])
            return -ENOMEM;
        osw_plan_config(r->s->plan, index, &x->c);
        t->verified[index] = 1;
    }
    t->used[index] = ++t->clock;
    int rc = 0;
    while (!x->state && t->nopen > 0 &&
           (t->nopen >= OSW_MAX_OPEN || t->held + slot_bytes(x) > t->budget)) {
        size_t lru = index;
        for (size_t i = 0; i < r->s->plan->total; i++)
            if (t->slots[i].state && (lru == index || t->used[i] < t->used[lru]))
                lru = i;
        if ((rc = take_close(t, lru, err)))
            return rc;
    }
    if (!x->state) {
        starting(r, &x->c);
        rc = ex->open(ex->self, &x->c, &x->state, &r->obs, err);
        if (rc)
            return rc;
        t->nopen++;
        t->held += slot_bytes(x);
        x->session = 0;
    }
    for (size_t taken = 0; taken < k;) {
        if (stop_requested(r)) {
            snprintf(err, OSW_ERRLEN, "stopped by a signal after %zu sample(s) of %s", x->count,
                     x->c.label);
            return OSW_EINTR;
        }
        r->obs.current = &x->c;
        int done = 0;
        int got =
            ex->more(ex->self, &x->c, x->state, k - taken, t->scratch[index], &done, &r->obs, err);
        r->obs.current = NULL;
        if (got < 0)
            return got;
        if (got == 0) {
            /* it stopped short (a failed run of a program, a stop): its row
             * says why; the search cannot go on with it */
            rc = take_close(t, index, err);
            if (rc == 0) {
                snprintf(err, OSW_ERRLEN,
                         "%s threads=%d %s%s%s stopped after %zu sample(s) (status %s): not "
                         "verified",
                         x->c.label, x->c.threads, x->c.schedule->name, x->c.env_text[0] ? " " : "",
                         x->c.env_text, x->count,
                         t->last[index].status[0] ? t->last[index].status : "failed");
                rc = OSW_EFORMAT;
            }
            return rc;
        }
        /* the set-up's samples start at scratch[0]: the new ones follow its earlier ones */
        for (int j = 0; j < got; j++) {
            double v = t->scratch[index][x->session + (size_t)j];
            x->seconds[x->count] = v;
            x->rounds[x->count++] = round;
            out[taken++] = v;
        }
        x->session += (size_t)got;
    }
    return 0;
}

/* After the sampler: every measured configuration's row, in plan order,
 * also after a stop signal (each over the whole samples it took). */
static int take_finish(osw_take *t, int rc, char *err)
{
    struct run *r = t->r;
    int stopped = rc == OSW_EINTR;
    if (stopped)
        rc = 0;
    for (size_t i = 0; i < r->s->plan->total && rc == 0; i++) {
        struct slot *x = &t->slots[i];
        if (x->state)
            rc = take_close(t, i, err);
        if (rc || !x->seconds)
            continue; /* never asked for */
        osw_row row = t->last[i];
        row.verified = t->verified[i];
        row.reps = (int)x->count;
        rc = osw_row_set_stats(&row, x->c.kernel, x->c.n, x->seconds, x->count);
        if (rc == 0)
            rc = write_row(r, &x->c, &row, x->seconds, x->rounds, err);
    }
    return rc == 0 && stopped ? OSW_EINTR : rc;
}

static int take_run(struct run *r, char *err)
{
    size_t n = r->s->plan->total;
    osw_take t = {.r = r,
                  .slots = calloc(n, sizeof(struct slot)),
                  .scratch = calloc(n, sizeof(double *)),
                  .verified = calloc(n, sizeof(int)),
                  .last = calloc(n, sizeof(osw_row)),
                  .used = calloc(n, sizeof(long))};
    double avail = osw_mem_available();
    t.budget = avail > 0 ? 0.75 * avail : INFINITY;
    int rc = t.slots && t.scratch && t.verified && t.last && t.used ? 0 : -ENOMEM;
    if (rc == 0)
        rc = r->s->sampler->drive(r->s->sampler->self, &t, err);
    rc = take_finish(&t, rc, err);
    for (size_t i = 0; t.slots && i < n; i++) {
        if (t.slots[i].state)
            r->s->ex->abort(r->s->ex->self, t.slots[i].state);
        free(t.slots[i].seconds);
        free(t.slots[i].rounds);
        if (t.scratch)
            free(t.scratch[i]);
    }
    free(t.slots);
    free(t.scratch);
    free(t.verified);
    free(t.last);
    free(t.used);
    return rc;
}

/* How many configurations of the plan the resumed rows hold already. */
static long count_resumed(const struct run *r)
{
    long resumed = 0;
    for (size_t i = 0; i < r->s->plan->total && r->dir.nold; i++) {
        osw_config c;
        osw_plan_config(r->s->plan, i, &c);
        long f = osw_rowset_find(&r->dir.rows, c.label, c.n, c.threads, c.schedule->name,
                                 c.schedule->s.chunk, c.env_text);
        resumed += f >= 0 && (size_t)f < r->dir.nold;
    }
    return resumed;
}

static void note(const osw_sweep *s, const char *line)
{
    if (s->sink && s->sink->note)
        s->sink->note(s->sink->self, 0, line);
}

/* Opens the run directory (writer), loads what --resume keeps, and writes
 * meta.json as running. Every process gets the same rows (MPI: none are
 * resumed). */
static int begin(struct run *r, char *err)
{
    const osw_sweep *s = r->s;
    int rc = 0;
    if (s->writer) {
        osw_rundir_opts o = {.dir = s->out_dir,
                             .force = s->force,
                             .resume = s->resume,
                             .config_key = s->config_key,
                             .extra_files = s->extra_files,
                             .note = s->sink ? s->sink->note : NULL,
                             .note_self = s->sink ? s->sink->self : NULL};
        rc = osw_rundir_open(&r->dir, &o, &r->obs.cpus, &r->obs.migrations, err);
    }
    rc = agree(r, rc);
    if (rc == 0 && s->ex->begin && s->writer)
        rc = s->ex->begin(s->ex->self, s->out_dir, err);
    rc = agree(r, rc);
    if (rc)
        return rc;
    if (!r->obs.cpus)
        r->obs.cpus = cJSON_CreateObject();
    if (!r->obs.migrations)
        r->obs.migrations = cJSON_CreateObject();
    r->obs.placement = cJSON_CreateObject();
    long resumed = count_resumed(r);
    r->done = resumed;
    r->todo = (long)s->plan->total - resumed;
    osw_meta *m = s->meta;
    m->configs_total = (long)s->plan->total;
    m->configs_done = resumed;
    m->configs_resumed = resumed;
    m->status = "running";
    m->order = s->interleaved ? "interleaved" : s->shuffled ? "shuffled" : "sequential";
    m->has_seed = s->shuffled || s->interleaved;
    m->block = s->interleaved ? s->block : 0;
    m->seed = s->seed;
    m->config_key = s->config_key;
    r->env_axes = osw_plan_env_json(s->plan);
    m->env_axes = r->env_axes;
    if (s->writer)
        rc = write_meta(s, &r->obs);
    if (rc)
        snprintf(err, OSW_ERRLEN, "writing meta.json in '%.160s': %s", s->out_dir, strerror(-rc));
    if (rc == 0 && s->resume && r->dir.nold) {
        char line[300];
        snprintf(line, sizeof(line),
                 "resume: %ld of %zu configurations already in %.160s; measuring %ld", resumed,
                 s->plan->total, s->out_dir, r->todo);
        note(s, line);
    }
    return agree(r, rc);
}

/* Closes the files, completes the derived columns of every row (final
 * pass) and writes meta.json's final status. */
static int finish(struct run *r, int rc, char *err)
{
    const osw_sweep *s = r->s;
    int sig = rc == OSW_EINTR ? stop_requested(r) : 0; /* collective: every process */
    if (s->writer) {
        rc = osw_rundir_close(&r->dir, rc, err);
        char finished[32], why[OSW_ERRLEN + 32];
        s->meta->finished = osw_now_iso(finished, sizeof(finished));
        s->meta->status = rc == 0 ? "complete" : rc == OSW_EINTR ? "interrupted" : "failed";
        if (rc == OSW_EINTR)
            snprintf(why, sizeof(why), "stopped by signal %d after a whole row", sig);
        else if (rc)
            snprintf(why, sizeof(why), "%s", err[0] ? err : osw_strerror(rc));
        s->meta->failure = rc ? why : NULL;
        if (r->dir.opened) {
            int mrc = write_meta(s, &r->obs);
            if (mrc && rc == 0) {
                rc = mrc;
                snprintf(err, OSW_ERRLEN, "writing meta.json in '%.160s': %s", s->out_dir,
                         strerror(-mrc));
            }
        }
        s->meta->finished = s->meta->failure = NULL;
    }
    return agree(r, rc);
}

int osw_sweep_run(const osw_sweep *s, long *unverified, int *signal_out, char *err)
{
    *unverified = 0;
    *signal_out = 0;
    struct run r;
    memset(&r, 0, sizeof(r));
    r.s = s;
    r.dir.summary = r.dir.samples = -1;
    r.obs.sink = s->sink;
    r.obs.meta = s->meta;
    int rc = 0;
    if ((s->interleaved || s->sampler) &&
        (!s->ex->open || !s->ex->more || !s->ex->close || !s->ex->abort)) {
        snprintf(err, OSW_ERRLEN,
                 "--order interleaved measures configurations in this process in blocks of "
                 "samples; this sweep's executor (a program, MPI ranks, or environment axes, "
                 "which need a process per configuration) measures whole configurations only: "
                 "use --order shuffled");
        return OSW_EUSAGE;
    }
    if (s->ex->env_axes == 0 && osw_plan_needs_process(s->plan)) {
        snprintf(err, OSW_ERRLEN,
                 "environment axes and nested teams need a process of their own per "
                 "configuration, which this executor does not start");
        return OSW_EUSAGE;
    }
    r.order = malloc((s->plan->total + 1) * sizeof(*r.order));
    r.seconds = malloc((s->ex->max_samples + 1) * sizeof(*r.seconds));
    rc = agree(&r, r.order && r.seconds ? 0 : -ENOMEM);
    if (rc == 0) {
        for (size_t i = 0; i < s->plan->total; i++)
            r.order[i] = i;
        if (s->shuffled)
            osw_shuffle(r.order, s->plan->total, s->seed);
        rc = begin(&r, err);
    }
    if (rc == 0) {
        r.started = omp_get_wtime();
        rc = s->sampler ? take_run(&r, err) : s->interleaved ? interleave(&r, err) : loop(&r, err);
    }
    rc = finish(&r, rc, err);
    if (rc == OSW_EINTR)
        *signal_out = stop_requested(&r);
    *unverified = r.unverified;
    cJSON_Delete(r.obs.cpus);
    cJSON_Delete(r.obs.migrations);
    cJSON_Delete(r.obs.placement);
    cJSON_Delete(r.env_axes);
    s->meta->env_axes = NULL;
    osw_rowset_free(&r.dir.rows);
    free(r.order);
    free(r.seconds);
    return rc;
}

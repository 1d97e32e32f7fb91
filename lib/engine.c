/* engine.c: the plan, rows by configuration, the one derive rule, and the
 * one loop over configurations (osw_sweep_run); see engine.h. */
#define _GNU_SOURCE
#include "engine.h"
#include "error.h"
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

static int cmp_int(const void *a, const void *b)
{
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
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
    p->threads = malloc(axes[threads_at].count * sizeof(*p->threads));
    if (!p->threads)
        return -ENOMEM;
    memcpy(p->threads, axes[threads_at].threads, axes[threads_at].count * sizeof(*p->threads));
    qsort(p->threads, axes[threads_at].count, sizeof(*p->threads), cmp_int);
    p->axes[k].threads = p->threads;
    p->label = label;
    p->total = 1;
    for (size_t i = 0; i < naxes; i++)
        p->total *= p->axes[i].count;
    return 0;
}

void osw_plan_free(osw_plan *p)
{
    free(p->threads);
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
    char tags[96] = "";
    size_t tl = 0;
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
            snprintf(c->env[c->nenv++], sizeof(c->env[0]), "%s=%s", ax->name, ax->words[idx[a]]);
            if (ax->tag_label && tl < sizeof(tags))
                tl += (size_t)snprintf(tags + tl, sizeof(tags) - tl, "@%.15s", ax->words[idx[a]]);
            break;
        case OSW_AXIS_SCHEDULE:
            c->schedule = &ax->schedules[idx[a]];
            break;
        case OSW_AXIS_THREADS:
            c->threads = ax->threads[idx[a]];
            break;
        }
    }
    if (!have_size && c->kernel)
        c->n = c->kernel->default_n;
    snprintf(c->label, sizeof(c->label), "%.47s%.16s", c->kernel ? c->kernel->name : p->label,
             tags);
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

/* Writes meta.json with the observations so far (writer only). */
static int write_meta(const osw_sweep *s, osw_observed *obs)
{
    s->meta->cpus_used = obs->cpus;
    s->meta->thread_migrations = obs->migrations;
    int rc = osw_meta_write(s->out_dir, s->meta);
    s->meta->cpus_used = s->meta->thread_migrations = NULL;
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

/* Measures configuration c and writes its rows. Returns 0, OSW_EINTR or a
 * negative error with err set. */
static int measure_one(struct run *r, const osw_config *c, char *err)
{
    const osw_sweep *s = r->s;
    const osw_sink *sink = s->sink;
    osw_observed *o = &r->obs;
    o->current = c;
    o->done = r->done;
    o->total = (long)s->plan->total;
    o->measured = r->measured;
    o->todo = r->todo;
    o->started = r->started;
    o->last_tick = omp_get_wtime();
    if (sink && sink->start)
        sink->start(sink->self, c, r->done, (long)s->plan->total, r->measured, r->todo,
                    o->last_tick - r->started);
    osw_row row;
    memset(&row, 0, sizeof(row));
    int rc = s->ex->measure(s->ex->self, c, &row, r->seconds, &r->obs, err);
    o->current = NULL;
    if (rc)
        return rc;
    snprintf(row.kernel, sizeof(row.kernel), "%s", c->label);
    row.n = c->n;
    row.threads = c->threads;
    snprintf(row.schedule, sizeof(row.schedule), "%s", c->schedule->name);
    row.chunk = c->schedule->s.chunk;
    rc = osw_rowset_add(&r->dir.rows, &row);
    if (rc)
        return rc;
    /* Derived now where the baseline is in (always so in sequential order,
     * threads ascending); the final pass fills in the rest. */
    osw_row *kept = &r->dir.rows.rows[r->dir.rows.count - 1];
    osw_derive(kept, &r->dir.rows);
    row = *kept;
    if (s->writer)
        rc = osw_rundir_append(&r->dir, &row, r->seconds, err);
    rc = agree(r, rc);
    if (rc)
        return rc;
    /* The row is in the files: it counts, whatever the sinks say next. */
    r->unverified += !row.verified;
    r->done++;
    r->measured++;
    s->meta->configs_done = r->done;
    if (s->writer && sink && sink->row)
        rc = sink->row(sink->self, c, &row, r->seconds, err);
    return agree(r, rc);
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
                                 c.schedule->s.chunk);
        if (f >= 0 && (size_t)f < r->dir.nold)
            continue; /* measured by the run being resumed */
        if (stop_requested(r))
            return OSW_EINTR;
        rc = measure_one(r, &c, err);
    }
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
                                 c.schedule->s.chunk);
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
    long resumed = count_resumed(r);
    r->done = resumed;
    r->todo = (long)s->plan->total - resumed;
    osw_meta *m = s->meta;
    m->configs_total = (long)s->plan->total;
    m->configs_done = resumed;
    m->configs_resumed = resumed;
    m->status = "running";
    m->order = s->shuffled ? "shuffled" : "sequential";
    m->has_seed = s->shuffled;
    m->seed = s->seed;
    m->config_key = s->config_key;
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
    if (s->plan->naxes && s->ex->env_axes == 0)
        for (size_t a = 0; a < s->plan->naxes; a++)
            if (s->plan->axes[a].kind == OSW_AXIS_ENV) {
                snprintf(err, OSW_ERRLEN,
                         "the %s axis needs a process of its own per configuration, which this "
                         "executor does not start",
                         s->plan->axes[a].name);
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
        rc = loop(&r, err);
    }
    rc = finish(&r, rc, err);
    if (rc == OSW_EINTR)
        *signal_out = stop_requested(&r);
    *unverified = r.unverified;
    cJSON_Delete(r.obs.cpus);
    cJSON_Delete(r.obs.migrations);
    osw_rowset_free(&r.dir.rows);
    free(r.order);
    free(r.seconds);
    return rc;
}

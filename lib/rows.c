/* rows.c: rows by configuration and the derive rule (see rows.h). */
#include "rows.h"
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rows in memory, found by configuration ---- */

static uint64_t key_hash(const char *kernel, size_t n, int threads, const char *schedule, int chunk,
                         const char *env)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = kernel; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    for (const char *p = schedule; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    for (const char *p = env; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h ^= (uint64_t)n * 0x9E3779B97F4A7C15ull;
    h ^= ((uint64_t)threads * 4294967311ull + (uint64_t)(unsigned)chunk) * 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 31);
}

long osw_rowset_find(const osw_rowset *s, const char *kernel, size_t n, int threads,
                     const char *schedule, int chunk, const char *env)
{
    if (!s->nslots)
        return -1;
    size_t mask = s->nslots - 1;
    for (size_t i = key_hash(kernel, n, threads, schedule, chunk, env) & mask; s->slots[i];
         i = (i + 1) & mask) {
        const osw_row *r = &s->rows[s->slots[i] - 1];
        if (r->n == n && r->threads == threads && r->chunk == chunk &&
            strcmp(r->kernel, kernel) == 0 && strcmp(r->schedule, schedule) == 0 &&
            strcmp(r->env, env) == 0)
            return (long)(s->slots[i] - 1);
    }
    return -1;
}

static void slot_put(size_t *slots, size_t nslots, const osw_row *r, size_t index)
{
    size_t mask = nslots - 1;
    size_t i = key_hash(r->kernel, r->n, r->threads, r->schedule, r->chunk, r->env) & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = index + 1;
}

int osw_rowset_add(osw_rowset *s, const osw_row *r)
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

void osw_rowset_free(osw_rowset *s)
{
    free(s->rows);
    free(s->slots);
    memset(s, 0, sizeof(*s));
}

/* ---- derive: the one rule ---- */

int osw_row_set_stats(osw_row *row, const osw_kernel *k, size_t n, const double *seconds,
                      size_t count)
{
    double *scratch = malloc((count ? count : 1) * sizeof(*scratch));
    osw_stats st;
    if (scratch) {
        if (count)
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
    double bytes = k ? k->bytes_per_elem * (double)n : 0;
    row->gbps_median = bytes > 0 ? bytes / st.median / 1e9 : NAN;
    row->gbps_best = bytes > 0 ? bytes / st.min / 1e9 : NAN;
    row->speedup = row->efficiency = row->speedup_lo = row->speedup_hi = NAN;
    row->overhead_ns = row->huge_page_share = row->energy_j = row->ceiling_ratio = NAN;
    row->drift_rho = osw_spearman_order(seconds, count);
    return scratch ? 0 : -ENOMEM;
}

int osw_drift_warning(const osw_row *row, int interleaved, char *buf, size_t len)
{
    if (!(row->drift_rho > OSW_DRIFT_RHO) || row->reps < OSW_DRIFT_MIN_REPS ||
        !(row->drift_rho * sqrt((double)row->reps - 1) > OSW_DRIFT_Z))
        return 0;
    if (buf && len) {
        char chunk[24] = "";
        if (row->chunk > 0)
            snprintf(chunk, sizeof(chunk), ",%d", row->chunk);
        snprintf(buf, len,
                 "the samples of %s n=%zu threads=%d %s%s%s%s got slower over the run (drift "
                 "rho=%.2f): a noisy neighbour? %s",
                 row->kernel, row->n, row->threads, row->schedule, chunk, row->env[0] ? " " : "",
                 row->env, row->drift_rho,
                 interleaved ? "the samples were interleaved, so the machine itself slowed: "
                               "repeat the run and compare sets of runs (ompsweep compare)"
                             : "try --order interleaved");
    }
    return 1;
}

/* The env of r's 1-thread baseline: r's without a nested team's settings
 * (OSW_NEST_PREFIX ... ';'), which a 1-thread run does not have. */
static const char *baseline_env(const char *env)
{
    if (strncmp(env, OSW_NEST_PREFIX, sizeof(OSW_NEST_PREFIX) - 1) != 0)
        return env;
    const char *levels = strstr(env, ";" OSW_NEST_LEVELS "=");
    if (!levels)
        return "";
    const char *end = strchr(levels + 1, ';');
    return end ? end + 1 : "";
}

long osw_baseline(const osw_rowset *rows, const osw_row *r, int overhead)
{
    long i = osw_rowset_find(rows, r->kernel, r->n, 1, overhead ? "static" : r->schedule,
                             overhead ? 0 : r->chunk, baseline_env(r->env));
    return i >= 0 && rows->rows[i].verified ? i : -1;
}

int osw_row_team(const osw_row *r)
{
    return r->threads_ran > 0 && r->threads_ran < r->threads ? r->threads_ran : r->threads;
}

/* The ceiling kernels (kernels/ceiling_*.c): hand-written loops for the
 * machine's read, write and triad bandwidth. */
static const char *const ceiling_kernels[] = {"ceiling_read1", "ceiling_read4", "ceiling_write",
                                              "ceiling_triad", "ceiling_triad_nt"};

double osw_ceiling_gbps(const osw_rowset *rows, const osw_row *r)
{
    double best = NAN;
    for (size_t i = 0; i < sizeof(ceiling_kernels) / sizeof(ceiling_kernels[0]); i++) {
        long c = osw_rowset_find(rows, ceiling_kernels[i], r->n, r->threads, r->schedule, r->chunk,
                                 r->env);
        if (c < 0 || !rows->rows[c].verified || !isfinite(rows->rows[c].gbps_median))
            continue;
        if (!(best >= rows->rows[c].gbps_median))
            best = rows->rows[c].gbps_median;
    }
    return best;
}

void osw_derive(osw_row *r, const osw_rowset *rows)
{
    r->speedup = r->efficiency = r->speedup_lo = r->speedup_hi = r->overhead_ns = NAN;
    r->ceiling_ratio = NAN;
    if (!r->verified || r->threads < 1)
        return;
    if (strcmp(r->bound, "memory") == 0 && isfinite(r->gbps_median)) {
        double ceiling = osw_ceiling_gbps(rows, r);
        if (ceiling > 0)
            r->ceiling_ratio = r->gbps_median / ceiling;
    }
    /* p: the team that ran, not the one asked for (a thread limit, dynamic
     * teams or no active level give fewer threads than r->threads). */
    int p = osw_row_team(r);
    long b = osw_baseline(rows, r, 0);
    if (b >= 0) {
        double base = rows->rows[b].median_s;
        r->speedup = base / r->median_s;
        r->efficiency = r->speedup / p;
        r->speedup_lo = base / r->ci_hi_s;
        r->speedup_hi = base / r->ci_lo_s;
    }
    /* A construct kernel (EPCC's syncbench, taskbench, arraybench) reports
     * its own overhead per construct in result: the loop formula would
     * mean nothing there. */
    const osw_kernel *k = osw_kernel_find(r->kernel);
    long st = k && k->family ? -1 : osw_baseline(rows, r, 1);
    if (st >= 0 && r->n > 0) {
        int ranks = r->ranks > 0 ? r->ranks : 1;
        r->overhead_ns =
            (r->median_s - rows->rows[st].median_s / p) * p * ranks / (double)r->n * 1e9;
    }
}

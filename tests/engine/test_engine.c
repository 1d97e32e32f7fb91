/* test_engine: the one loop and the one derive rule (lib/engine.h).
 *
 * The same fake samples go through the engine three times, with executors
 * shaped as the three real ones: in-process (a KERNEL axis, local stop and
 * status), MPI (collective stop and agree hooks, ranks in every row) and
 * external (no KERNEL axis, a program label, env_axes). Every run must
 * write the same derived columns (speedup, efficiency, their CI,
 * overhead_ns), equal to the rule computed here from the samples:
 *   - the speedup baseline is the VERIFIED 1-thread row of the same
 *     configuration: dynamic:4's 1-thread row fails verification, so every
 *     dynamic:4 row has empty speedup cells (never a number from it);
 *   - overhead_ns's baseline is plain `static` with the default chunk, even
 *     when monotonic:static comes first in the schedule list;
 *   - an unverified row has no derived values.
 * A shuffled order must give the same file (the final pass). MPI rows with
 * ranks = 2 scale overhead_ns by the ranks (each rank holds n / 2 units).
 * A run whose samples rise gets the drift warning once per such row.
 * Usage: test_engine WORK_DIR */
#define _GNU_SOURCE
#include "csv.h"
#include "engine.h"
#include "error.h"
#include "kernel.h"
#include "meta.h"
#include "sysinfo.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

#define N    1000
#define REPS 5
/* speedup and efficiency are written with 6 significant digits */
#define TOL 1e-5

/* The fake times: base(schedule) / threads^0.9, times 1 + k/100 for sample k. */
static double base_time(const char *schedule, int chunk)
{
    if (strcmp(schedule, "monotonic:static") == 0)
        return 3e-3; /* a different T1 than static's: must not be overhead's baseline */
    if (strcmp(schedule, "static") == 0)
        return 2e-3;
    return chunk == 4 ? 2.5e-3 : 2.2e-3;
}

static double sample(const char *schedule, int chunk, int threads, int k)
{
    return base_time(schedule, chunk) / pow(threads, 0.9) * (1 + k / 100.0);
}

static int unverified(const char *schedule, int chunk, int threads)
{
    return threads == 1 && strcmp(schedule, "dynamic") == 0 && chunk == 4;
}

typedef struct fake {
    int ranks;
    int stops, agrees; /* calls of the collective hooks */
} fake;

static int fake_measure(void *self, const osw_config *c, osw_row *row, double *seconds,
                        osw_observed *obs, char *err)
{
    fake *f = self;
    (void)obs;
    (void)err;
    for (int k = 0; k < REPS; k++)
        seconds[k] = sample(c->schedule->name, c->schedule->s.chunk, c->threads, k);
    osw_row_set_stats(row, NULL, 0, seconds, REPS);
    row->reps = REPS;
    row->inner = 1;
    row->ranks = f->ranks;
    row->verified = !unverified(c->schedule->name, c->schedule->s.chunk, c->threads);
    row->rel_err = row->imbalance = row->cpu_per_wall = row->result = NAN;
    snprintf(row->bound, sizeof(row->bound), "cpu");
    return 0;
}

static int fake_stop(void *self)
{
    ((fake *)self)->stops++;
    return 0;
}

static int fake_agree(void *self, int rc)
{
    ((fake *)self)->agrees++;
    return rc;
}

/* The same fake measured in blocks (--order interleaved, a sampler): the
 * state counts the configuration's samples; trace records which
 * configuration each block served, so the order can be checked. */
struct fake_state {
    osw_config c;
    int count, open;
};
static size_t trace[1024], ntrace;
static int opened_now, opened_most;

static int fake_open(void *self, const osw_config *c, void **state, osw_observed *obs, char *err)
{
    (void)self;
    (void)obs;
    (void)err;
    struct fake_state *x = calloc(1, sizeof(*x));
    if (!x)
        return -ENOMEM;
    x->c = *c;
    *state = x;
    opened_now++;
    opened_most = opened_now > opened_most ? opened_now : opened_most;
    return 0;
}

static int fake_more(void *self, const osw_config *c, void *state, size_t k, double *seconds,
                     int *done, osw_observed *obs, char *err)
{
    (void)self;
    (void)obs;
    (void)err;
    struct fake_state *x = state;
    int taken = 0;
    for (; (size_t)taken < k && x->count < REPS; taken++, x->count++)
        seconds[x->count] = sample(c->schedule->name, c->schedule->s.chunk, c->threads, x->count);
    *done = x->count >= REPS;
    if (ntrace < 1024)
        trace[ntrace++] = c->index;
    return taken;
}

static int fake_close(void *self, const osw_config *c, void *state, osw_row *row,
                      const double *seconds, osw_observed *obs, char *err)
{
    (void)seconds;
    struct fake_state *x = state;
    double all[REPS];
    int rc = fake_measure(self, c, row, all, obs, err); /* the same row as a whole */
    row->reps = x->count;
    opened_now--;
    free(x);
    return rc;
}

static void fake_abort(void *self, void *state)
{
    (void)self;
    opened_now--;
    free(state);
}

/* A sampler (a search's shape): configuration 0 in two requests over
 * rounds 1 and 2, configuration 5 once; past max_samples is refused. */
static int test_drive(void *self, osw_take *t, char *err)
{
    (void)self;
    double out[REPS];
    int rc = osw_take_samples(t, 0, 2, 1, out, err);
    if (rc == 0)
        rc = osw_take_samples(t, 5, 3, 1, out, err);
    if (rc == 0)
        rc = osw_take_samples(t, 0, 3, 2, out, err);
    if (rc == 0)
        CHECK(out[2] == sample("monotonic:static", 0, 1, 4)); /* its 5th sample */
    if (rc == 0)
        CHECK(osw_take_samples(t, 0, 1, 3, out, err) == OSW_EUSAGE);
    return rc;
}

static osw_sched_item items[4];
static const int threads[] = {4, 1, 2}; /* the plan sorts them */
static const size_t sizes[] = {N};

/* Runs the plan through the engine into dir. shape: 0 in-process, 1 MPI,
 * 2 external, 3 in-process interleaved. */
static int sweep(const char *dir, int shape, int ranks, int shuffled, fake *f)
{
    const osw_kernel *k = osw_kernel_find("empty");
    osw_axis axes[4];
    size_t n = 0;
    if (shape != 2)
        axes[n++] =
            (osw_axis){.kind = OSW_AXIS_KERNEL, .name = "kernel", .count = 1, .kernels = &k};
    axes[n++] = (osw_axis){.kind = OSW_AXIS_SIZE, .name = "n", .count = 1, .sizes = sizes};
    axes[n++] =
        (osw_axis){.kind = OSW_AXIS_THREADS, .name = "threads", .count = 3, .threads = threads};
    axes[n++] =
        (osw_axis){.kind = OSW_AXIS_SCHEDULE, .name = "schedule", .count = 4, .schedules = items};
    osw_plan plan;
    if (osw_plan_init(&plan, axes, n, "empty") != 0)
        return -1;
    *f = (fake){.ranks = ranks};
    osw_executor ex = {.self = f, .max_samples = REPS, .measure = fake_measure};
    if (shape == 1) {
        ex.stop = fake_stop;
        ex.agree = fake_agree;
    }
    ex.env_axes = shape == 2;
    if (shape >= 3) { /* in blocks: interleaved, 2 samples a round, or a sampler */
        ex.open = fake_open;
        ex.more = fake_more;
        ex.close = fake_close;
        ex.abort = fake_abort;
    }
    osw_sysinfo sys;
    memset(&sys, 0, sizeof(sys));
    osw_meta meta = {.sys = &sys, .ranks = ranks, .reps = REPS};
    osw_sampler sampler = {NULL, test_drive};
    osw_sweep s = {.plan = &plan,
                   .ex = &ex,
                   .writer = 1,
                   .out_dir = dir,
                   .force = 1,
                   .shuffled = shuffled,
                   .interleaved = shape == 3,
                   .sampler = shape == 4 ? &sampler : NULL,
                   .block = 2,
                   .seed = 7,
                   .meta = &meta};
    long unv = 0;
    int sig = 0;
    char err[OSW_ERRLEN] = "";
    int rc = osw_sweep_run(&s, &unv, &sig, err);
    if (rc)
        fprintf(stderr, "osw_sweep_run: %d %s\n", rc, err);
    CHECK(unv == (shape == 4 ? 0 : 1)); /* dynamic:4 at 1 thread */
    osw_plan_free(&plan);
    return rc;
}

static double median_of(const char *schedule, int chunk, int t)
{
    double v[REPS];
    for (int k = 0; k < REPS; k++)
        v[k] = sample(schedule, chunk, t, k);
    return v[REPS / 2]; /* increasing in k */
}

static int near(double a, double b)
{
    return fabs(a - b) <= TOL * fabs(b);
}

/* Checks dir's summary.csv against the rule; returns its rows in *out. */
static void check_rule(const char *dir, int ranks, osw_table *t)
{
    char path[4200], err[256];
    snprintf(path, sizeof(path), "%s/summary.csv", dir);
    CHECK(osw_csv_read(path, t, err) == 0);
    CHECK(t->nrows == 12);
    double st1 = median_of("static", 0, 1);
    for (size_t i = 0; i < t->nrows; i++) {
        osw_row r;
        CHECK(osw_row_from_table(t, i, &r, err) == 0);
        int dyn4 = strcmp(r.schedule, "dynamic") == 0 && r.chunk == 4;
        if (!r.verified || dyn4) {
            /* unverified itself, or its baseline is: empty speedup cells */
            CHECK(isnan(r.speedup) && isnan(r.efficiency) && isnan(r.speedup_lo) &&
                  isnan(r.speedup_hi));
            if (!r.verified)
                CHECK(isnan(r.overhead_ns));
        } else {
            double b = median_of(r.schedule, r.chunk, 1);
            CHECK(near(r.speedup, b / r.median_s));
            CHECK(near(r.efficiency, b / r.median_s / r.threads));
            CHECK(near(r.speedup_lo, b / r.ci_hi_s) && near(r.speedup_hi, b / r.ci_lo_s));
        }
        if (r.verified) {
            /* written with 3 decimals (ns): compare within that */
            double want = (r.median_s - st1 / r.threads) * r.threads * ranks / N * 1e9;
            CHECK(fabs(r.overhead_ns - want) <= 6e-4);
        }
    }
}

/* The derived cells of two runs, compared as text, row by row by key. */
static void check_same(const osw_table *a, const osw_table *b)
{
    static const char *const derived[] = {"speedup", "efficiency", "speedup_lo", "speedup_hi",
                                          "overhead_ns"};
    static const char *const key[] = {"n", "threads", "schedule", "chunk"};
    CHECK(a->nrows == b->nrows);
    for (size_t i = 0; i < a->nrows; i++) {
        size_t j = 0;
        for (; j < b->nrows; j++) {
            int same = 1;
            for (size_t k = 0; k < 4; k++)
                same &= strcmp(a->rows[i][osw_table_col(a, key[k])],
                               b->rows[j][osw_table_col(b, key[k])]) == 0;
            if (same)
                break;
        }
        CHECK(j < b->nrows);
        for (size_t d = 0; j < b->nrows && d < 5; d++)
            CHECK(strcmp(a->rows[i][osw_table_col(a, derived[d])],
                         b->rows[j][osw_table_col(b, derived[d])]) == 0);
    }
}

/* Drift (osw_drift_warning, raised by the engine once per row): 12 samples
 * rising at 1 thread (rho 1: one warning naming that configuration), 12
 * alternating at 2 threads (rho about 0.15: none). */
#define DRIFT_REPS 12

static int drift_measure(void *self, const osw_config *c, osw_row *row, double *seconds,
                         osw_observed *obs, char *err)
{
    (void)self;
    (void)obs;
    (void)err;
    for (int k = 0; k < DRIFT_REPS; k++)
        seconds[k] = 1e-3 * (1 + (c->threads == 1 ? k : k % 2) / 100.0);
    osw_row_set_stats(row, NULL, 0, seconds, DRIFT_REPS);
    row->reps = DRIFT_REPS;
    row->inner = 1;
    row->ranks = 1;
    row->verified = 1;
    row->rel_err = row->imbalance = row->cpu_per_wall = row->result = NAN;
    snprintf(row->bound, sizeof(row->bound), "cpu");
    return 0;
}

static void check_drift(const char *dir)
{
    const osw_kernel *k = osw_kernel_find("empty");
    static const int two[] = {2, 1};
    osw_axis axes[] = {
        {.kind = OSW_AXIS_KERNEL, .name = "kernel", .count = 1, .kernels = &k},
        {.kind = OSW_AXIS_SIZE, .name = "n", .count = 1, .sizes = sizes},
        {.kind = OSW_AXIS_THREADS, .name = "threads", .count = 2, .threads = two},
        {.kind = OSW_AXIS_SCHEDULE, .name = "schedule", .count = 1, .schedules = &items[1]}};
    osw_plan plan;
    CHECK(osw_plan_init(&plan, axes, 4, "empty") == 0);
    osw_executor ex = {.max_samples = DRIFT_REPS, .measure = drift_measure};
    osw_sysinfo sys;
    memset(&sys, 0, sizeof(sys));
    osw_meta meta = {.sys = &sys, .ranks = 1, .reps = DRIFT_REPS};
    osw_sweep s = {
        .plan = &plan, .ex = &ex, .writer = 1, .out_dir = dir, .force = 1, .meta = &meta};
    long unv = 0;
    int sig = 0;
    char err[OSW_ERRLEN] = "", path[4300], terr[256];
    CHECK(osw_sweep_run(&s, &unv, &sig, err) == 0);
    osw_plan_free(&plan);
    /* summary.csv: drift_rho 1 at 1 thread, below 0.5 at 2. */
    osw_table t;
    snprintf(path, sizeof(path), "%s/summary.csv", dir);
    CHECK(osw_csv_read(path, &t, terr) == 0 && t.nrows == 2);
    for (size_t i = 0; i < t.nrows && i < 2; i++) {
        osw_row r;
        CHECK(osw_row_from_table(&t, i, &r, terr) == 0);
        CHECK(r.threads == 1 ? r.drift_rho == 1 : r.drift_rho > 0 && r.drift_rho < 0.5);
    }
    osw_table_free(&t);
    /* meta.json: one drift warning, naming the 1-thread configuration. */
    char *text = NULL;
    size_t len = 0;
    snprintf(path, sizeof(path), "%s/meta.json", dir);
    CHECK(osw_read_file(path, &text, &len) == 0);
    int warned = 0;
    for (const char *p = text; p && (p = strstr(p, "got slower")) != NULL; p++)
        warned++;
    CHECK(warned == 1);
    CHECK(text && strstr(text, "the samples of empty n=1000 threads=1 static got slower over the "
                               "run (drift rho=1.00): a noisy neighbour? try --order interleaved"));
    free(text);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_engine WORK_DIR\n");
        return 2;
    }
    /* monotonic:static first, as a user may list it. */
    const char *names[] = {"monotonic:static", "static", "dynamic", "guided"};
    osw_schedule s[] = {{.kind = omp_sched_static, .modifier = 1, .chunk = 0},
                        {.kind = omp_sched_static, .modifier = 0, .chunk = 0},
                        {.kind = omp_sched_dynamic, .modifier = 0, .chunk = 4},
                        {.kind = omp_sched_guided, .modifier = 0, .chunk = 0}};
    for (int i = 0; i < 4; i++) {
        items[i] = (osw_sched_item){.s = s[i], .set = 1};
        snprintf(items[i].name, sizeof(items[i].name), "%s", names[i]);
    }
    const char *shapes[] = {"inproc", "mpi", "external"};
    osw_table t[3], sh, r2;
    fake f;
    char dir[4200];
    for (int i = 0; i < 3; i++) {
        snprintf(dir, sizeof(dir), "%s/%s", argv[1], shapes[i]);
        CHECK(sweep(dir, i, 1, 0, &f) == 0);
        if (i == 1)
            CHECK(f.stops == 12 && f.agrees > 12); /* every configuration, collectively */
        check_rule(dir, 1, &t[i]);
    }
    check_same(&t[0], &t[1]);
    check_same(&t[0], &t[2]);
    snprintf(dir, sizeof(dir), "%s/shuffled", argv[1]);
    CHECK(sweep(dir, 0, 1, 1, &f) == 0);
    check_rule(dir, 1, &sh);
    check_same(&t[0], &sh);
    /* Interleaved: the same rows; every configuration one block of 2 per
     * round (rounds 1, 1, 2, 2, 3 in samples.csv), all open at once. */
    osw_table il, smp;
    snprintf(dir, sizeof(dir), "%s/interleaved", argv[1]);
    ntrace = 0;
    CHECK(sweep(dir, 3, 1, 0, &f) == 0);
    check_rule(dir, 1, &il);
    check_same(&t[0], &il);
    CHECK(ntrace == 36 && opened_most == 12 && opened_now == 0);
    for (size_t round = 0; round < 3; round++) {
        int seen[12] = {0};
        for (size_t j = 0; j < 12; j++)
            seen[trace[round * 12 + j]]++;
        for (size_t j = 0; j < 12; j++)
            CHECK(seen[j] == 1);
    }
    CHECK(memcmp(trace, trace + 12, 12 * sizeof(*trace)) != 0); /* each round reshuffled */
    char path[4300], terr[256];
    snprintf(path, sizeof(path), "%s/samples.csv", dir);
    CHECK(osw_csv_read(path, &smp, terr) == 0 && smp.nrows == 12 * REPS);
    for (size_t i = 0; i < smp.nrows; i++) {
        osw_sample x;
        CHECK(osw_sample_from_table(&smp, i, &x, terr) == 0);
        CHECK(x.round == (x.rep + 1) / 2);
    }
    osw_table_free(&smp);
    osw_table_free(&il);
    /* A sampler: rows for the configurations it asked for only, their
     * samples in the rounds given. */
    snprintf(dir, sizeof(dir), "%s/sampler", argv[1]);
    CHECK(sweep(dir, 4, 1, 0, &f) == 0);
    CHECK(opened_now == 0);
    snprintf(path, sizeof(path), "%s/samples.csv", dir);
    CHECK(osw_csv_read(path, &smp, terr) == 0 && smp.nrows == 8);
    int want[] = {1, 1, 2, 2, 2, 1, 1, 1};
    for (size_t i = 0; i < smp.nrows && i < 8; i++) {
        osw_sample x;
        CHECK(osw_sample_from_table(&smp, i, &x, terr) == 0);
        CHECK(x.round == want[i] && x.rep == (int)(i < 5 ? i + 1 : i - 4));
    }
    osw_table_free(&smp);
    snprintf(path, sizeof(path), "%s/summary.csv", dir);
    CHECK(osw_csv_read(path, &smp, terr) == 0 && smp.nrows == 2);
    osw_table_free(&smp);
    snprintf(dir, sizeof(dir), "%s/mpi-2-ranks", argv[1]);
    CHECK(sweep(dir, 1, 2, 0, &f) == 0);
    check_rule(dir, 2, &r2);
    /* An ENV axis needs an executor that starts a process per configuration. */
    static const char *const words[] = {"close"};
    osw_axis env[] = {
        {.kind = OSW_AXIS_ENV, .name = "OMP_PROC_BIND", .count = 1, .words = words},
        {.kind = OSW_AXIS_SCHEDULE, .name = "schedule", .count = 1, .schedules = items},
        {.kind = OSW_AXIS_THREADS, .name = "threads", .count = 1, .threads = threads}};
    osw_plan plan;
    CHECK(osw_plan_init(&plan, env, 3, "prog") == 0);
    osw_executor ex = {.self = &f, .max_samples = REPS, .measure = fake_measure};
    osw_meta meta = {.ranks = 1};
    snprintf(dir, sizeof(dir), "%s/env", argv[1]);
    osw_sweep sw = {
        .plan = &plan, .ex = &ex, .writer = 1, .out_dir = dir, .force = 1, .meta = &meta};
    long unv;
    int sig;
    char err[OSW_ERRLEN] = "";
    CHECK(osw_sweep_run(&sw, &unv, &sig, err) == OSW_EUSAGE && strstr(err, "environment axes"));
    osw_config c;
    osw_plan_config(&plan, 0, &c);
    CHECK(c.nenv == 1 && strcmp(c.env[0], "OMP_PROC_BIND=close") == 0);
    osw_plan_free(&plan);
    for (int i = 0; i < 3; i++)
        osw_table_free(&t[i]);
    osw_table_free(&sh);
    osw_table_free(&r2);
    snprintf(dir, sizeof(dir), "%s/drift", argv[1]);
    check_drift(dir);
    if (failures)
        fprintf(stderr, "test_engine: %d check(s) failed\n", failures);
    else
        printf("test_engine: ok\n");
    return failures != 0;
}

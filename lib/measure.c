/* measure.c: the in-process executor (see measure.h). */
#define _GNU_SOURCE
#include "measure.h"
#include "placement.h"
#include "runtime.h"
#include "energy.h"
#include "error.h"
#include "stats.h"
#include "sysinfo.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int osw_sampling_cap(const osw_sampling *s)
{
    return s->ci_target > 0 ? s->max_reps : s->reps;
}

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

int osw_probe_team(int threads)
{
    int nprobe = threads < OSW_MAX_THREADS ? threads : OSW_MAX_THREADS, team = 0;
    for (int t = 0; t < nprobe; t++)
        team = osw_probe[t].team > team ? osw_probe[t].team : team;
    return team;
}

/* Appends "; " (unless first) and the formatted cause to why[len]. */
static void add_cause(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_cause(char *why, size_t len, const char *fmt, ...)
{
    size_t used = strlen(why);
    if (used && used + 2 < len) {
        memcpy(why + used, "; ", 3);
        used += 2;
    }
    if (used + 1 >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why + used, len - used, fmt, ap);
    va_end(ap);
}

/* The first of names[] set in the environment, as NAME=value into buf; ""
 * when none is. */
static const char *env_named(const char *const *names, size_t count, char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        const char *v = getenv(names[i]);
        if (v && *v) {
            snprintf(buf, len, "%s=%.40s", names[i], v);
            break;
        }
    }
    return buf;
}

int osw_team_limit(int threads, char *why, size_t len)
{
    static const char *const limit_vars[] = {"OMP_THREAD_LIMIT", "KMP_DEVICE_THREAD_LIMIT",
                                             "KMP_ALL_THREADS"};
    static const char *const level_vars[] = {"OMP_MAX_ACTIVE_LEVELS", "OMP_NESTED"};
    static const char *const dynamic_vars[] = {"OMP_DYNAMIC"};
    char var[64];
    int allowed = threads;
    why[0] = '\0';
    int limit = omp_get_thread_limit();
    if (limit >= 1 && limit < threads) {
        allowed = limit;
        if (*env_named(limit_vars, 3, var, sizeof(var)))
            add_cause(why, len, "%s caps teams at %d thread%s", var, limit, limit == 1 ? "" : "s");
        else
            add_cause(why, len, "the OpenMP thread limit (omp_get_thread_limit) is %d", limit);
    }
    if (threads > 1 && omp_get_max_active_levels() < 1) {
        allowed = 1;
        if (*env_named(level_vars, 2, var, sizeof(var)))
            add_cause(why, len, "%s allows no active parallel level, so every team has 1 thread",
                      var);
        else
            add_cause(why, len, "omp_get_max_active_levels() is 0, so every team has 1 thread");
    }
    if (threads > 1 && omp_get_dynamic()) {
        if (*env_named(dynamic_vars, 1, var, sizeof(var)))
            add_cause(why, len, "%s lets the runtime shrink teams to the CPUs and the load", var);
        else
            add_cause(why, len,
                      "dynamic teams are on (omp_get_dynamic): the runtime may shrink "
                      "them to the CPUs and the load");
    }
    return allowed;
}

int osw_threads_probe_main(const char *text)
{
    char *end;
    long threads = strtol(text, &end, 10);
    if (*end || threads < 1 || threads > INT_MAX)
        return 125;
    omp_set_num_threads((int)threads);
    int team = 0;
#pragma omp parallel
    {
        if (omp_get_thread_num() == 0)
            team = omp_get_num_threads();
    }
    return team >= 1 ? 0 : 125;
}

int osw_threads_start(int threads, char *err)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 0; /* the check cannot run: the sweep goes on as before */
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return 0;
    }
    if (pid == 0) {
        /* The child: the runtime's message goes to the pipe; a runtime that
         * hangs is ended by the alarm, which the exec keeps. */
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        alarm(60);
        char count[24];
        snprintf(count, sizeof(count), "%d", threads);
        char *argv[] = {(char *)"ompsweep", (char *)OSW_THREADS_PROBE, count, NULL};
        osw_affinity_restore();
        execv("/proc/self/exe", argv);
        _exit(126); /* no exec: the check cannot run (the runtime is not
                     * reinitialised in a forked child, osw_runtime_fork_safe) */
    }
    close(fds[1]);
    char text[1024];
    size_t used = 0;
    for (;;) {
        char chunk[512];
        ssize_t got = read(fds[0], chunk, sizeof(chunk));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        for (ssize_t i = 0; i < got && used + 1 < sizeof(text); i++)
            text[used++] = chunk[i];
    }
    text[used] = '\0';
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return 0;
    if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 126))
        return 0;
    /* The runtime's message on one line: blanks collapsed, cut to fit. */
    char said[240];
    size_t k = 0;
    for (size_t i = 0; text[i] && k + 1 < sizeof(said); i++) {
        char ch = text[i] == '\n' || text[i] == '\t' || text[i] == '\r' ? ' ' : text[i];
        if (ch == ' ' && (k == 0 || said[k - 1] == ' '))
            continue;
        said[k++] = ch;
    }
    while (k > 0 && said[k - 1] == ' ')
        k--;
    said[k] = '\0';
    if (!*said) {
        if (WIFSIGNALED(status))
            snprintf(said, sizeof(said), "it was ended by signal %d", WTERMSIG(status));
        else
            snprintf(said, sizeof(said), "it exited with status %d", WEXITSTATUS(status));
    }
    static const char *const stack_vars[] = {"OMP_STACKSIZE", "GOMP_STACKSIZE", "KMP_STACKSIZE"};
    char stack[64];
    env_named(stack_vars, 3, stack, sizeof(stack));
    if (*stack)
        snprintf(err, OSW_ERRLEN,
                 "the OpenMP runtime cannot start %d threads (%s): %s asks that much stack per "
                 "thread; lower it (or check ulimit -u and the memory limit)",
                 threads, said, stack);
    else
        snprintf(err, OSW_ERRLEN,
                 "the OpenMP runtime cannot start %d threads (%s): check ulimit -u, the memory "
                 "limit and fewer --threads",
                 threads, said);
    return OSW_ETHREADS;
}

double osw_estimate_call_s(const osw_kernel *k, size_t n, double target_s)
{
    int saved = omp_get_max_threads(), chunk = 0;
    omp_sched_t kind;
    omp_get_schedule(&kind, &chunk);
    omp_set_num_threads(1);
    omp_set_schedule(omp_sched_static, 0);
    size_t m = n < 1024 ? n : 1024;
    double per_unit = NAN;
    for (;;) {
        void *ctx = NULL;
        osw_alloc_restart();
        if (k->setup(&ctx, m) != 0) {
            per_unit = NAN;
            break;
        }
        k->run(ctx); /* page faults, caches, the runtime's first region */
        double t0 = omp_get_wtime();
        k->run(ctx);
        double t = omp_get_wtime() - t0;
        k->teardown(ctx);
        per_unit = t / (double)m;
        if (t >= target_s || m == n)
            break;
        /* Aim past the target, growing at least 2x and at most 64x a step. */
        double grow = t > 0 ? 1.2 * target_s / t : 64;
        grow = grow < 2 ? 2 : grow > 64 ? 64 : grow;
        double next = (double)m * grow;
        m = next >= (double)n ? n : (size_t)next;
    }
    omp_set_num_threads(saved);
    omp_set_schedule(kind, chunk);
    return per_unit * (double)n;
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

/* The share of the bytes osw_alloc advised during the last setup (its
 * ranges, osw_advised_ranges) that transparent huge pages back, read from
 * those ranges' own mappings, so that huge pages anywhere else in the
 * process (an allocator's, or a mapping khugepaged collapses meanwhile)
 * never count; NaN when unknown or when the setup advised nothing (arrays
 * under 2 MiB, or not from osw_alloc) or more ranges than are kept. */
static double huge_page_share(void)
{
    osw_range r[OSW_MAX_ADVISED];
    size_t n = osw_advised_ranges(r, OSW_MAX_ADVISED);
    if (n == 0 || n > OSW_MAX_ADVISED)
        return NAN;
    double advised = 0;
    for (size_t i = 0; i < n; i++)
        advised += (double)r[i].len;
    double backed = osw_anon_huge_bytes_in(r, n);
    if (!(advised > 0) || isnan(backed))
        return NAN;
    double share = backed / advised;
    return share < 0 ? 0 : share > 1 ? 1 : share;
}

/* One configuration measured in blocks of samples (measure.h). */
struct osw_session {
    const osw_kernel *k;
    size_t n;
    void *ctx;
    osw_sampling s;
    int warmup;
    long inner;
    int threads;
    int count, done;
    const char *reason;
    double huge_share;
    double own_s; /* the time this configuration took: setup, warm-ups, samples */
    double cpu, wall, joules;
    double *sorted; /* adaptive: the samples, sorted */
    /* the probe slots of its team between its blocks (other configurations
     * use the same global slots in between) */
    osw_thread_probe *probe;
    size_t nprobe;
};

/* The session whose kernel ran last in this process: another one's block
 * re-warms first (its caches and the runtime's team are the other's). */
static const osw_session *last_ran;

int osw_session_open(const osw_kernel *k, size_t n, const osw_sampling *s, int warmup,
                     double min_sample_s, osw_session **out)
{
    *out = NULL;
    osw_session *x = calloc(1, sizeof(*x));
    int adaptive = s->ci_target > 0;
    if (x && adaptive)
        x->sorted = malloc((size_t)s->max_reps * sizeof(*x->sorted));
    if (!x || (adaptive && !x->sorted)) {
        free(x);
        return -ENOMEM;
    }
    double started = omp_get_wtime();
    x->k = k;
    x->n = n;
    x->s = *s;
    x->warmup = warmup;
    x->reason = "fixed";
    osw_alloc_restart();
    int rc = k->setup(&x->ctx, n);
    if (rc) {
        free(x->sorted);
        free(x);
        return rc;
    }
    x->huge_share = huge_page_share();
    for (int w = 0; w < warmup; w++) {
        k->run(x->ctx);
        if (s->tick)
            s->tick(s->tick_self);
    }
    x->inner = osw_calibrate(k, x->ctx, min_sample_s);
    x->threads = omp_get_max_threads();
    x->nprobe = x->threads < OSW_MAX_THREADS ? (size_t)x->threads : OSW_MAX_THREADS;
    x->probe = calloc(x->nprobe, sizeof(*x->probe));
    if (!x->probe) {
        osw_session_abort(x);
        return -ENOMEM;
    }
    osw_probe_reset();
    memcpy(x->probe, osw_probe, x->nprobe * sizeof(*x->probe));
    last_ran = x;
    x->own_s = omp_get_wtime() - started;
    *out = x;
    return 0;
}

/* Puts the session's probe slots back in the global ones. */
static void session_probe(const osw_session *x)
{
    memcpy(osw_probe, x->probe, x->nprobe * sizeof(*x->probe));
}

int osw_session_more(osw_session *x, size_t k, double *seconds)
{
    int adaptive = x->s.ci_target > 0;
    int cap = osw_sampling_cap(&x->s);
    double started = omp_get_wtime();
    if (last_ran != x)
        for (int w = 0; w < x->warmup; w++)
            x->k->run(x->ctx);
    last_ran = x;
    session_probe(x);
    const osw_energy *energy = osw_energy_system();
    size_t taken = 0;
    /* Timed samples. Process CPU time is read around each sample, so the
     * stopping rule's work between samples counts in neither clock. */
    while (!x->done && taken < k) {
        osw_energy_snap e0, e1;
        osw_energy_read(energy, &e0);
        double cpu0 = osw_process_cpu_s();
        double t0 = omp_get_wtime();
        for (long j = 0; j < x->inner; j++)
            x->k->run(x->ctx);
        double t = omp_get_wtime() - t0;
        x->cpu += osw_process_cpu_s() - cpu0;
        osw_energy_read(energy, &e1);
        x->joules += osw_energy_joules(energy, &e0, &e1); /* NaN where unavailable */
        x->wall += t;
        seconds[x->count] = t / (double)x->inner;
        x->count++;
        taken++;
        if (x->s.tick)
            x->s.tick(x->s.tick_self);
        if (!adaptive) {
            x->done = x->count >= cap;
            continue;
        }
        insert_sorted(x->sorted, (size_t)x->count - 1, seconds[x->count - 1]);
        if (x->count < x->s.min_reps && x->count < cap)
            continue;
        double own = x->own_s + omp_get_wtime() - started;
        if (osw_median_ci_rel_width(x->sorted, (size_t)x->count, 0.95) <= x->s.ci_target) {
            x->reason = "ci";
            x->done = 1;
        } else if (x->count >= cap) {
            x->reason = "max_reps";
            x->done = 1;
        } else if (own + t > x->s.max_time_s) {
            x->reason = "max_time";
            x->done = 1;
        }
    }
    memcpy(x->probe, osw_probe, x->nprobe * sizeof(*x->probe));
    x->own_s += omp_get_wtime() - started;
    return (int)taken;
}

int osw_session_done(const osw_session *x)
{
    return x->done;
}

int osw_session_close(osw_session *x, osw_row *row, const double *seconds)
{
    const osw_kernel *k = x->k;
    session_probe(x);
    /* The team that ran; load imbalance over it, from the per-thread busy
     * time summed over all samples. */
    int team = osw_probe_team(x->threads);
    double busy_max, busy_sum;
    int nprobe = osw_probe_totals(team > 0 ? team : x->threads, &busy_max, &busy_sum);
    row->imbalance = busy_max > 0 ? (busy_max - busy_sum / nprobe) / busy_max : NAN;
    row->cpu_per_wall = x->wall > 0 ? x->cpu / x->wall : NAN;

    double rel_err = NAN;
    row->verified = k->verify(x->ctx, &rel_err) == 1;
    row->result = k->result ? k->result(x->ctx) : NAN;
    row->rel_err = rel_err;

    snprintf(row->kernel, sizeof(row->kernel), "%s", k->name);
    row->n = x->n;
    row->threads = x->threads;
    row->threads_ran = team;
    row->reps = x->count;
    row->inner = x->inner;
    row->ranks = 1;
    snprintf(row->bound, sizeof(row->bound), "%s", osw_kind_name(k->kind));
    snprintf(row->stop_reason, sizeof(row->stop_reason), "%s", x->reason);
    int rc = osw_row_set_stats(row, k, x->n, seconds, (size_t)x->count);
    row->huge_page_share = x->huge_share;
    /* Energy per kernel call: the mean over the timed calls. */
    row->energy_j = x->count > 0 ? x->joules / ((double)x->count * (double)x->inner) : NAN;
    osw_session_abort(x);
    return rc;
}

void osw_session_abort(osw_session *x)
{
    if (!x)
        return;
    x->k->teardown(x->ctx);
    if (last_ran == x)
        last_ran = NULL;
    free(x->probe);
    free(x->sorted);
    free(x);
}

int osw_measure_sampled(const osw_kernel *k, size_t n, const osw_sampling *s, int warmup,
                        double min_sample_s, osw_row *row, double *seconds)
{
    osw_session *x;
    int rc = osw_session_open(k, n, s, warmup, min_sample_s, &x);
    if (rc)
        return rc;
    osw_session_more(x, (size_t)osw_sampling_cap(s), seconds);
    return osw_session_close(x, row, seconds);
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

int osw_check_memory(const osw_plan *p, int ranks, int node_ranks, char *err)
{
    double avail = osw_mem_available();
    for (size_t i = 0; i < p->total; i += p->axes[p->naxes - 1].count) {
        osw_config c;
        osw_plan_config(p, i, &c);
        if (!c.kernel)
            continue;
        size_t n_local = c.n / (size_t)ranks + (c.n % (size_t)ranks != 0);
        double need = c.kernel->alloc_bytes_per_elem * (double)n_local * node_ranks;
        /* Keep 5% and 64 MiB back for the harness and the system. */
        if (avail > 0 && need > 0.95 * avail - 64.0 * 1048576) {
            char needs[32], has[32];
            fmt_bytes(needs, sizeof(needs), need);
            fmt_bytes(has, sizeof(has), avail);
            if (ranks > 1 || node_ranks > 1)
                snprintf(err, OSW_ERRLEN,
                         "%s at n=%zu needs %s of arrays on a node of %d ranks; it has %s "
                         "available",
                         c.kernel->name, c.n, needs, node_ranks, has);
            else
                snprintf(err, OSW_ERRLEN,
                         "%s at n=%zu needs %s of arrays; this machine has %s available",
                         c.kernel->name, c.n, needs, has);
            return OSW_ETOOBIG;
        }
    }
    return 0;
}

int osw_config_key(const osw_key_settings *k, char *buf, size_t len)
{
    char reps[128];
    const osw_sampling *s = k->sampling;
    if (s->ci_target > 0)
        snprintf(reps, sizeof(reps), "auto(ci=%.6g%%,min=%d,max=%d,time=%.6gs)", s->ci_target * 100,
                 s->min_reps, s->max_reps, s->max_time_s);
    else
        snprintf(reps, sizeof(reps), "%d", s->reps);
    const char *places = getenv("OMP_PLACES");
    return snprintf(buf, len,
                    "schema=%d;commit=%s;compiler=%s;flags=%s;host=%s;reps=%s;warmup=%d;"
                    "min_time=%.6g;bind=%s;places=%s;huge_pages=%s;array_offset=%zu;probe=%s",
                    OSW_SCHEMA_VERSION, OSW_GIT_COMMIT, OSW_COMPILER, OSW_C_FLAGS,
                    k->sys ? k->sys->host : "unknown", reps, k->warmup, k->min_sample_s,
                    osw_proc_bind_name(omp_get_proc_bind()), places ? places : "",
                    k->huge_pages ? "on" : "off", k->array_offset,
                    osw_probe_mode == OSW_PROBE_OFF ? "off" : "on");
}

/* ---- the executor ---- */

/* Warns once: the first configuration in which two threads ran on one
 * physical core although there were cores enough. */
static void affinity_check(osw_inproc *x, const osw_config *c, const osw_row *row,
                           osw_observed *obs)
{
    int team = osw_row_team(row);
    int threads = team < OSW_MAX_THREADS ? team : OSW_MAX_THREADS;
    if (x->warned || !x->core_of || c->kernel->kind == OSW_WAITS || threads < 2 ||
        threads > x->cores)
        return;
    int *cpus = malloc((size_t)threads * sizeof(*cpus));
    if (!cpus)
        return;
    for (int t = 0; t < threads; t++)
        cpus[t] = osw_probe[t].busy_s > 0 ? osw_probe[t].cpu : -1;
    int t1, t2;
    if (osw_shared_core(cpus, threads, x->core_of, x->ncpu, &t1, &t2)) {
        char warning[400];
        x->warned = 1;
        snprintf(warning, sizeof(warning),
                 "threads %d and %d of %s n=%zu threads=%d %s ran on one physical core (CPUs %d "
                 "and %d) although %d cores are available: bind threads to cores "
                 "(OMP_PROC_BIND=spread OMP_PLACES=cores) for figures that scale by core",
                 t1, t2, c->label, c->n, c->threads, c->schedule->name, cpus[t1], cpus[t2],
                 x->cores);
        osw_observed_warn(obs, warning);
    }
    free(cpus);
}

/* Warns once: the first configuration whose team ran fewer threads than
 * asked, with the cause. */
static void team_check(osw_inproc *x, const osw_config *c, const osw_row *row, osw_observed *obs)
{
    if (x->team_warned || row->threads_ran < 1 || row->threads_ran >= c->threads)
        return;
    x->team_warned = 1;
    char why[300], warning[640];
    osw_team_limit(c->threads, why, sizeof(why));
    snprintf(warning, sizeof(warning),
             "%s n=%zu threads=%d %s ran %d thread%s, not %d: %s; threads_ran records the "
             "team that ran, and efficiency and overhead_ns count it",
             c->label, c->n, c->threads, c->schedule->name, row->threads_ran,
             row->threads_ran == 1 ? "" : "s", c->threads,
             *why ? why : "no OpenMP setting limits the team, the runtime gave no more");
    osw_observed_warn(obs, warning);
}

static void observe(osw_inproc *x, const osw_config *c, const osw_row *row, osw_observed *obs)
{
    int team = osw_row_team(row);
    int threads = team < OSW_MAX_THREADS ? team : OSW_MAX_THREADS;
    int cpus[64];
    long runs = 0;
    for (int t = 0; t < threads; t++) {
        if (t < 64)
            cpus[t] = osw_probe[t].cpu;
        runs += osw_probe[t].migrations;
    }
    osw_observed_cpus(obs, row->threads, cpus, threads);
    osw_row named = *row;
    snprintf(named.kernel, sizeof(named.kernel), "%s", c->label);
    named.n = c->n;
    named.threads = c->threads;
    snprintf(named.schedule, sizeof(named.schedule), "%s", c->schedule->name);
    named.chunk = c->schedule->s.chunk;
    osw_observed_migrations(obs, &named, runs);
    team_check(x, c, row, obs);
    affinity_check(x, c, row, obs);
}

/* Where the threads ran against what was asked (placement.h): the row's
 * placement column and meta.json's record. */
static void check_placement(const osw_inproc *x, const osw_config *c, osw_row *row,
                            osw_observed *obs)
{
    osw_placement *p = malloc(sizeof(*p));
    if (!p)
        return;
    osw_placement_probe(c->threads, p);
    int asked[OSW_PLACEMENT_LEVELS];
    char bind[32], places[160], why[200];
    int levels = osw_placement_asked(c->nest, c->threads, c->env_text, asked, bind, sizeof(bind),
                                     places, sizeof(places));
    const char *verdict = osw_placement_verdict(p, asked, levels, bind, places, osw_affinity_cpus(),
                                                x->cores, why, sizeof(why));
    snprintf(row->placement, sizeof(row->placement), "%s", verdict);
    osw_observed_placement(obs, c, p, verdict, why);
    free(p);
}

/* The runtime that served (runtime.h) into the row; one that is not the
 * one the configuration asked for fails the row, which would say something
 * other than what ran. */
static void check_runtime(const osw_config *c, osw_row *row, osw_observed *obs)
{
    osw_runtime self = osw_runtime_self(), asked = osw_runtime_of_env(c->env_text);
    snprintf(row->runtime, sizeof(row->runtime), "%s",
             self == OSW_RUNTIME_UNKNOWN ? "" : osw_runtime_name(self));
    if (asked != OSW_RUNTIME_UNKNOWN && self != asked) {
        row->verified = 0;
        char w[OSW_WARNLEN];
        snprintf(w, sizeof(w),
                 "%s threads=%d asked for runtime %s but ran on %s: the row is marked unverified",
                 c->label, c->threads, osw_runtime_name(asked), osw_runtime_name(self));
        osw_observed_warn(obs, w);
    }
}

/* A taskloop that libgomp ran on one thread (runtime.h): its team was
 * idle while one thread ran every task, which the row's time shows but
 * does not say. A warning naming the grainsize that keeps the tasks within
 * what libgomp defers; its first 40 characters are the kind, so a sweep
 * says it once (osw_observed_merge). */
static void check_taskloop(const osw_config *c, const osw_row *row, osw_observed *obs)
{
    if (!osw_taskloop.mode || row->threads < 2 || !osw_taskloop_items ||
        osw_runtime_self() != OSW_RUNTIME_GOMP)
        return;
    size_t most = (size_t)OSW_GOMP_TASKS_PER_THREAD * (size_t)row->threads;
    int by_tasks = osw_taskloop.mode == OSW_TASKLOOP_NUM_TASKS;
    size_t tasks = osw_gomp_taskloop_tasks(by_tasks, osw_taskloop.value, osw_taskloop_items);
    if (tasks <= most)
        return;
    char w[OSW_WARNLEN];
    snprintf(w, sizeof(w),
             "libgomp ran a taskloop's tasks on one thread, undeferred, as it does past %d "
             "tasks a thread: %s n=%zu threads=%d %s,%d made %zu tasks of %zu iterations, "
             "over the %zu it defers for %d threads; grainsize %zu or more (or num_tasks %zu "
             "or fewer) keeps the team working",
             OSW_GOMP_TASKS_PER_THREAD, c->kernel->name, c->n, row->threads,
             by_tasks ? "taskloop:num_tasks" : "taskloop:grainsize", (int)osw_taskloop.value, tasks,
             osw_taskloop_items, most, row->threads, osw_taskloop_items / (most + 1) + 1, most);
    osw_observed_warn(obs, w);
}

static void inproc_apply(const osw_config *c)
{
    omp_set_num_threads(c->threads);
    osw_schedule_apply(&c->schedule->s);
}

static int inproc_open(void *self, const osw_config *c, void **state, osw_observed *obs, char *err)
{
    osw_inproc *x = self;
    inproc_apply(c);
    osw_sampling sampling = x->sampling;
    sampling.tick = osw_observed_tick;
    sampling.tick_self = obs;
    int rc = osw_session_open(c->kernel, c->n, &sampling, x->warmup, x->min_sample_s,
                              (osw_session **)state);
    if (rc)
        snprintf(err, OSW_ERRLEN, "%s at n=%zu with %d threads: setup failed: %s", c->kernel->name,
                 c->n, c->threads, osw_strerror(rc));
    return rc;
}

static int inproc_more(void *self, const osw_config *c, void *state, size_t k, double *seconds,
                       int *done, osw_observed *obs, char *err)
{
    (void)self;
    (void)obs;
    (void)err;
    inproc_apply(c);
    int taken = osw_session_more(state, k, seconds);
    *done = osw_session_done(state);
    return taken;
}

static int inproc_close(void *self, const osw_config *c, void *state, osw_row *row,
                        const double *seconds, osw_observed *obs, char *err)
{
    osw_inproc *x = self;
    inproc_apply(c);
    int rc = osw_session_close(state, row, seconds);
    if (rc) {
        snprintf(err, OSW_ERRLEN, "%s at n=%zu with %d threads: %s", c->kernel->name, c->n,
                 c->threads, osw_strerror(rc));
        return rc;
    }
    observe(x, c, row, obs);
    check_placement(x, c, row, obs);
    check_runtime(c, row, obs);
    check_taskloop(c, row, obs);
    return 0;
}

static void inproc_abort(void *self, void *state)
{
    (void)self;
    osw_session_abort(state);
}

int osw_inproc_executor(osw_inproc *x, osw_executor *ex)
{
    memset(ex, 0, sizeof(*ex));
    ex->self = x;
    ex->max_samples = (size_t)osw_sampling_cap(&x->sampling);
    ex->open = inproc_open;
    ex->more = inproc_more;
    ex->close = inproc_close;
    ex->abort = inproc_abort;
    x->core_of = osw_cpu_core_map(&x->ncpu);
    x->cores = osw_cores_available(x->core_of, x->ncpu);
    x->warned = x->team_warned = 0;
    return 0;
}

void osw_inproc_free(osw_inproc *x)
{
    free(x->core_of);
    x->core_of = NULL;
}

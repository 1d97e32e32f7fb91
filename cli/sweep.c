/* sweep.c: the command side shared by run, exec and ompsweep-mpi (sweep.h). */
#define _GNU_SOURCE
#include "sweep.h"
#include "runtime.h"
#include "error.h"
#include "measure.h"
#include "parse.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void osw_cli_warn(osw_cli_sweep *s, int print, const char *fmt, ...)
{
    if (s->meta.nwarnings >= OSW_CLI_WARNINGS)
        return;
    char *slot = s->warnings[s->meta.nwarnings];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(slot, sizeof(s->warnings[0]), fmt, ap);
    va_end(ap);
    s->meta.warnings[s->meta.nwarnings++] = slot;
    if (print && s->speak)
        fprintf(stderr, "%s: warning: %s\n", s->prefix, slot);
}

/* A seed from the clock and the process id, kept to 53 bits (see --seed). */
static unsigned long long clock_seed(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return osw_rng((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec,
                   (uint64_t)getpid()) >>
           11;
}

int osw_cli_sweep_begin(osw_cli_sweep *s, unsigned cmd, const char *prefix, int speak, int argc,
                        char **argv, int full_argc, char **full_argv, int ranks)
{
    memset(s, 0, sizeof(*s));
    s->prefix = prefix;
    s->speak = speak;
    char err[OSW_ERRLEN] = "";
    int status = osw_args_parse(cmd, argc, argv, &s->args, err, sizeof(err));
    if (status == OSW_ARGS_HELP) {
        if (speak)
            osw_usage(cmd, stdout);
        return OSW_EXIT_OK;
    }
    if (status) {
        if (speak)
            fprintf(stderr, "%s: %s (see %s%s --help)\n", prefix, err,
                    cmd == OSW_CMD_MPI ? "" : "ompsweep ", osw_cmd_name(cmd));
        return status;
    }
    /* a shuffled or interleaved order without --seed: one from the clock */
    if ((s->args.shuffled || s->args.interleaved) && !s->args.seed_given)
        s->args.seed = clock_seed();
    osw_sysinfo_read(&s->sys);
    s->meta = (osw_meta){.sys = &s->sys, .argc = full_argc, .argv = full_argv, .ranks = ranks};
    s->meta.started = osw_now_iso(s->started, sizeof(s->started));
    return -1;
}

/* The environment axis of variable name, or NULL. */
static const osw_env_axis *env_axis(const osw_cli_sweep *s, const char *name)
{
    for (size_t e = 0; e < s->nenvs; e++)
        if (strcmp(s->envs[e].name, name) == 0)
            return &s->envs[e];
    return NULL;
}

/* A runtime-specific knob applies only where its runtime serves: one
 * warning for the configurations that ignore it. */
static void knob_warnings(osw_cli_sweep *s)
{
    const osw_env_axis *rt = env_axis(s, OSW_RUNTIME_AXIS);
    int gomp = 0, llvm = 0;
    for (size_t v = 0; rt && v < rt->count; v++) {
        gomp |= strcmp(rt->values[v], "gomp") == 0;
        llvm |= strcmp(rt->values[v], "llvm") == 0;
    }
    if (!rt && s->args.cmd == OSW_CMD_RUN) {
        gomp = osw_runtime_self() == OSW_RUNTIME_GOMP;
        llvm = osw_runtime_self() == OSW_RUNTIME_LLVM;
    }
    if (env_axis(s, "GOMP_SPINCOUNT") && llvm)
        osw_cli_warn(s, 1,
                     "GOMP_SPINCOUNT is read by GNU libgomp only: the configurations on LLVM "
                     "libomp ignore it (its knob is --blocktime, KMP_BLOCKTIME)");
    if (env_axis(s, "KMP_BLOCKTIME") && gomp)
        osw_cli_warn(s, 1,
                     "KMP_BLOCKTIME is read by LLVM libomp only: the configurations on GNU "
                     "libgomp ignore it (its knob is --spin-count, GOMP_SPINCOUNT)");
}

/* The environment axes, in a fixed order: --runtime (llvm alone for exec
 * --regions without it), --bind, --places (cores when --bind comes without
 * it), --wait-policy, --spin-count, --blocktime, then each --env. A
 * variable given twice is a usage error. */
static int env_axes(osw_cli_sweep *s, char *err)
{
    const osw_args *a = &s->args;
    /* exec --regions profiles through OMPT, which only libomp has */
    const char *runtime = a->runtime ? a->runtime : a->regions ? "llvm" : NULL;
    struct given {
        const char *flag, *name, *list;
    } given[6 + OSW_ARGS_MAX_ENV] = {
        {"--runtime", "runtime", runtime},
        {"--bind", "OMP_PROC_BIND", a->bind},
        {"--places", "OMP_PLACES",
         a->places ? a->places
         : a->bind ? "cores"
                   : NULL},
        {"--wait-policy", "OMP_WAIT_POLICY", a->wait_policy},
        {"--spin-count", "GOMP_SPINCOUNT", a->spin_count},
        {"--blocktime", "KMP_BLOCKTIME", a->blocktime},
    };
    size_t ngiven = 6;
    for (int e = 0; e < a->nenv; e++)
        given[ngiven++] = (struct given){"--env", NULL, a->env[e]};
    for (size_t g = 0; g < ngiven; g++) {
        if (!given[g].list)
            continue;
        if (s->nenvs + 4 >= OSW_MAX_AXES) {
            snprintf(err, OSW_ERRLEN, "at most %d environment axes", OSW_MAX_AXES - 4);
            return OSW_EXIT_USAGE;
        }
        osw_env_axis *ax = &s->envs[s->nenvs];
        int rc = given[g].name
                     ? osw_env_axis_parse(ax, given[g].flag, given[g].name, given[g].list, err)
                     : osw_env_axis_parse_assign(ax, given[g].list, err);
        if (rc)
            return rc == -ENOMEM ? OSW_EXIT_RESOURCE : OSW_EXIT_USAGE;
        s->nenvs++;
        for (size_t k = 0; k + 1 < s->nenvs; k++)
            if (strcmp(s->envs[k].name, ax->name) == 0) {
                snprintf(err, OSW_ERRLEN, "%s: %s is already an axis (%s)", ax->flag, ax->name,
                         s->envs[k].flag);
                return OSW_EXIT_USAGE;
            }
    }
    knob_warnings(s);
    return 0;
}

/* Room for one more thread value at n in *threads and *nests. */
static int grow_threads(int **threads, const char ***nests, size_t *room, size_t n)
{
    if (n < *room)
        return 0;
    size_t ncap = *room ? 2 * *room : 16;
    int *t = realloc(*threads, ncap * sizeof(*t));
    if (t)
        *threads = t;
    const char **x = t ? realloc(*nests, ncap * sizeof(*x)) : NULL;
    if (!x)
        return -ENOMEM;
    memset(x + *room, 0, (ncap - *room) * sizeof(*x));
    *nests = x;
    *room = ncap;
    return 0;
}

/* --threads with nested teams (exec): items AxB[xC...] are one thread value
 * each (their product, with OMP_NUM_THREADS=A,B...), the other items what
 * osw_parse_threads reads. Returns 0, or a negative error / OSW_EUSAGE with
 * err set. */
static int nested_threads(osw_cli_sweep *s, int flag_cores, char *err)
{
    const char *list = s->args.threads;
    if (s->args.cmd != OSW_CMD_EXEC) {
        snprintf(err, OSW_ERRLEN,
                 "--threads: nested teams (AxB) apply to exec: the kernels have one level of "
                 "parallelism");
        return OSW_EUSAGE;
    }
    char *copy = strdup(list);
    int *threads = NULL;
    size_t n = 0, room = 0;
    if (!copy)
        return -ENOMEM;
    int rc = 0;
    for (char *save = NULL, *item = strtok_r(copy, ",", &save); item && rc == 0;
         item = strtok_r(NULL, ",", &save)) {
        if (!strchr(item, 'x')) {
            int *one = NULL;
            size_t count = 0;
            rc = osw_parse_threads(item, flag_cores, &one, &count, err);
            for (size_t k = 0; rc == 0 && k < count; k++)
                if ((rc = grow_threads(&threads, &s->nests, &room, n)) == 0)
                    threads[n++] = one[k];
            free(one);
            continue;
        }
        long product = 1;
        int levels = 0;
        char nest[32] = "";
        size_t w = 0;
        for (const char *p = item; *p && rc == 0;) {
            char *end;
            long v = strtol(p, &end, 10);
            if (end == p || v < 1 || v > 4096 || (*end && *end != 'x') || ++levels > 4) {
                snprintf(err, OSW_ERRLEN,
                         "--threads: '%.40s' is not a nested team AxB[xC[xD]] of counts in 1..4096",
                         item);
                rc = OSW_EUSAGE;
                break;
            }
            product *= v;
            w += (size_t)snprintf(nest + w, sizeof(nest) - w, "%s%ld", w ? "," : "", v);
            p = *end ? end + 1 : end;
        }
        if (rc == 0 && (levels < 2 || product > OSW_MAX_THREADS)) {
            snprintf(err, OSW_ERRLEN,
                     "--threads: '%.40s' is not a nested team of at most %d threads", item,
                     OSW_MAX_THREADS);
            rc = OSW_EUSAGE;
        }
        if (rc == 0)
            rc = grow_threads(&threads, &s->nests, &room, n);
        if (rc == 0) {
            s->nests[n] = strdup(nest);
            threads[n++] = (int)product;
            if (!s->nests[n - 1])
                rc = -ENOMEM;
        }
    }
    free(copy);
    s->threads = threads;
    s->nthreads = n;
    s->meta.threads_source = "--threads";
    return rc;
}

/* The schedule values: the list, or (exec without --schedules) the
 * inherited OMP_SCHEDULE left alone and named, or "default". */
static int schedule_items(osw_cli_sweep *s, char *err)
{
    const osw_args *a = &s->args;
    const char *env = getenv("OMP_SCHEDULE");
    int rc = 0;
    char warn[OSW_WARNLEN] = "";
    if (a->cmd == OSW_CMD_EXEC && !a->schedules) {
        s->items = calloc(1, sizeof(*s->items));
        if (!s->items)
            return -ENOMEM;
        s->nitems = 1;
        osw_schedule inherited;
        char perr[OSW_ERRLEN];
        if (env && *env && osw_parse_omp_schedule(env, &inherited, perr) == 0) {
            s->items[0].s = inherited;
            osw_schedule_name(&inherited, s->items[0].name, sizeof(s->items[0].name));
            s->meta.schedules_source = "OMP_SCHEDULE";
        } else {
            snprintf(s->items[0].name, sizeof(s->items[0].name), "default");
            s->meta.schedules_source = "default";
        }
        return 0;
    }
    rc = osw_pick_schedules(a->schedules, env, &s->schedules, &s->nitems, &s->meta.schedules_source,
                            warn, err);
    if (rc == 0 && *warn)
        osw_cli_warn(s, 1, "%s", warn);
    s->items = rc == 0 ? calloc(s->nitems, sizeof(*s->items)) : NULL;
    if (rc == 0 && !s->items)
        rc = -ENOMEM;
    for (size_t i = 0; rc == 0 && i < s->nitems; i++) {
        s->items[i].s = s->schedules[i];
        s->items[i].set = 1;
        osw_schedule_name(&s->schedules[i], s->items[i].name, sizeof(s->items[i].name));
    }
    return rc;
}

int osw_cli_sweep_lists(osw_cli_sweep *s, int flag_cores, int default_cores, char *err)
{
    const osw_args *a = &s->args;
    char warn[OSW_WARNLEN] = "";
    int rc = 0;
    if (a->cmd != OSW_CMD_EXEC)
        rc = osw_parse_kernels(a->kernels, &s->kernels, &s->nkernels, err);
    if (rc == 0 && a->sizes)
        rc = osw_parse_sizes(a->sizes, &s->sizes, &s->nsizes, err);
    if (rc == 0 && a->threads && strchr(a->threads, 'x'))
        rc = nested_threads(s, flag_cores, err);
    else if (rc == 0)
        rc = osw_pick_threads(a->threads, osw_env_num_threads(), flag_cores, default_cores,
                              &s->threads, &s->nthreads, &s->meta.threads_source, warn, err);
    if (rc == 0 && *warn)
        osw_cli_warn(s, 1, "%s", warn);
    if (rc == 0)
        rc = schedule_items(s, err);
    if (rc == 0 && s->schedules)
        rc = osw_check_taskloop(s->kernels, s->nkernels, s->schedules, s->nitems, err);
    if (rc == -ENOMEM)
        snprintf(err, OSW_ERRLEN, "out of memory");
    if (rc)
        return osw_exit_status(rc);
    return env_axes(s, err);
}

/* A memory-bound kernel whose arrays fit in the last-level cache measures
 * the cache, not memory: one warning naming the largest such (kernel, n). */
static void cache_warning(osw_cli_sweep *s, int print)
{
    double llc = s->sys.llc_bytes;
    if (!(llc > 0) || !s->plan.total)
        return;
    const char *name = NULL;
    size_t n = 0, count = 0;
    double bytes = 0;
    for (size_t i = 0; i < s->plan.total; i += s->plan.axes[s->plan.naxes - 1].count) {
        osw_config c;
        osw_plan_config(&s->plan, i, &c);
        if (!c.kernel || c.kernel->kind != OSW_MEMORY_BOUND)
            continue;
        double b = c.kernel->alloc_bytes_per_elem * (double)c.n;
        if (b <= 0 || b >= 2 * llc)
            continue;
        count++;
        if (b >= bytes) {
            bytes = b;
            name = c.kernel->name;
            n = c.n;
        }
    }
    if (count)
        osw_cli_warn(s, print,
                     "%zu memory-bound configuration(s) fit in the last-level cache (%.1f MiB; "
                     "the largest: %s at n=%zu, %.1f MiB of arrays, under twice the cache): they "
                     "measure the cache, not memory; give --sizes above %.0f elements for memory "
                     "bandwidth",
                     count, llc / 1048576, name, n, bytes / 1048576, 2 * llc / (bytes / (double)n));
}

void osw_cli_sweep_warnings(osw_cli_sweep *s, int print, long threads_per_node)
{
    int compute = s->args.cmd == OSW_CMD_EXEC, cpu_bound = 0;
    for (size_t i = 0; i < s->nkernels; i++) {
        compute |= s->kernels[i]->kind != OSW_WAITS;
        cpu_bound |= s->kernels[i]->kind == OSW_CPU_BOUND;
    }
    const char *bind = getenv("OMP_PROC_BIND");
    const osw_env_axis *axis = env_axis(s, "OMP_PROC_BIND");
    int unbound = 0;
    for (size_t v = 0; axis && v < axis->count; v++) /* a --bind value that does not bind */
        unbound |= !strcmp(axis->values[v], "false") || !strcmp(axis->values[v], OSW_ENV_UNSET);
    if (!axis)
        unbound = s->args.cmd == OSW_CMD_EXEC ? !bind || !*bind || !strcasecmp(bind, "false")
                                              : omp_get_proc_bind() == omp_proc_bind_false;
    if (unbound)
        osw_cli_warn(s, print,
                     "threads are not bound to CPUs%s (use --bind close, or set "
                     "OMP_PROC_BIND=close OMP_PLACES=cores for repeatable figures)",
                     axis ? " in some configurations" : "");
    int max_threads = s->threads[0];
    for (size_t i = 0; i < s->nthreads; i++)
        max_threads = s->threads[i] > max_threads ? s->threads[i] : max_threads;
    /* More threads than the runtime's settings allow (OMP_THREAD_LIMIT, no
     * active level): said before the sweep, which then records the team
     * that ran (the in-process executor warns again if it sees one). */
    char why[300];
    int allowed = osw_team_limit(max_threads, why, sizeof(why));
    if (allowed < max_threads)
        osw_cli_warn(s, print,
                     "up to %d threads asked, but %s: a configuration of more than %d thread%s "
                     "runs %d%s",
                     max_threads, why, allowed, allowed == 1 ? "" : "s", allowed,
                     s->args.cmd == OSW_CMD_EXEC ? "" : " (column threads_ran)");
    long cpus = s->args.cmd == OSW_CMD_MPI ? s->sys.cores : s->sys.procs;
    if (threads_per_node > cpus && compute)
        osw_cli_warn(s, print,
                     "%ld threads oversubscribe the %ld CPUs available: threads will "
                     "time-share cores",
                     threads_per_node, cpus);
    /* Threads beyond the physical cores share them (SMT): a CPU-bound kernel
     * then measures hardware threads, not cores. */
    int ncpu = 0, *core_of = osw_cpu_core_map(&ncpu);
    int cores = osw_cores_available(core_of, ncpu);
    free(core_of);
    if (cpu_bound && cores > 0 && max_threads > cores)
        osw_cli_warn(s, print,
                     "%d threads exceed the %d physical core%s available: for cpu-bound "
                     "kernels, threads beyond %d share cores, so their speedup is not core "
                     "scaling",
                     max_threads, cores, cores == 1 ? "" : "s", cores);
    cache_warning(s, print);
}

int osw_cli_sweep_plan(osw_cli_sweep *s, const char *label, char *err)
{
    osw_axis *ax = s->axes;
    size_t n = 0;
    if (s->nkernels)
        ax[n++] = (osw_axis){
            .kind = OSW_AXIS_KERNEL, .name = "kernel", .count = s->nkernels, .kernels = s->kernels};
    if (s->sizes)
        ax[n++] =
            (osw_axis){.kind = OSW_AXIS_SIZE, .name = "n", .count = s->nsizes, .sizes = s->sizes};
    for (size_t e = 0; e < s->nenvs; e++)
        ax[n++] = (osw_axis){.kind = OSW_AXIS_ENV,
                             .name = s->envs[e].name,
                             .count = s->envs[e].count,
                             .words = s->envs[e].values};
    ax[n++] = (osw_axis){
        .kind = OSW_AXIS_SCHEDULE, .name = "schedule", .count = s->nitems, .schedules = s->items};
    ax[n++] = (osw_axis){.kind = OSW_AXIS_THREADS,
                         .name = "threads",
                         .count = s->nthreads,
                         .threads = s->threads,
                         .nest = s->nests};
    s->naxes = n;
    int rc = osw_plan_init(&s->plan, s->axes, n, label);
    if (rc)
        snprintf(err, OSW_ERRLEN, "%s", osw_strerror(rc));
    return rc ? osw_exit_status(rc) : 0;
}

const char *osw_cli_out_dir(osw_cli_sweep *s, const char *stem)
{
    if (s->args.out)
        return s->args.out;
    if (!s->out_default[0]) {
        char stamp[32];
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
        snprintf(s->out_default, sizeof(s->out_default), "%s-%s-%s", stem, s->sys.host, stamp);
    }
    return s->out_default;
}

double osw_cli_min_time(const osw_args *a)
{
    if (a->min_time >= 0)
        return a->min_time;
    double t = 1000 * omp_get_wtick();
    return t < 100e-6 ? 100e-6 : t;
}

void osw_cli_sweep_free(osw_cli_sweep *s)
{
    osw_plan_free(&s->plan);
    free(s->kernels);
    free(s->sizes);
    free(s->threads);
    free(s->schedules);
    free(s->items);
    for (size_t i = 0; s->nests && i < s->nthreads; i++)
        free((char *)s->nests[i]);
    free(s->nests);
    for (size_t e = 0; e < s->nenvs; e++)
        osw_env_axis_free(&s->envs[e]);
}

static void on_signal(int sig)
{
    static const char ack[] = "\nompsweep: finishing the current configuration; press Ctrl-C "
                              "again (or send the signal again) to stop now\n";
    osw_stop_signal = sig;
    ssize_t w = write(STDERR_FILENO, ack, sizeof(ack) - 1); /* async-signal-safe */
    (void)w;
}

void osw_cli_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    /* The first signal lets the current configuration finish; it may be
     * long (hours at 2^40 elements), so a second one kills at once. */
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

int osw_cli_sweep_status(const osw_cli_sweep *s, int rc, long unverified, int sig, const char *err,
                         const char *files)
{
    const char *out = s->args.out ? s->args.out : s->out_default;
    int say = s->speak;
    if (rc == OSW_EINTR) {
        if (say)
            fprintf(stderr, "%s: interrupted by signal %d; finished rows are in %s\n", s->prefix,
                    sig, out);
        return 128 + sig;
    }
    if (rc) {
        if (say)
            fprintf(stderr, "%s: %s\n", s->prefix, err[0] ? err : osw_strerror(rc));
        return osw_exit_status(rc);
    }
    if (unverified) {
        if (say)
            fprintf(stderr,
                    "%s: %ld of %ld configuration(s) failed verification (verified=0 in "
                    "%s/summary.csv)\n",
                    s->prefix, unverified, s->meta.configs_total, out);
        return OSW_EXIT_VERIFY;
    }
    if (say && !s->args.quiet)
        fprintf(stderr, "%s: results in %s/ (%s)\n", s->prefix, out, files);
    return OSW_EXIT_OK;
}

/* ---- the console sink ---- */

static void clear_progress(const osw_console *c)
{
    if (c->progress)
        fputs("\r\033[K", stderr);
}

/* A time with its unit: ns, µs, ms or s, 4 significant digits. */
static void fmt_time(char *buf, size_t len, double s)
{
    if (isnan(s))
        snprintf(buf, len, "-");
    else if (s < 1e-6)
        snprintf(buf, len, "%.1f ns", s * 1e9);
    else if (s < 1e-3)
        snprintf(buf, len, "%.2f µs", s * 1e6);
    else if (s < 1)
        snprintf(buf, len, "%.2f ms", s * 1e3);
    else
        snprintf(buf, len, "%.3f s", s);
}

/* Prints text in a cell of width display columns (UTF-8 aware), right
 * aligned when right, then two spaces. */
static void cell(const char *text, int width, int right)
{
    int shown = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        shown += (*p & 0xC0) != 0x80;
    int pad = width > shown ? width - shown : 0;
    printf("%*s%s%*s  ", right ? pad : 0, "", text, right ? 0 : pad, "");
}

static void console_start(void *self, const osw_config *cfg, long done, long total, long measured,
                          long todo, double elapsed)
{
    osw_console *c = self;
    if (!c->progress)
        return;
    char eta[16] = "--", sched[48];
    if (measured > 0) {
        int e = (int)(elapsed * (double)(todo - measured) / (double)measured);
        snprintf(eta, sizeof(eta), "%02d:%02d", e / 60, e % 60);
    }
    snprintf(sched, sizeof(sched), cfg->schedule->s.chunk ? "%s,%d" : "%s", cfg->schedule->name,
             cfg->schedule->s.chunk);
    fprintf(stderr, "\r\033[K[%ld/%ld] %02d:%02d elapsed, ETA %s  %s n=%zu threads=%d %s", done,
            total, (int)elapsed / 60, (int)elapsed % 60, eta, cfg->label, cfg->n, cfg->threads,
            sched);
    if (cfg->env_text[0])
        fprintf(stderr, " %.60s", cfg->env_text);
}

/* The columns of the table, in order. */
static void table_header(const osw_console *c)
{
    int w = c->kernel_width > 6 ? c->kernel_width : 6;
    cell("kernel", w, 0);
    cell("n", 11, 1);
    cell("threads", 7, 1);
    if (c->columns & OSW_TABLE_RANKS)
        cell("ranks", 5, 1);
    cell("schedule", 24, 0);
    cell("median", 10, 1);
    cell("95% CI", 8, 1);
    cell("GB/s", 8, 1);
    cell("speedup", 7, 1);
    if (c->columns & OSW_TABLE_CPU)
        cell("cpu/wall", 8, 1);
    if (c->columns & OSW_TABLE_REPS)
        cell("reps (why)", 16, 0);
    if (c->columns & OSW_TABLE_RESULT)
        cell("result", 22, 1);
    if (c->columns & OSW_TABLE_ENV)
        printf("%-8s  env\n", c->columns & OSW_TABLE_STATUS ? "status" : "verified");
    else
        printf("%s\n", c->columns & OSW_TABLE_STATUS ? "status" : "verified");
}

static int table_line(osw_console *c, const osw_row *row)
{
    if (!c->header_done) {
        table_header(c);
        c->header_done = 1;
    }
    char text[64];
    int w = c->kernel_width > 6 ? c->kernel_width : 6;
    cell(row->kernel, w, 0);
    snprintf(text, sizeof(text), "%zu", row->n);
    cell(text, 11, 1);
    /* Fewer threads ran than were asked for: both counts (threads_ran). */
    if (row->threads_ran > 0 && row->threads_ran < row->threads)
        snprintf(text, sizeof(text), "%d ran %d", row->threads, row->threads_ran);
    else
        snprintf(text, sizeof(text), "%d", row->threads);
    cell(text, 7, 1);
    if (c->columns & OSW_TABLE_RANKS) {
        snprintf(text, sizeof(text), "%d", row->ranks);
        cell(text, 5, 1);
    }
    snprintf(text, sizeof(text), row->chunk ? "%s,%d" : "%s", row->schedule, row->chunk);
    cell(text, 24, 0);
    fmt_time(text, sizeof(text), row->reps ? row->median_s : NAN);
    cell(text, 10, 1);
    /* The median's 95% CI as a half width relative to the median. */
    double half = (row->ci_hi_s - row->ci_lo_s) / 2 / row->median_s * 100;
    snprintf(text, sizeof(text), isfinite(half) ? "±%.1f%%" : "-", half);
    cell(text, 8, 1);
    snprintf(text, sizeof(text), isnan(row->gbps_median) ? "-" : "%.2f", row->gbps_median);
    cell(text, 8, 1);
    snprintf(text, sizeof(text), isnan(row->speedup) ? "-" : "%.2f", row->speedup);
    cell(text, 7, 1);
    if (c->columns & OSW_TABLE_CPU) {
        snprintf(text, sizeof(text), isnan(row->cpu_per_wall) ? "-" : "%.2f", row->cpu_per_wall);
        cell(text, 8, 1);
    }
    if (c->columns & OSW_TABLE_REPS) {
        snprintf(text, sizeof(text), "%d (%s)", row->reps, row->stop_reason);
        cell(text, 16, 0);
    }
    if (c->columns & OSW_TABLE_RESULT) {
        snprintf(text, sizeof(text), isnan(row->result) ? "-" : "%.17g", row->result);
        cell(text, 22, 1);
    }
    const char *ok = c->columns & OSW_TABLE_STATUS ? row->status : row->verified ? "yes" : "NO";
    if (c->columns & OSW_TABLE_ENV)
        printf("%-8s  %s", ok, row->env);
    else
        printf("%s", ok);
    if (c->extra) {
        char extra[128] = "";
        c->extra(c->extra_self, row, extra, sizeof(extra));
        fputs(extra, stdout);
    }
    putchar('\n');
    /* A closed or full stdout stops the sweep cleanly: the row is in the
     * files already, meta.json says why it stopped. */
    if (fflush(stdout) != 0 || ferror(stdout))
        return errno ? -errno : -EIO;
    return 0;
}

void osw_console_finish(const osw_console *c)
{
    if (c->misplaced)
        fprintf(stderr,
                "%s: warning: %ld configuration(s) did not run where asked (placement column: "
                "team, unbound or shared; meta.json's placement says how)\n",
                c->prefix, c->misplaced);
}

int osw_console_kernel_width(const osw_plan *p)
{
    int width = 0;
    for (size_t i = 0; i < p->total; i += p->axes[p->naxes - 1].count) {
        osw_config c;
        osw_plan_config(p, i, &c);
        int len = (int)strlen(c.label);
        width = len > width ? len : width;
    }
    return width;
}

static int console_row(void *self, const osw_config *cfg, const osw_row *row, const double *seconds,
                       char *err)
{
    osw_console *c = self;
    (void)cfg;
    (void)seconds;
    int rc = c->row ? c->row(c->row_self, row, err) : 0;
    c->misplaced += row->placement[0] && strcmp(row->placement, "ok") != 0;
    if (!row->verified) {
        char why[600], sched[48];
        if (c->failure)
            c->failure(c->failure_self, row, why, sizeof(why));
        else
            snprintf(why, sizeof(why), "FAILED verification (rel_err %.3g)", row->rel_err);
        snprintf(sched, sizeof(sched), row->chunk ? "%s,%d" : "%s", row->schedule, row->chunk);
        clear_progress(c);
        fprintf(stderr, "%s: %s n=%zu threads=%d schedule=%s%s%s: %s\n", c->prefix, row->kernel,
                row->n, row->threads, sched, row->env[0] ? " " : "", row->env, why);
    }
    if (!c->quiet && rc == 0) {
        clear_progress(c);
        rc = table_line(c, row);
        if (rc) {
            snprintf(err, OSW_ERRLEN, "writing the table to stdout: %s (the rows so far are kept)",
                     strerror(-rc));
            /* Said once here: what stdout still holds goes nowhere. */
            if (!freopen("/dev/null", "w", stdout))
                clearerr(stdout);
        }
    }
    return rc;
}

static void console_note(void *self, int important, const char *line)
{
    osw_console *c = self;
    if (!important && c->quiet)
        return;
    clear_progress(c);
    fprintf(stderr, "%s: %s\n", c->prefix, line);
}

void osw_console_sink(osw_console *c, osw_sink *sink)
{
    memset(sink, 0, sizeof(*sink));
    sink->self = c;
    sink->start = console_start;
    sink->row = console_row;
    sink->note = console_note;
}

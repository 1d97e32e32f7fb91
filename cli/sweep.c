/* sweep.c: the command side shared by run, exec and ompsweep-mpi (sweep.h). */
#define _GNU_SOURCE
#include "sweep.h"
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
    osw_sysinfo_read(&s->sys);
    s->meta = (osw_meta){.sys = &s->sys, .argc = full_argc, .argv = full_argv, .ranks = ranks};
    s->meta.started = osw_now_iso(s->started, sizeof(s->started));
    return -1;
}

/* exec's --bind: comma-separated OMP_PROC_BIND values, duplicates dropped. */
static int parse_binds(osw_cli_sweep *s, char *err)
{
    static const char *const known[] = {"false", "true", "close", "spread", "primary", "master"};
    s->bind_text = strdup(s->args.bind);
    size_t cap = 1;
    for (const char *p = s->args.bind; *p; p++)
        cap += *p == ',';
    s->binds = calloc(cap, sizeof(*s->binds));
    if (!s->bind_text || !s->binds) {
        snprintf(err, OSW_ERRLEN, "out of memory");
        return OSW_EXIT_RESOURCE;
    }
    for (char *save = NULL, *item = strtok_r(s->bind_text, ",", &save); item;
         item = strtok_r(NULL, ",", &save)) {
        int ok = 0, dup = 0;
        for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
            ok |= strcmp(item, known[k]) == 0;
        if (!ok) {
            snprintf(err, OSW_ERRLEN,
                     "--bind: '%.60s' is not one of false, true, close, spread, primary, master",
                     item);
            return OSW_EXIT_USAGE;
        }
        for (size_t k = 0; k < s->nbinds; k++)
            dup |= strcmp(s->binds[k], item) == 0;
        if (!dup)
            s->binds[s->nbinds++] = item;
    }
    if (s->nbinds == 0) {
        snprintf(err, OSW_ERRLEN, "--bind needs at least one value");
        return OSW_EXIT_USAGE;
    }
    s->places[0] = s->args.places ? s->args.places : "cores";
    return 0;
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
    if (rc == 0)
        rc = osw_pick_threads(a->threads, osw_env_num_threads(), flag_cores, default_cores,
                              &s->threads, &s->nthreads, &s->meta.threads_source, warn, err);
    if (rc == 0 && *warn)
        osw_cli_warn(s, 1, "%s", warn);
    if (rc == 0)
        rc = schedule_items(s, err);
    if (rc == -ENOMEM)
        snprintf(err, OSW_ERRLEN, "out of memory");
    if (rc)
        return osw_exit_status(rc);
    return a->bind ? parse_binds(s, err) : 0;
}

void osw_cli_sweep_warnings(osw_cli_sweep *s, int print, long threads_per_node)
{
    int compute = s->args.cmd == OSW_CMD_EXEC, cpu_bound = 0;
    for (size_t i = 0; i < s->nkernels; i++) {
        compute |= s->kernels[i]->kind != OSW_WAITS;
        cpu_bound |= s->kernels[i]->kind == OSW_CPU_BOUND;
    }
    const char *bind = getenv("OMP_PROC_BIND");
    int unbound = s->args.cmd == OSW_CMD_EXEC
                      ? !s->nbinds && (!bind || !*bind || !strcasecmp(bind, "false"))
                      : omp_get_proc_bind() == omp_proc_bind_false;
    if (unbound)
        osw_cli_warn(s, print,
                     "threads are not bound to CPUs (%sset OMP_PROC_BIND=close OMP_PLACES=cores "
                     "for repeatable figures)",
                     s->args.cmd == OSW_CMD_EXEC ? "use --bind close, or " : "");
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
    if (s->nbinds) {
        ax[n++] = (osw_axis){.kind = OSW_AXIS_ENV,
                             .name = "OMP_PROC_BIND",
                             .count = s->nbinds,
                             .words = s->binds,
                             .tag_label = 1};
        ax[n++] =
            (osw_axis){.kind = OSW_AXIS_ENV, .name = "OMP_PLACES", .count = 1, .words = s->places};
    }
    ax[n++] = (osw_axis){
        .kind = OSW_AXIS_SCHEDULE, .name = "schedule", .count = s->nitems, .schedules = s->items};
    ax[n++] = (osw_axis){
        .kind = OSW_AXIS_THREADS, .name = "threads", .count = s->nthreads, .threads = s->threads};
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
    free(s->bind_text);
    free(s->binds);
}

static void on_signal(int sig)
{
    osw_stop_signal = sig;
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

static void console_start(void *self, const osw_config *cfg, long done, long total, long measured,
                          long todo, double elapsed)
{
    osw_console *c = self;
    if (!c->progress)
        return;
    double eta = measured > 0 ? elapsed * (double)(todo - measured) / (double)measured : 0;
    fprintf(stderr, "\r\033[K[%ld/%ld] %02d:%02d elapsed, ETA %02d:%02d  %s n=%zu threads=%d %s",
            done, total, (int)elapsed / 60, (int)elapsed % 60, (int)eta / 60, (int)eta % 60,
            cfg->label, cfg->n, cfg->threads, cfg->schedule->name);
}

static void table_line(const osw_console *c, const osw_row *row)
{
    char sched[48];
    snprintf(sched, sizeof(sched), row->chunk ? "%s,%d" : "%s", row->schedule, row->chunk);
    printf("%-14s n=%-11zu threads=%-4d", row->kernel, row->n, row->threads);
    if (row->threads_ran > 0 && row->threads_ran < row->threads)
        printf(" ran=%-4d", row->threads_ran);
    if (row->ranks > 1)
        printf(" ranks=%-3d", row->ranks);
    printf(" %-22s", sched);
    if (row->reps)
        printf(" median %.6f s", row->median_s);
    if (!isnan(row->gbps_median))
        printf("  %7.2f GB/s", row->gbps_median);
    if ((c->columns & OSW_TABLE_CPU) && !isnan(row->cpu_per_wall))
        printf("  cpu/wall %5.2f", row->cpu_per_wall);
    if (!isnan(row->speedup))
        printf("  speedup %5.2f", row->speedup);
    if (c->columns & OSW_TABLE_REPS)
        printf("  %d reps (%s)", row->reps, row->stop_reason);
    if ((c->columns & OSW_TABLE_RESULT) && !isnan(row->result))
        printf("  result %.17g", row->result);
    if (c->extra) {
        char extra[128] = "";
        c->extra(c->extra_self, row, extra, sizeof(extra));
        fputs(extra, stdout);
    }
    if (c->columns & OSW_TABLE_STATUS)
        printf("  %s", row->status);
    printf("%s\n", row->verified ? "" : "  UNVERIFIED");
    fflush(stdout);
}

static int console_row(void *self, const osw_config *cfg, const osw_row *row, const double *seconds,
                       char *err)
{
    osw_console *c = self;
    (void)cfg;
    (void)seconds;
    int rc = c->row ? c->row(c->row_self, row, err) : 0;
    if (!row->verified) {
        char why[600], sched[48];
        if (c->failure)
            c->failure(c->failure_self, row, why, sizeof(why));
        else
            snprintf(why, sizeof(why), "FAILED verification (rel_err %.3g)", row->rel_err);
        snprintf(sched, sizeof(sched), row->chunk ? "%s,%d" : "%s", row->schedule, row->chunk);
        clear_progress(c);
        fprintf(stderr, "%s: %s n=%zu threads=%d schedule=%s: %s\n", c->prefix, row->kernel, row->n,
                row->threads, sched, why);
    }
    if (!c->quiet) {
        clear_progress(c);
        table_line(c, row);
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

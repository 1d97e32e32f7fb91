/* run.c: `ompsweep run`: the kernels through the in-process executor. */
#define _GNU_SOURCE
#include "child.h"
#include "commands.h"
#include "error.h"
#include "measure.h"
#include "sweep.h"

#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The out dir while the sweep runs, for runtime_exit. */
static const char *sweeping_out;

/* An OpenMP runtime that cannot create a thread ends the process itself:
 * libgomp prints "Thread creation failed" and calls exit(1), which would
 * read as "a verification failed". osw_threads_start catches that before
 * the sweep; should it happen during the sweep all the same (memory taken
 * since), this exit handler turns it into the resource error it is. */
static void runtime_exit(void)
{
    if (!sweeping_out)
        return;
    fprintf(stderr,
            "ompsweep: the OpenMP runtime ended the sweep (its message is above): a resource "
            "error; finished rows are in %s\n",
            sweeping_out);
    fflush(stderr);
    _exit(OSW_EXIT_RESOURCE);
}

/* The in-process executor's settings from the options (and the arrays'
 * allocation policy and the probe's mode). */
static osw_inproc inproc_settings(const osw_args *a)
{
    osw_alloc_set_policy(
        &(osw_alloc_policy){.huge_pages = a->huge_pages, .array_offset = a->array_offset});
    osw_probe_mode = a->probe ? OSW_PROBE_FULL : OSW_PROBE_OFF;
    return (osw_inproc){.sampling = {.reps = a->reps,
                                     .ci_target = a->reps_auto ? a->ci_target / 100 : 0,
                                     .min_reps = a->min_reps,
                                     .max_reps = a->max_reps,
                                     .max_time_s = a->max_time_s},
                        .warmup = a->warmup,
                        .min_sample_s = osw_cli_min_time(a)};
}

/* `--child INDEX` (child.h): measures that configuration of the plan in
 * this process and writes it to stdout for the parent. */
static int run_child(osw_cli_sweep *s, char *err)
{
    if ((size_t)s->args.child >= s->plan.total) {
        snprintf(err, OSW_ERRLEN, "--child %ld: the plan has %zu configurations", s->args.child,
                 s->plan.total);
        return OSW_EXIT_USAGE;
    }
    osw_inproc x = inproc_settings(&s->args);
    osw_executor ex;
    int rc = osw_inproc_executor(&x, &ex);
    if (rc == 0)
        rc = osw_child_serve(&s->plan, (size_t)s->args.child, &ex, STDOUT_FILENO, err);
    osw_inproc_free(&x);
    return rc ? osw_exit_status(rc) : OSW_EXIT_OK;
}

/* The sweep's plan, settings and executor, then the engine (sweep.h). */
int osw_cli_run_sweep(osw_cli_sweep *s, const osw_sampler *sampler, char *err)
{
    osw_args *a = &s->args;
    osw_inproc x = inproc_settings(a);
    osw_meta *m = &s->meta;
    m->reps = a->reps_auto ? 0 : a->reps;
    m->warmup = a->warmup;
    m->min_sample_s = x.min_sample_s;
    m->reps_auto = a->reps_auto;
    m->ci_target_pct = a->ci_target;
    m->min_reps = a->min_reps;
    m->max_reps = a->max_reps;
    m->max_time_s = a->max_time_s;
    m->huge_pages = a->huge_pages ? "on" : "off";
    m->array_offset = a->array_offset;
    osw_key_settings ks = {.sys = &s->sys,
                           .sampling = &x.sampling,
                           .warmup = a->warmup,
                           .min_sample_s = x.min_sample_s,
                           .huge_pages = a->huge_pages,
                           .array_offset = a->array_offset};
    char key[4096];
    osw_config_key(&ks, key, sizeof(key));

    osw_executor ex;
    osw_inproc_executor(&x, &ex);
    /* Environment axes: every configuration in a child process. */
    osw_child child = {.argv = s->meta.argv,
                       .argc = s->meta.argc,
                       .max_samples = ex.max_samples,
                       .swap = s->args.runtime && strstr(s->args.runtime, "llvm")};
    if (osw_plan_needs_process(&s->plan))
        osw_child_executor(&child, &ex);
    osw_console con = {.prefix = s->prefix,
                       .quiet = a->quiet,
                       .progress = !a->quiet && isatty(STDERR_FILENO) && !getenv("CI"),
                       .columns = (a->reps_auto ? OSW_TABLE_REPS : 0) |
                                  (osw_plan_needs_process(&s->plan) ? OSW_TABLE_ENV : 0),
                       .kernel_width = osw_console_kernel_width(&s->plan)};
    osw_sink sink;
    osw_console_sink(&con, &sink);
    osw_sweep sw = {.plan = &s->plan,
                    .ex = &ex,
                    .sink = &sink,
                    .writer = 1,
                    .out_dir = osw_cli_out_dir(s, "ompsweep"),
                    .force = a->force,
                    .resume = a->resume,
                    .shuffled = a->shuffled,
                    .interleaved = a->interleaved,
                    .block = a->block,
                    .sampler = sampler,
                    .seed = a->seed,
                    .config_key = key,
                    .meta = m};
    osw_cli_catch_signals();
    static int handler_set;
    if (!handler_set)
        handler_set = atexit(runtime_exit) == 0;
    long unverified = 0;
    int sig = 0;
    sweeping_out = sw.out_dir;
    int rc = osw_sweep_run(&sw, &unverified, &sig, err);
    sweeping_out = NULL;
    if (con.progress)
        fputs("\r\033[K", stderr);
    osw_console_finish(&con);
    osw_inproc_free(&x);
    return osw_cli_sweep_status(s, rc, unverified, sig, err, "summary.csv, samples.csv, meta.json");
}

/* seconds as "42 s", "17 min", "3.5 h" or "2.1 days". */
static const char *duration(double seconds, char *buf, size_t len)
{
    if (seconds < 120)
        snprintf(buf, len, "%.3g s", seconds);
    else if (seconds < 7200)
        snprintf(buf, len, "%.0f min", seconds / 60);
    else if (seconds < 172800)
        snprintf(buf, len, "%.1f h", seconds / 3600);
    else
        snprintf(buf, len, "%.1f days", seconds / 86400);
    return buf;
}

/* Estimated seconds of configuration c, given the 1-thread seconds of one
 * call at its n (call1): warm-up, the calibration call and the samples at
 * c's threads (a call taking call1 over the threads, at most the CPUs for a
 * kernel that computes: an optimistic scaling, so that only what cannot be
 * short is refused), then the check, a serial pass. */
static double config_seconds(const osw_cli_sweep *s, const osw_config *c, double call1)
{
    const osw_args *a = &s->args;
    int cpus = s->sys.procs > 0 ? s->sys.procs : 1;
    int scale = c->kernel->kind == OSW_WAITS || c->threads < cpus ? c->threads : cpus;
    double call = call1 / scale, sample = call > osw_cli_min_time(a) ? call : osw_cli_min_time(a);
    double samples = sample * a->reps;
    if (a->reps_auto) {
        /* At least min_reps samples; then up to max_reps within max_time. */
        samples = sample * a->max_reps < a->max_time_s ? sample * a->max_reps : a->max_time_s;
        samples = samples > sample * a->min_reps ? samples : sample * a->min_reps;
    }
    return (a->warmup + 1) * call + samples + call1;
}

/* The longest configuration estimate of the plan, from each kernel's
 * seconds per unit of n (per_unit; NaN: no estimate): its seconds, into
 * *worst and *call1 (its 1-thread call) when given; kernel k only, or every
 * kernel (k < 0); *over counts the configurations over the limit. */
static double longest(const osw_cli_sweep *s, const double *per_unit, long k, osw_config *worst,
                      double *call1, long *over)
{
    double worst_s = 0;
    for (size_t i = 0; i < s->plan.total; i++) {
        osw_config c;
        osw_plan_config(&s->plan, i, &c);
        size_t j = 0;
        while (j < s->nkernels && s->kernels[j] != c.kernel)
            j++;
        if (j == s->nkernels || (k >= 0 && j != (size_t)k) || !(per_unit[j] >= 0))
            continue;
        double one = per_unit[j] * (double)c.n, est = config_seconds(s, &c, one);
        if (over)
            *over += est > s->args.max_config_s;
        if (est > worst_s) {
            worst_s = est;
            if (worst)
                *worst = c;
            if (call1)
                *call1 = one;
        }
    }
    return worst_s;
}

/* The time guard: before anything runs, every configuration's time is
 * estimated from one kernel call timed at a small n and scaled linearly in
 * n (osw_estimate_call_s); the longest over --max-config-time is refused
 * (exit 2) unless --yes. A call of about 1 ms times each kernel first
 * (milliseconds in all, where 10 ms calls would cost a memory-bound kernel
 * a setup of some 100 MB); a kernel whose estimate comes within 8x of the
 * limit is timed again with a call of about 10 ms. Returns 0 or the exit
 * status with err set. */
static int time_guard(const osw_cli_sweep *s, char *err)
{
    const osw_args *a = &s->args;
    if (a->yes || s->plan.total == 0)
        return 0;
    double *per_unit = calloc(s->nkernels, sizeof(*per_unit));
    if (!per_unit)
        return 0; /* no estimate: the sweep goes on as before */
    for (size_t i = 0; i < s->nkernels; i++) {
        /* Timed once, at the kernel's largest n. */
        size_t n = s->kernels[i]->default_n;
        for (size_t j = 0; s->sizes && j < s->nsizes; j++)
            n = j == 0 || s->sizes[j] > n ? s->sizes[j] : n;
        per_unit[i] = osw_estimate_call_s(s->kernels[i], n, 1e-3) / (double)n;
        if (longest(s, per_unit, (long)i, NULL, NULL, NULL) > a->max_config_s / 8)
            per_unit[i] = osw_estimate_call_s(s->kernels[i], n, 1e-2) / (double)n;
    }
    osw_config worst;
    double call1 = 0;
    long over = 0;
    double worst_s = longest(s, per_unit, -1, &worst, &call1, &over);
    free(per_unit);
    if (!(worst_s > a->max_config_s))
        return 0;
    char total[32], call[32], limit[32], more[64] = "";
    if (over > 1)
        snprintf(more, sizeof(more), " (and %ld more configuration%s over it)", over - 1,
                 over == 2 ? "" : "s");
    snprintf(err, OSW_ERRLEN,
             "%s n=%zu threads=%d %s would take about %s (one call: about %s on 1 thread), "
             "over the %s allowed per configuration%s: raise the limit with --max-config-time "
             "SEC, or run it anyway with --yes",
             worst.label, worst.n, worst.threads, worst.schedule->name,
             duration(worst_s, total, sizeof(total)), duration(call1, call, sizeof(call)),
             duration(a->max_config_s, limit, sizeof(limit)), more);
    return OSW_EXIT_USAGE;
}

/* What refuses the sweep before anything is written, each in one line and
 * before the warnings: arrays that do not fit in memory, threads the
 * runtime cannot start (3), a configuration estimated to take longer than
 * --max-config-time (2). Returns 0 or the exit status with err set. */
static int refusals(osw_cli_sweep *s, char *err)
{
    int rc = osw_check_memory(&s->plan, 1, 1, err);
    /* Before this process's first parallel region: the probe forks. */
    int max_threads = s->plan.threads[s->nthreads - 1];
    if (rc == 0 && max_threads > 1)
        rc = osw_threads_start(max_threads, err);
    if (rc)
        return osw_exit_status(rc);
    return time_guard(s, err);
}

int osw_cmd_run(int argc, char **argv, int full_argc, char **full_argv)
{
    osw_cli_sweep s;
    char err[OSW_ERRLEN] = "";
    int status =
        osw_cli_sweep_begin(&s, OSW_CMD_RUN, "ompsweep", 1, argc, argv, full_argc, full_argv, 1);
    if (status >= 0)
        return status;
    if (s.args.child >= 0)
        s.speak = 0; /* the parent has said it all */
    /* Flags for pow2/all count the physical cores; the default list also
     * stays within the CPUs this process may use. */
    int usable = s.sys.cores < s.sys.procs ? s.sys.cores : s.sys.procs;
    status = osw_cli_sweep_lists(&s, s.sys.cores, usable, err);
    if (status == 0)
        status = osw_cli_sweep_plan(&s, NULL, err);
    if (status == 0 && s.args.child >= 0) {
        status = run_child(&s, err);
        if (status)
            fprintf(stderr, "ompsweep (child): %s\n", err);
        osw_cli_sweep_free(&s);
        return status;
    }
    if (status == 0 && s.args.interleaved && osw_plan_needs_process(&s.plan)) {
        snprintf(err, sizeof(err),
                 "--order interleaved measures configurations in this process in blocks of "
                 "samples, and environment axes (--bind, --places, --env, ...) need a process "
                 "per configuration: set those variables for the whole run, or use --order "
                 "shuffled");
        status = OSW_EXIT_USAGE;
    }
    if (status == 0)
        status = refusals(&s, err);
    if (status == 0) {
        osw_cli_sweep_warnings(&s, 1, s.plan.threads[s.nthreads - 1]);
        status = osw_cli_run_sweep(&s, NULL, err);
    } else {
        fprintf(stderr, "ompsweep: %s\n", err);
    }
    osw_cli_sweep_free(&s);
    return status;
}

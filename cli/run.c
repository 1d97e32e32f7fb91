/* run.c: `ompsweep run`: the kernels through the in-process executor. */
#define _GNU_SOURCE
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

/* A seed from the clock and the process id, kept to 53 bits (see --seed). */
static unsigned long long clock_seed(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return osw_rng((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec,
                   (uint64_t)getpid()) >>
           11;
}

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

/* The sweep's plan, settings and executor, then the engine. */
static int run_sweep(osw_cli_sweep *s, char *err)
{
    osw_args *a = &s->args;
    osw_inproc x = {.sampling = {.reps = a->reps,
                                 .ci_target = a->reps_auto ? a->ci_target / 100 : 0,
                                 .min_reps = a->min_reps,
                                 .max_reps = a->max_reps,
                                 .max_time_s = a->max_time_s},
                    .warmup = a->warmup,
                    .min_sample_s = osw_cli_min_time(a)};
    osw_alloc_set_policy(
        &(osw_alloc_policy){.huge_pages = a->huge_pages, .array_offset = a->array_offset});
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
    osw_console con = {.prefix = s->prefix,
                       .quiet = a->quiet,
                       .progress = !a->quiet && isatty(STDERR_FILENO) && !getenv("CI"),
                       .columns = a->reps_auto ? OSW_TABLE_REPS : 0};
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
    osw_inproc_free(&x);
    return osw_cli_sweep_status(s, rc, unverified, sig, err, "summary.csv, samples.csv, meta.json");
}

/* What refuses the sweep before anything is written, each in one line and
 * before the warnings: arrays that do not fit in memory, threads the
 * runtime cannot start (3). Returns 0 or the exit status with err set. */
static int refusals(osw_cli_sweep *s, char *err)
{
    int rc = osw_check_memory(&s->plan, 1, 1, err);
    /* Before this process's first parallel region: the probe forks. */
    int max_threads = s->plan.threads[s->nthreads - 1];
    if (rc == 0 && max_threads > 1)
        rc = osw_threads_start(max_threads, err);
    return rc ? osw_exit_status(rc) : 0;
}

int osw_cmd_run(int argc, char **argv, int full_argc, char **full_argv)
{
    osw_cli_sweep s;
    char err[OSW_ERRLEN] = "";
    int status =
        osw_cli_sweep_begin(&s, OSW_CMD_RUN, "ompsweep", 1, argc, argv, full_argc, full_argv, 1);
    if (status >= 0)
        return status;
    if (s.args.shuffled && !s.args.seed_given)
        s.args.seed = clock_seed();
    /* Flags for pow2/all count the physical cores; the default list also
     * stays within the CPUs this process may use. */
    int usable = s.sys.cores < s.sys.procs ? s.sys.cores : s.sys.procs;
    status = osw_cli_sweep_lists(&s, s.sys.cores, usable, err);
    if (status == 0)
        status = osw_cli_sweep_plan(&s, NULL, err);
    if (status == 0)
        status = refusals(&s, err);
    if (status == 0) {
        osw_cli_sweep_warnings(&s, 1, s.plan.threads[s.nthreads - 1]);
        status = run_sweep(&s, err);
    } else {
        fprintf(stderr, "ompsweep: %s\n", err);
    }
    osw_cli_sweep_free(&s);
    return status;
}

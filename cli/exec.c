/* exec.c: `ompsweep exec [options] -- PROGRAM ARGS...`: an external OpenMP
 * program through the external-program executor (lib/external.h), swept
 * over sizes, OMP_PROC_BIND (with OMP_PLACES), schedules and threads; the
 * same summary.csv, samples.csv and meta.json as `ompsweep run`, plus
 * exec.json and logs/. See docs/cli.md, "Tuning your own program". */
#define _GNU_SOURCE
#include "commands.h"
#include "error.h"
#include "external.h"
#include "sweep.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const exec_files[] = {"exec.json", NULL};

/* Compiles --metric (PCRE2) into x. Returns 0 or an exit status with err set. */
static int compile_metric(osw_external *x, const char *text, char *err)
{
    if (!text)
        return 0;
    int rc = osw_external_metric(x, text, err, OSW_ERRLEN);
    return rc == 0 ? 0 : rc == OSW_EUSAGE ? OSW_EXIT_USAGE : osw_exit_status(rc);
}

/* Sets up --check (regex, --rtol, the reference) in x and records it in
 * meta.json. Returns 0 or an exit status with err set. */
static int setup_check(osw_cli_sweep *s, osw_external *x, cJSON **meta_check, char *err)
{
    const osw_args *a = &s->args;
    if (!a->check) {
        if (a->expect || a->check_ref_cmd || a->rtol >= 0) {
            snprintf(err, OSW_ERRLEN, "%s needs --check REGEX",
                     a->expect          ? "--expect"
                     : a->check_ref_cmd ? "--check-ref-cmd"
                                        : "--rtol");
            return OSW_EXIT_USAGE;
        }
        return 0;
    }
    if (a->expect && a->check_ref_cmd) {
        snprintf(err, OSW_ERRLEN, "--expect and --check-ref-cmd are two references: give one");
        return OSW_EXIT_USAGE;
    }
    if (!a->expect && !a->check_ref_cmd) {
        /* The reference is each series' 1-thread run: it must be in the plan
         * and come first. */
        if (s->plan.threads[0] != 1) {
            snprintf(err, OSW_ERRLEN,
                     "--check compares with the 1-thread runs, but --threads has no 1: add 1, "
                     "or give --expect or --check-ref-cmd");
            return OSW_EXIT_USAGE;
        }
    }
    int rc = osw_check_new(&x->check, a->check, a->rtol, err, OSW_ERRLEN);
    if (rc == 0 && a->expect)
        rc = osw_check_expect(x->check, a->expect, err, OSW_ERRLEN);
    if (rc == 0 && a->check_ref_cmd)
        rc = osw_check_ref_cmd(x->check, a->check_ref_cmd, x->timeout, err, OSW_ERRLEN);
    if (rc)
        return rc == OSW_EUSAGE ? OSW_EXIT_USAGE : osw_exit_status(rc);
    cJSON *extra = cJSON_CreateObject();
    cJSON_AddItemToObject(extra, "check", osw_check_json(x->check));
    *meta_check = extra;
    s->meta.extra = extra;
    return 0;
}

static void exec_failure(void *self, const osw_row *row, char *buf, size_t len)
{
    const osw_external *x = self;
    (void)row;
    snprintf(buf, len, "%s", x->failure[0] ? x->failure : "fewer runs than --reps");
}

/* Runs the sweep through the engine and writes exec.json. */
int osw_cli_exec_sweep(osw_cli_sweep *s, osw_external *x, const char *label,
                       const osw_sampler *sampler, char *err)
{
    osw_executor ex;
    int rc = osw_external_executor(x, &ex, err);
    if (rc)
        return osw_cli_sweep_status(s, rc, 0, 0, err, "");
    osw_console con = {.prefix = s->prefix,
                       .quiet = s->args.quiet,
                       .progress = !s->args.quiet && isatty(STDERR_FILENO) && !getenv("CI"),
                       .columns = OSW_TABLE_CPU | OSW_TABLE_STATUS |
                                  (osw_plan_needs_process(&s->plan) ? OSW_TABLE_ENV : 0),
                       .kernel_width = osw_console_kernel_width(&s->plan),
                       .failure = exec_failure,
                       .failure_self = x};
    osw_sink sink;
    osw_console_sink(&con, &sink);
    const char *out = osw_cli_out_dir(s, "ompsweep-exec");
    osw_sweep sw = {.plan = &s->plan,
                    .ex = &ex,
                    .sink = &sink,
                    .writer = 1,
                    .out_dir = out,
                    .force = s->args.force,
                    .shuffled = s->args.shuffled,
                    .interleaved = s->args.interleaved,
                    .block = s->args.block,
                    .sampler = sampler,
                    .seed = s->args.seed,
                    .extra_files = exec_files,
                    .meta = &s->meta};
    long unverified = 0;
    int sig = 0;
    rc = osw_sweep_run(&sw, &unverified, &sig, err);
    if (con.progress)
        fputs("\r\033[K", stderr);
    osw_console_finish(&con);
    if (rc == 0 || rc == OSW_EINTR) {
        int jrc = osw_write_exec_json(x, out, label, &s->plan, s->args.metric);
        if (jrc && rc == 0) {
            rc = jrc;
            snprintf(err, OSW_ERRLEN, "writing exec.json in '%.160s': %s", out, strerror(-jrc));
        }
    }
    osw_external_free(x);
    return osw_cli_sweep_status(s, rc, unverified, sig, err,
                                x->regions
                                    ? "summary.csv, samples.csv, meta.json, exec.json, "
                                      "logs/, regions.csv, regions/"
                                    : "summary.csv, samples.csv, meta.json, exec.json, logs/");
}

/* Warnings only exec gives. */
static void exec_warnings(osw_cli_sweep *s, const osw_external *x)
{
    if (s->nsizes > 1 && !osw_external_takes_n(x))
        osw_cli_warn(s, 1,
                     "--sizes lists %zu sizes but no argument contains {n}: the sizes are labels "
                     "only",
                     s->nsizes);
}

int osw_cli_exec_prepare(osw_cli_sweep *s, osw_external *x, char *label, size_t label_len,
                         cJSON **meta_check, char *err)
{
    memset(x, 0, sizeof(*x));
    x->argv = s->args.operands;
    x->argc = s->args.noperands;
    x->timeout = s->args.timeout_s;
    x->reps = s->args.reps;
    x->warmup = s->args.warmup;
    x->devnull = -1;
    x->with_n = s->args.sizes != NULL;
    x->regions = s->args.regions;
    s->meta.reps = x->reps;
    s->meta.warmup = x->warmup;
    osw_program_label(x->argv[0], label, label_len - 16);
    int cores = s->sys.cores < s->sys.procs ? s->sys.cores : s->sys.procs;
    int status = osw_cli_sweep_lists(s, s->sys.cores, cores, err);
    if (status == 0)
        status = compile_metric(x, s->args.metric, err);
    if (status == 0)
        status = osw_cli_sweep_plan(s, label, err);
    for (size_t e = 0; status == 0 && e < s->nenvs; e++)
        for (size_t v = 0; strcmp(s->envs[e].name, "runtime") == 0 && v < s->envs[e].count; v++)
            x->llvm |= strcmp(s->envs[e].values[v], "llvm") == 0;
    if (status == 0)
        status = setup_check(s, x, meta_check, err);
    if (status == 0 && x->regions && s->args.interleaved) {
        /* the profile of a configuration is read after its last run */
        snprintf(err, OSW_ERRLEN,
                 "--regions measures each configuration whole: use --order sequential or "
                 "shuffled");
        status = OSW_EXIT_USAGE;
    }
    return status;
}

int osw_cmd_exec(int argc, char **argv, int full_argc, char **full_argv)
{
    osw_cli_sweep s;
    char err[OSW_ERRLEN] = "";
    int status = osw_cli_sweep_begin(&s, OSW_CMD_EXEC, "ompsweep exec", 1, argc, argv, full_argc,
                                     full_argv, 1);
    if (status >= 0)
        return status;
    osw_external x;
    char label[64];
    cJSON *meta_check = NULL;
    status = osw_cli_exec_prepare(&s, &x, label, sizeof(label), &meta_check, err);
    if (status == 0) {
        osw_cli_sweep_warnings(&s, 1, s.plan.threads[s.nthreads - 1]);
        exec_warnings(&s, &x);
        if (x.regions && !s.args.quiet && !s.args.runtime)
            fprintf(stderr,
                    "ompsweep exec: --regions: every configuration runs on LLVM's libomp (GNU "
                    "libgomp has no OMPT), through the swap folder OUT/runtime\n");
        if (x.regions && s.args.runtime && strstr(s.args.runtime, "gomp"))
            osw_cli_warn(&s, 1,
                         "--regions: GNU libgomp has no OMPT: the runtime=gomp configurations "
                         "get no region profile (regions.csv holds the llvm ones)");
        osw_cli_catch_signals(); /* the executor takes them over while it runs */
        status = osw_cli_exec_sweep(&s, &x, label, NULL, err);
    } else {
        fprintf(stderr, "ompsweep exec: %s\n", err);
        osw_external_free(&x);
    }
    osw_cli_sweep_free(&s);
    cJSON_Delete(meta_check);
    return status;
}

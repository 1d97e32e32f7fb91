/* main.c: the ompsweep command line. The only place that prints diagnostics
 * and decides the exit status (see error.h). */
#define _GNU_SOURCE
#include "commands.h"
#include "csv.h"
#include "error.h"
#include "import_gbench.h"
#include "meta.h"
#include "parse.h"
#include "sweep.h"
#include "sysinfo.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef OSW_VERSION
#define OSW_VERSION "unknown"
#endif

static const char usage_text[] =
    "usage: ompsweep list\n"
    "       ompsweep run [options]\n"
    "       ompsweep import-gbench FILE.json --out DIR [--force]\n"
    "       ompsweep compare BASE_DIR NEW_DIR [--csv] [--alpha A] [--min-effect PCT]\n"
    "                        [--threshold PCT]\n"
    "       ompsweep exec [options] -- PROGRAM ARGS...   (ompsweep exec --help)\n"
    "       ompsweep tune DIR [--json]                    (ompsweep tune --help)\n"
    "       ompsweep --help | --version\n"
    "\n"
    "run options (an explicit flag wins over the OMP_* environment):\n"
    "  --kernels LIST    all, or names from `ompsweep list` (default: all)\n"
    "  --sizes LIST      1e6, 2^24, 100M, 16Mi, ... (default: each kernel's own size)\n"
    "  --threads LIST    1,2,4-16  1-16:2  pow2  all (default: OMP_NUM_THREADS, else pow2\n"
    "                    up to the physical cores plus the core count)\n"
    "  --schedules LIST  static, dynamic:64, guided:8, auto, nonmonotonic:dynamic:1,\n"
    "                    monotonic:static, dynamic:1,4,16 (chunk lists), dynamic:pow2\n"
    "                    (default: OMP_SCHEDULE, else static,dynamic:1024,guided)\n"
    "  --reps N|auto     timed samples per configuration (default 10); auto: sample\n"
    "                    until the median's 95% CI is narrow enough (below)\n"
    "  --ci-target PCT   auto: stop once (ci_hi - ci_lo) / median <= PCT% (default 2)\n"
    "  --min-reps N      auto: at least N samples (default 10)\n"
    "  --max-reps N      auto: at most N samples (default 200)\n"
    "  --max-time SEC    auto: per-configuration time budget (default 10)\n"
    "  --warmup N        discarded runs before timing (default 1)\n"
    "  --min-time SEC    shortest sample; shorter runs repeat inside one sample\n"
    "                    (default max(100 us, 1000 timer ticks))\n"
    "  --out DIR         output directory (default ompsweep-HOST-YYYYmmdd-HHMMSS)\n"
    "  --force           replace results in a non-empty --out directory\n"
    "  --resume          measure only the configurations --out lacks (same build and\n"
    "                    settings), repairing rows a killed run left half written\n"
    "  --order ORDER     sequential (default) or shuffled: configurations in a random\n"
    "                    order, speedups filled in at the end\n"
    "  --seed N          shuffled: the order's seed (default: from the clock), kept in\n"
    "                    meta.json\n"
    "  --huge-pages on|off  on (default): advise the kernels' arrays for transparent\n"
    "                    huge pages; off: advise against them (4 KiB pages); the\n"
    "                    share THP backed is the huge_page_share column\n"
    "  --array-offset B  the k-th array of a kernel starts k*B bytes past its 2 MiB\n"
    "                    boundary (B a multiple of 64, up to 1 GiB; default 0)\n"
    "  --quiet           no table on stdout, no progress line\n"
    "\n"
    "exit status: 0 all verified, 1 a verification failed, 2 usage error,\n"
    "             3 resource error (memory, disk, output directory), 4 compare found a\n"
    "             significant slowdown beyond --threshold, 130/143 interrupted\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("ompsweep: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see ompsweep --help)\n", stderr);
    return OSW_EXIT_USAGE;
}

static int cmd_list(void)
{
    int width = (int)strlen("kernel");
    for (size_t i = 0; i < osw_kernel_count; i++)
        if ((int)strlen(osw_kernels[i]->name) > width)
            width = (int)strlen(osw_kernels[i]->name);
    printf("%-*s %-9s %6s %6s  %-10s %s\n", width, "kernel", "bound", "B/unit", "ops", "default_n",
           "summary");
    for (size_t i = 0; i < osw_kernel_count; i++) {
        const osw_kernel *k = osw_kernels[i];
        printf("%-*s %-9s %6.0f %6.0f  %-10zu %s (n: %s)\n", width, k->name, osw_kind_name(k->kind),
               k->bytes_per_elem, k->ops_per_elem, k->default_n, k->summary, k->unit);
    }
    return OSW_EXIT_OK;
}

/* Strict positive integer option value. */
static int parse_int_opt(const char *flag, const char *text, int min, int max, int *out)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (!*text || *end || v < min || v > max) {
        fprintf(stderr, "ompsweep: %s '%s' must be a whole number in %d..%d\n", flag, text, min,
                max);
        return OSW_EXIT_USAGE;
    }
    *out = (int)v;
    return 0;
}

static void on_signal(int sig)
{
    osw_stop_signal = sig;
}

enum {
    OPT_KERNELS = 256,
    OPT_SIZES,
    OPT_THREADS,
    OPT_SCHEDULES,
    OPT_REPS,
    OPT_WARMUP,
    OPT_MIN_TIME,
    OPT_OUT,
    OPT_FORCE,
    OPT_QUIET,
    OPT_CI_TARGET,
    OPT_MIN_REPS,
    OPT_MAX_REPS,
    OPT_MAX_TIME,
    OPT_ORDER,
    OPT_SEED,
    OPT_HUGE_PAGES,
    OPT_ARRAY_OFFSET,
    OPT_RESUME
};

static const struct option run_options[] = {
    {"kernels", required_argument, NULL, OPT_KERNELS},
    {"sizes", required_argument, NULL, OPT_SIZES},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"schedules", required_argument, NULL, OPT_SCHEDULES},
    {"reps", required_argument, NULL, OPT_REPS},
    {"warmup", required_argument, NULL, OPT_WARMUP},
    {"min-time", required_argument, NULL, OPT_MIN_TIME},
    {"out", required_argument, NULL, OPT_OUT},
    {"force", no_argument, NULL, OPT_FORCE},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"ci-target", required_argument, NULL, OPT_CI_TARGET},
    {"min-reps", required_argument, NULL, OPT_MIN_REPS},
    {"max-reps", required_argument, NULL, OPT_MAX_REPS},
    {"max-time", required_argument, NULL, OPT_MAX_TIME},
    {"order", required_argument, NULL, OPT_ORDER},
    {"seed", required_argument, NULL, OPT_SEED},
    {"huge-pages", required_argument, NULL, OPT_HUGE_PAGES},
    {"array-offset", required_argument, NULL, OPT_ARRAY_OFFSET},
    {"resume", no_argument, NULL, OPT_RESUME},
    {NULL, 0, NULL, 0},
};

static int cmd_run(int argc, char **argv, int full_argc, char **full_argv)
{
    const char *kernels_text = "all", *sizes_text = NULL, *threads_text = NULL;
    const char *schedules_text = NULL, *out_dir = NULL;
    int reps = 10, warmup = 1, force = 0, quiet = 0, status;
    double min_time = -1;
    /* Adaptive sampling, order, resume; an adaptive-only flag given without
     * --reps auto is named in adaptive_flag and refused. */
    int reps_auto = 0, min_reps = 10, max_reps = 200, resume = 0, shuffled = 0, seed_given = 0;
    int no_huge_pages = 0;
    size_t array_offset = 0;
    double ci_target_pct = 2, max_time = 10;
    const char *adaptive_flag = NULL;
    unsigned long long seed = 0;
    char err[OSW_ERRLEN] = "";

    opterr = 0;
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, ":", run_options, NULL)) != -1) {
        switch (opt) {
        case OPT_KERNELS:
            kernels_text = optarg;
            break;
        case OPT_SIZES:
            sizes_text = optarg;
            break;
        case OPT_THREADS:
            threads_text = optarg;
            break;
        case OPT_SCHEDULES:
            schedules_text = optarg;
            break;
        case OPT_REPS:
            reps_auto = strcmp(optarg, "auto") == 0;
            if (!reps_auto && (status = parse_int_opt("--reps", optarg, 1, 1000000, &reps)))
                return status;
            break;
        case OPT_CI_TARGET:
        case OPT_MAX_TIME: {
            char *end;
            double v = strtod(optarg, &end);
            const char *flag = opt == OPT_CI_TARGET ? "--ci-target" : "--max-time";
            double hi = opt == OPT_CI_TARGET ? 100 : 86400;
            if (!*optarg || *end || !(v > 0 && v <= hi)) {
                fprintf(stderr,
                        "ompsweep: %s '%s' must be a number in (0, %g] (see ompsweep --help)\n",
                        flag, optarg, hi);
                return OSW_EXIT_USAGE;
            }
            *(opt == OPT_CI_TARGET ? &ci_target_pct : &max_time) = v;
            adaptive_flag = flag;
            break;
        }
        case OPT_MIN_REPS:
            if ((status = parse_int_opt("--min-reps", optarg, 1, 1000000, &min_reps)))
                return status;
            adaptive_flag = "--min-reps";
            break;
        case OPT_MAX_REPS:
            if ((status = parse_int_opt("--max-reps", optarg, 1, 1000000, &max_reps)))
                return status;
            adaptive_flag = "--max-reps";
            break;
        case OPT_ORDER:
            if (strcmp(optarg, "sequential") != 0 && strcmp(optarg, "shuffled") != 0)
                return usage_error("--order '%s' must be sequential or shuffled", optarg);
            shuffled = strcmp(optarg, "shuffled") == 0;
            break;
        case OPT_SEED:
            /* Up to 2^53 - 1, so that every JSON reader keeps it exact. */
            if (!osw_parse_u64(optarg, (1ull << 53) - 1, &seed))
                return usage_error("--seed '%s' must be a whole number in 0..2^53-1", optarg);
            seed_given = 1;
            break;
        case OPT_RESUME:
            resume = 1;
            break;
        case OPT_HUGE_PAGES: {
            int on;
            if (osw_parse_huge_pages(optarg, &on, err))
                return usage_error("%s", err);
            no_huge_pages = !on;
            break;
        }
        case OPT_ARRAY_OFFSET:
            if (osw_parse_array_offset(optarg, &array_offset, err))
                return usage_error("%s", err);
            break;
        case OPT_WARMUP:
            if ((status = parse_int_opt("--warmup", optarg, 0, 1000000, &warmup)))
                return status;
            break;
        case OPT_MIN_TIME: {
            char *end;
            min_time = strtod(optarg, &end);
            if (!*optarg || *end || !(min_time >= 0 && min_time <= 60))
                return usage_error("--min-time '%s' must be seconds in 0..60", optarg);
            break;
        }
        case OPT_OUT:
            if (!*optarg)
                return usage_error("%s", "--out needs a directory name");
            out_dir = optarg;
            break;
        case OPT_FORCE:
            force = 1;
            break;
        case OPT_QUIET:
            quiet = 1;
            break;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default: {
            /* A short option has optopt set; a long one is argv[optind - 1]. */
            char shortopt[3] = {'-', (char)optopt, '\0'};
            return usage_error("unknown option '%s'", optopt ? shortopt : argv[optind - 1]);
        }
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (adaptive_flag && !reps_auto)
        return usage_error("%s applies only with --reps auto", adaptive_flag);
    if (reps_auto && max_reps < min_reps) {
        fprintf(stderr, "ompsweep: --max-reps %d is below --min-reps %d (see ompsweep --help)\n",
                max_reps, min_reps);
        return OSW_EXIT_USAGE;
    }
    if (seed_given && !shuffled)
        return usage_error("%s", "--seed applies only with --order shuffled");
    if (resume && force)
        return usage_error("%s", "--resume keeps the results in --out, --force replaces them: "
                                 "choose one");
    if (resume && !out_dir)
        return usage_error("%s", "--resume needs the --out directory of the run to resume");
    if (shuffled && !seed_given) {
        /* From the clock and the process id, kept to 53 bits (see --seed). */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        seed = osw_rng((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec,
                       (uint64_t)getpid()) >>
               11;
    }

    osw_sysinfo sys;
    osw_sysinfo_read(&sys);
    osw_meta meta = {.sys = &sys, .argc = full_argc, .argv = full_argv, .ranks = 1};
    char started[32];
    meta.started = osw_now_iso(started, sizeof(started));

    const osw_kernel **kernels = NULL;
    size_t nkernels = 0, nsizes = 0, nthreads = 0, nschedules = 0;
    size_t *sizes = NULL;
    int *threads = NULL;
    osw_schedule *schedules = NULL;
    int rc = osw_parse_kernels(kernels_text, &kernels, &nkernels, err);
    if (rc == 0 && sizes_text)
        rc = osw_parse_sizes(sizes_text, &sizes, &nsizes, err);
    char warn_threads[OSW_WARNLEN] = "", warn_sched[OSW_WARNLEN] = "";
    /* Flags for pow2/all count the physical cores; the default list also stays
     * within the CPUs this process may use. */
    int usable = sys.cores < sys.procs ? sys.cores : sys.procs;
    if (rc == 0)
        rc = osw_pick_threads(threads_text, osw_env_num_threads(), sys.cores, usable, &threads,
                              &nthreads, &meta.threads_source, warn_threads, err);
    if (rc == 0)
        rc = osw_pick_schedules(schedules_text, getenv("OMP_SCHEDULE"), &schedules, &nschedules,
                                &meta.schedules_source, warn_sched, err);
    if (rc) {
        fprintf(stderr, "ompsweep: %s\n", rc == OSW_EUSAGE ? err : osw_strerror(rc));
        status = osw_exit_status(rc);
        goto done;
    }
    for (const char *w = warn_threads; w; w = w == warn_threads ? warn_sched : NULL)
        if (*w) {
            fprintf(stderr, "ompsweep: warning: %s\n", w);
            meta.warnings[meta.nwarnings++] = w;
        }

    /* Warnings once per run, in stderr and meta.json. */
    static char warn_bind[160], warn_over[200];
    if (omp_get_proc_bind() == omp_proc_bind_false) {
        snprintf(warn_bind, sizeof(warn_bind),
                 "threads are not bound to CPUs (set OMP_PROC_BIND=close OMP_PLACES=cores for "
                 "repeatable figures)");
        meta.warnings[meta.nwarnings++] = warn_bind;
    }
    int max_threads = 0;
    for (size_t i = 0; i < nthreads; i++)
        max_threads = threads[i] > max_threads ? threads[i] : max_threads;
    int compute_kernel = 0;
    for (size_t i = 0; i < nkernels; i++)
        compute_kernel |= kernels[i]->kind != OSW_WAITS;
    if (max_threads > sys.procs && compute_kernel) {
        snprintf(warn_over, sizeof(warn_over),
                 "%d threads oversubscribe the %d CPUs available: compute and memory kernels "
                 "will time-share cores",
                 max_threads, sys.procs);
        meta.warnings[meta.nwarnings++] = warn_over;
    }
    /* Threads beyond the physical cores share them (SMT): a CPU-bound kernel
     * then measures hardware threads, not cores. */
    static char warn_smt[240];
    int cpu_kernel = 0;
    for (size_t i = 0; i < nkernels; i++)
        cpu_kernel |= kernels[i]->kind == OSW_CPU_BOUND;
    int ncpu = 0, *core_of = osw_cpu_core_map(&ncpu);
    int cores_avail = osw_cores_available(core_of, ncpu);
    free(core_of);
    if (cpu_kernel && cores_avail > 0 && max_threads > cores_avail &&
        meta.nwarnings < OSW_MAX_WARNINGS) {
        snprintf(warn_smt, sizeof(warn_smt),
                 "%d threads exceed the %d physical core%s available: for cpu-bound kernels, "
                 "threads beyond %d share cores, so their speedup is not core scaling",
                 max_threads, cores_avail, cores_avail == 1 ? "" : "s", cores_avail);
        meta.warnings[meta.nwarnings++] = warn_smt;
    }
    for (int i = (*warn_threads != 0) + (*warn_sched != 0); i < meta.nwarnings; i++)
        fprintf(stderr, "ompsweep: warning: %s\n", meta.warnings[i]);

    char default_out[512];
    if (!out_dir) {
        char stamp[32];
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
        snprintf(default_out, sizeof(default_out), "ompsweep-%s-%s", sys.host, stamp);
        out_dir = default_out;
    }
    if (min_time < 0) {
        min_time = 1000 * omp_get_wtick();
        if (min_time < 100e-6)
            min_time = 100e-6;
    }
    meta.reps = reps_auto ? 0 : reps;
    meta.warmup = warmup;
    meta.min_sample_s = min_time;

    osw_sweep_opts opts = {
        .kernels = kernels,
        .nkernels = nkernels,
        .sizes = sizes,
        .nsizes = nsizes,
        .threads = threads,
        .nthreads = nthreads,
        .schedules = schedules,
        .nschedules = nschedules,
        .reps = reps,
        .warmup = warmup,
        .min_sample_s = min_time,
        .out_dir = out_dir,
        .force = force,
        .progress = !quiet && isatty(STDERR_FILENO) && !getenv("CI"),
        .quiet = quiet,
        .meta = &meta,
        .sys = &sys,
        .reps_auto = reps_auto,
        .ci_target = ci_target_pct / 100,
        .min_reps = min_reps,
        .max_reps = max_reps,
        .max_time_s = max_time,
        .order = shuffled ? OSW_ORDER_SHUFFLED : OSW_ORDER_SEQUENTIAL,
        .seed = seed,
        .resume = resume,
        .no_huge_pages = no_huge_pages,
        .array_offset = array_offset,
    };
    rc = osw_sweep_check(&opts, err);
    if (rc) {
        fprintf(stderr, "ompsweep: %s\n", err);
        status = osw_exit_status(rc);
        goto done;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    /* The first signal lets the current configuration finish; it may be
     * long (hours at 2^40 elements), so a second one kills at once: the
     * rows already written stay whole. */
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    int unverified = 0;
    rc = osw_sweep_run(&opts, &unverified, err);
    if (rc == OSW_EINTR) {
        fprintf(stderr, "ompsweep: interrupted by signal %d; finished rows are in %s\n",
                (int)osw_stop_signal, out_dir);
        status = 128 + (int)osw_stop_signal;
    } else if (rc) {
        fprintf(stderr, "ompsweep: %s\n", err[0] ? err : osw_strerror(rc));
        status = osw_exit_status(rc);
    } else if (unverified) {
        fprintf(stderr, "ompsweep: %d configuration(s) failed verification (verified=0 in %s)\n",
                unverified, out_dir);
        status = OSW_EXIT_VERIFY;
    } else {
        if (!quiet)
            fprintf(stderr, "ompsweep: results in %s/ (summary.csv, samples.csv, meta.json)\n",
                    out_dir);
        status = OSW_EXIT_OK;
    }
done:
    free(kernels);
    free(sizes);
    free(threads);
    free(schedules);
    return status;
}

static int cmd_import_gbench(int argc, char **argv)
{
    const char *input = NULL, *out_dir = NULL;
    int force = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out_dir = argv[++i];
        else if (strncmp(argv[i], "--out=", 6) == 0)
            out_dir = argv[i] + 6;
        else if (strcmp(argv[i], "--force") == 0)
            force = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return usage_error("import-gbench: unknown option '%s'", argv[i]);
        else if (!input)
            input = argv[i];
        else
            return usage_error("import-gbench: unexpected argument '%s'", argv[i]);
    }
    if (!input || !out_dir)
        return usage_error("%s", "import-gbench needs FILE.json and --out DIR");
    char err[256] = "";
    int rc = osw_import_gbench(input, out_dir, force, err);
    if (rc) {
        fprintf(stderr, "ompsweep: %s\n", err[0] ? err : osw_strerror(rc));
        return osw_exit_status(rc);
    }
    return OSW_EXIT_OK;
}

/* Whether text is a list of counts, "4" or "4,2", as the OpenMP runtimes
 * parse it. */
static int num_threads_parses(const char *text)
{
    const char *p = text;
    for (;;) {
        p += strspn(p, " \t");
        size_t digits = strspn(p, "0123456789");
        if (digits == 0)
            return 0;
        p += digits;
        p += strspn(p, " \t");
        if (*p == '\0')
            return 1;
        if (*p++ != ',')
            return 0;
    }
}

/* clang's OpenMP runtime (libomp) warns about an OMP_NUM_THREADS it cannot
 * parse and then, in about half the runs, aborts on an internal assertion
 * (kmp_runtime.cpp, max_nproc >= new_nproc). So before any OpenMP call a
 * malformed value is moved to OSW_SAVED_NUM_THREADS and the program starts
 * again without it; the commands read it from there and warn about it as
 * they would about the original (osw_env_num_threads). */
static void restart_without_bad_num_threads(char **argv)
{
    const char *value = getenv("OMP_NUM_THREADS");
    if (value && *value && !num_threads_parses(value)) {
        setenv(OSW_SAVED_NUM_THREADS, value, 1);
        unsetenv("OMP_NUM_THREADS");
        execv("/proc/self/exe", argv);
        setenv("OMP_NUM_THREADS", getenv(OSW_SAVED_NUM_THREADS), 1); /* no restart: as it was */
        unsetenv(OSW_SAVED_NUM_THREADS);
    }
}

int main(int argc, char **argv)
{
    restart_without_bad_num_threads(argv);
    if (argc < 2)
        return usage_error("%s", "missing command: list, run, compare, exec, tune, import-gbench");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return OSW_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("ompsweep %s (OpenMP %d)\n", OSW_VERSION, _OPENMP);
        return OSW_EXIT_OK;
    }
    if (strcmp(cmd, "compare") == 0)
        return osw_cmd_compare(argc - 1, argv + 1);
    if (strcmp(cmd, "exec") == 0)
        return osw_cmd_exec(argc - 1, argv + 1);
    if (strcmp(cmd, "tune") == 0)
        return osw_cmd_tune(argc - 1, argv + 1);
    if (strcmp(cmd, "list") == 0)
        return argc == 2 ? cmd_list() : usage_error("list takes no argument: '%s'", argv[2]);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1, argc, argv);
    if (strcmp(cmd, "import-gbench") == 0)
        return cmd_import_gbench(argc - 1, argv + 1);
    return usage_error("unknown command '%s'", cmd);
}

/* options.c: the option table, its parser and the usage texts (options.h). */
#define _GNU_SOURCE
#include "options.h"
#include "error.h"
#include "parse.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum {
    O_KERNELS = 256,
    O_SIZES,
    O_THREADS,
    O_SCHEDULES,
    O_BIND,
    O_PLACES,
    O_WAIT_POLICY,
    O_RUNTIME,
    O_SPIN_COUNT,
    O_BLOCKTIME,
    O_ENV,
    O_CHILD,
    O_REPS,
    O_CI_TARGET,
    O_MIN_REPS,
    O_MAX_REPS,
    O_MAX_TIME,
    O_WARMUP,
    O_MIN_TIME,
    O_TIMEOUT,
    O_METRIC,
    O_REGIONS,
    O_CHECK,
    O_RTOL,
    O_EXPECT,
    O_CHECK_REF_CMD,
    O_OUT,
    O_FORCE,
    O_RESUME,
    O_ORDER,
    O_BLOCK,
    O_SEED,
    O_HUGE_PAGES,
    O_ARRAY_OFFSET,
    O_PROBE,
    O_QUIET,
    O_MAX_CONFIG_TIME,
    O_YES,
    O_FORMAT,
    O_OBJECTIVE,
    O_ALPHA,
    O_MIN_EFFECT,
    O_THRESHOLD,
    O_ADJUST,
    O_MAX_LOSS,
    O_KIND,
    O_SEARCH,
    O_BUDGET,
    O_REPLAY,
    O_REPLAYS,
    O_HELP,
};

#define RUN     OSW_CMD_RUN
#define EXEC    OSW_CMD_EXEC
#define MPI     OSW_CMD_MPI
#define SWEEPS  OSW_CMD_SWEEPS
#define READERS (OSW_CMD_COMPARE | OSW_CMD_TUNE)
#define ALL     0xffffu

typedef struct osw_option {
    int id;
    const char *name;
    const char *arg; /* the value's name; NULL for a flag */
    unsigned cmds;
    const char *help; /* lines after the first are indented */
} osw_option;

/* The one table. Order is the order of --help. */
static const osw_option options[] = {
    {O_KERNELS, "kernels", "LIST", RUN | MPI,
     "all (the loop kernels), names from `ompsweep list`, the construct\n"
     "families syncbench, taskbench, arraybench, or constructs (default: all)"},
    {O_SIZES, "sizes", "LIST", SWEEPS,
     "1e6, 2^24, 100M, 16Mi, ... (default: each kernel's own size; exec:\n"
     "each replaces {n} in ARGS and fills the n column; ompsweep-mpi: the\n"
     "global size, at least the ranks)"},
    {O_THREADS, "threads", "LIST", SWEEPS,
     "1,2,4-16  1-16:2  pow2  all (default: OMP_NUM_THREADS, else pow2 up\n"
     "to the physical cores plus the core count; ompsweep-mpi: per rank)"},
    {O_SCHEDULES, "schedules", "LIST", SWEEPS,
     "static, dynamic:64 (or dynamic,64), guided:8, auto,\n"
     "nonmonotonic:dynamic:1, monotonic:static, dynamic:1,4,16 (chunk\n"
     "lists), dynamic:pow2, taskloop:grainsize:64, taskloop:num_tasks:16\n"
     "(kernels with a taskloop driver; not exec) (default: OMP_SCHEDULE, else\n"
     "static,dynamic:1024,guided; exec: the inherited OMP_SCHEDULE)"},
    {O_BIND, "bind", "LIST", RUN | EXEC,
     "OMP_PROC_BIND axis: close,spread,primary,true,false,default\n"
     "(default: inherited; with --bind and no --places, OMP_PLACES=cores)"},
    {O_PLACES, "places", "LIST", RUN | EXEC,
     "OMP_PLACES axis: threads,cores,ll_caches,numa_domains,sockets (each\n"
     "with an optional (N)), explicit lists such as {0:2},{2:2}; ';'\n"
     "separates two explicit lists"},
    {O_RUNTIME, "runtime", "LIST", RUN | EXEC,
     "OpenMP runtime axis: gomp (GNU libgomp), llvm (LLVM libomp through a\n"
     "swap folder OUT/runtime holding libgomp.so.1 -> libomp.so.5); the\n"
     "runtime column says which one served each configuration"},
    {O_WAIT_POLICY, "wait-policy", "LIST", RUN | EXEC,
     "OMP_WAIT_POLICY axis: active,passive,default (default: unset)"},
    {O_SPIN_COUNT, "spin-count", "LIST", RUN | EXEC,
     "GOMP_SPINCOUNT axis (libgomp only): counts (k/M/G suffixes),\n"
     "infinite, default"},
    {O_BLOCKTIME, "blocktime", "LIST", RUN | EXEC,
     "KMP_BLOCKTIME axis (LLVM libomp only): milliseconds, infinite, default"},
    {O_ENV, "env", "NAME=LIST", RUN | EXEC,
     "an axis of any variable (repeatable, up to 8): its values, 'default'\n"
     "unsets it; every configuration of a sweep with environment axes runs\n"
     "in a process of its own; the env column records the values"},
    {O_CHILD, "child", "INDEX", RUN, NULL},
    {O_REPS, "reps", "N|auto", SWEEPS,
     "timed samples per configuration (default 10; exec 5); auto (run):\n"
     "sample until the median's 95% CI is narrow enough (below)"},
    {O_CI_TARGET, "ci-target", "PCT", RUN,
     "auto: stop once (ci_hi - ci_lo) / median <= PCT% (default 2)"},
    {O_MIN_REPS, "min-reps", "N", RUN, "auto: at least N samples (default 10)"},
    {O_MAX_REPS, "max-reps", "N", RUN, "auto: at most N samples (default 200)"},
    {O_MAX_TIME, "max-time", "SEC", RUN, "auto: per-configuration time budget (default 10)"},
    {O_WARMUP, "warmup", "N", SWEEPS, "discarded runs before timing (default 1)"},
    {O_MIN_TIME, "min-time", "SEC", RUN | MPI,
     "shortest sample; shorter runs repeat inside one sample\n"
     "(default max(100 us, 1000 timer ticks))"},
    {O_MAX_CONFIG_TIME, "max-config-time", "SEC", RUN,
     "refuse (exit 2, before anything runs) a configuration estimated to\n"
     "take longer than SEC: warm-up, samples and check, from a call timed\n"
     "at a small n and scaled linearly in n (default 600)"},
    {O_YES, "yes", NULL, RUN, "run every configuration, however long its estimate"},
    {O_TIMEOUT, "timeout", "SEC", EXEC,
     "per run, matching included; then SIGTERM to every process the run\n"
     "started, SIGKILL 1 s later (default 60)"},
    {O_METRIC, "metric", "REGEX", EXEC,
     "PCRE2 regex (bounded: a match limit and the run's --timeout); its\n"
     "first group, a positive number in\n"
     "PROGRAM's output, is the sample instead of the wall time (lower is\n"
     "better, e.g. 'time: ([0-9.eE+-]+)')"},
    {O_REGIONS, "regions", NULL, EXEC,
     "per-region profiles through OMPT in regions.csv, for the configurations\n"
     "on LLVM's libomp (libgomp has no OMPT): without --runtime, every one"},
    {O_CHECK, "check", "REGEX", EXEC,
     "verify every run's output: the PCRE2 regex's groups (one or more\n"
     "numbers) must equal the reference's within --rtol, else verified=0\n"
     "(status wrong_result; no_check where it does not match)"},
    {O_RTOL, "rtol", "X", EXEC,
     "--check's relative tolerance (default: exact where both numbers are\n"
     "integers, else 1e-12)"},
    {O_EXPECT, "expect", "V[,V...]", EXEC,
     "--check's reference: these numbers (default: the 1-thread run of the\n"
     "same other settings)"},
    {O_CHECK_REF_CMD, "check-ref-cmd", "CMD", EXEC,
     "--check's reference: what --check finds in the output of CMD (through\n"
     "/bin/sh -c), run once before the sweep"},
    {O_OUT, "out", "DIR", SWEEPS | OSW_CMD_IMPORT | OSW_CMD_PLOTDATA | OSW_CMD_TUNE,
     "output directory (default ompsweep[-exec|-mpi]-HOST-YYYYmmdd-HHMMSS;\n"
     "plotdata: DIR/plotdata)"},
    {O_FORCE, "force", NULL, SWEEPS | OSW_CMD_IMPORT,
     "replace results in a non-empty --out directory"},
    {O_RESUME, "resume", NULL, RUN | OSW_CMD_TUNE,
     "measure only the configurations --out lacks (same build and\n"
     "settings), repairing rows a killed run left half written"},
    {O_ORDER, "order", "ORDER", RUN | EXEC,
     "sequential (default); shuffled: configurations in a random order,\n"
     "speedups filled in at the end; interleaved: samples taken in rounds\n"
     "across the configurations (--block at a time), so that a noisy\n"
     "neighbour touches them all alike; samples.csv's round says when"},
    {O_BLOCK, "block", "K", RUN | EXEC,
     "interleaved: samples of a configuration per round (default 1);\n"
     "alone, it implies --order interleaved"},
    {O_SEED, "seed", "N", RUN | EXEC | OSW_CMD_TUNE,
     "shuffled, interleaved: the order's seed (default: from the clock), kept\n"
     "in meta.json;\n"
     "tune --search: the search's seed (default 1)"},
    {O_HUGE_PAGES, "huge-pages", "on|off", RUN | MPI,
     "on (default): advise the kernels' arrays for transparent huge pages;\n"
     "off: advise against them (4 KiB pages); the share THP backed is the\n"
     "huge_page_share column"},
    {O_ARRAY_OFFSET, "array-offset", "B", RUN | MPI,
     "the k-th array of a kernel starts k*B bytes past its 2 MiB boundary\n"
     "(B a multiple of 64, up to 1 GiB; default 0)"},
    {O_PROBE, "probe", "on|off", RUN,
     "on (default): each thread's loop time, CPU and migrations are probed\n"
     "(imbalance, meta.json cpus_used); off: the team alone, for overhead\n"
     "studies (imbalance empty)"},
    {O_QUIET, "quiet", NULL, SWEEPS, "no table on stdout, no progress line"},

    {O_KIND, "kind", "KIND", OSW_CMD_PLOTDATA,
     "all (default: every kind but mpi-grid and regions), speedup, efficiency,\n"
     "overhead, bandwidth, schedules, size, imbalance, mpi-grid or regions\n"
     "(from DIR/regions.csv: exec --regions)"},
    {O_FORMAT, "format", "FMT", READERS, "table (default, aligned text), csv or json on stdout"},
    {O_OBJECTIVE, "objective", "OBJ", OSW_CMD_TUNE,
     "what the recommendation minimises: wall (default; among tied\n"
     "configurations the one with the least CPU time), cpu (CPU seconds per\n"
     "call: wall x cpu_per_wall) or energy (energy_j, where measured)"},
    {O_ALPHA, "alpha", "A", READERS,
     "significance level in (0, 0.5] (default 0.05); compare: 1 - A is the\n"
     "ratio interval's level"},
    {O_MIN_EFFECT, "min-effect", "PCT", OSW_CMD_COMPARE,
     "smallest |ratio - 1| called faster or slower (default 2%)"},
    {O_THRESHOLD, "threshold", "PCT", OSW_CMD_COMPARE,
     "slowdown that fails the comparison (default 5%)"},
    {O_ADJUST, "adjust", "none|holm", OSW_CMD_COMPARE,
     "none (default): each configuration's p-value alone; holm: Holm-adjusted\n"
     "over the configurations compared, so that the chance of any false\n"
     "verdict, and of a false exit 4, stays at most --alpha"},
    {O_MAX_LOSS, "max-loss", "PCT|none", OSW_CMD_TUNE,
     "never tie a configuration slower than the fastest by more than PCT\n(default 10%; --search: "
     "drop only what is slower by more than PCT, default 5%)"},
    {O_SEARCH, "search", "STRATEGY", OSW_CMD_TUNE,
     "racing, halving, random or grid: search the space with --budget\n"
     "instead of analysing a finished grid: a recorded one (--replay DIR)\n"
     "or live, measured as it asks (--out DIR, then --run RUN_OPTIONS... for\n"
     "the kernels, or --exec EXEC_OPTIONS... -- PROGRAM for a program;\n"
     "docs/tuning-search.md)"},
    {O_BUDGET, "budget", "N|Ts|P%", OSW_CMD_TUNE,
     "--search: at most N samples, T seconds of samples, or (with\n"
     "--replay) P% of the recorded grid's samples, per kernel and size"},
    {O_REPLAY, "replay", "DIR", OSW_CMD_TUNE,
     "--search: draw samples (seeded) from DIR/samples.csv, a recorded\n"
     "grid, instead of measuring; --out DIR2 logs them to DIR2/search.csv"},
    {O_REPLAYS, "replays", "N", OSW_CMD_TUNE,
     "--replay: search N times, with seeds S, S+1, ..., S+N-1 (default 1;\n"
     "N > 1 not with --out): one answer each, e.g. for --format csv"},
    {O_HELP, "help", NULL, ALL, "this text (also -h)"},
};
#define NOPTIONS (sizeof(options) / sizeof(options[0]))

/* What each command says above and below its options. */
static const struct {
    unsigned cmd;
    const char *name, *synopsis, *about, *footer;
} commands[] = {
    {OSW_CMD_RUN, "run", "ompsweep run [options]",
     "Sweeps kernels x sizes x schedules x threads in this process, verifies every\n"
     "result and writes summary.csv, samples.csv and meta.json to --out. An\n"
     "explicit flag wins over the OMP_* environment.\n",
     "exit status: 0 all verified, 1 a verification failed, 2 usage error (or a\n"
     "             malformed file to --resume, or a configuration estimated over\n"
     "             --max-config-time), 3 resource error (memory, threads the runtime\n"
     "             cannot start, disk, an output directory another process writes),\n"
     "             129/130/143 interrupted by SIGHUP/SIGINT/SIGTERM\n"},
    {OSW_CMD_EXEC, "exec", "ompsweep exec [options] -- PROGRAM [ARGS...]",
     "Runs PROGRAM repeatedly under each OpenMP environment of the sweep and records\n"
     "its wall time (or --metric) in summary.csv, samples.csv, meta.json, exec.json\n"
     "and logs/CONFIG.log (the program's stdout and stderr, every run).\n",
     "status column: ok, ok_leftovers (processes outlived the program; ended),\n"
     "               team_smaller (fewer threads ran than asked), failed (exit\n"
     "               status not 0), crashed (signal), timeout, not_found,\n"
     "               not_executable, no_metric, wrong_result (--check disagreed),\n"
     "               no_check (--check did not match), no_reference\n"
     "exit status: 0 every run ok, 1 some configuration failed, 2 usage error,\n"
     "             3 output directory or memory, 128+N interrupted by signal N\n"},
    {OSW_CMD_MPI, "ompsweep-mpi run", "mpirun -np RANKS [mapping] ompsweep-mpi run [options]",
     "Every rank measures its slice of each problem (n / RANKS elements) with its own\n"
     "OpenMP threads; a sample is the slowest rank's time. Rank 0 writes\n"
     "summary.csv, samples.csv (max over ranks), ranks.csv (per rank) and meta.json.\n"
     "Adaptive sampling, --order and --resume are `ompsweep run`'s alone (every\n"
     "rank would have to agree on each decision).\n",
     "exit status (the same on every rank): 0 all verified, 1 a verification failed\n"
     "             on some rank, 2 usage error, 3 resource error, 129/130/143\n"
     "             interrupted by SIGHUP/SIGINT/SIGTERM (docs/errors.md)\n"},
    {OSW_CMD_LIST, "list", "ompsweep list",
     "Prints the kernels: name, bound, bytes and operations per unit of n, default\n"
     "size, summary.\n",
     ""},
    {OSW_CMD_COMPARE, "compare", "ompsweep compare BASE NEW [options]",
     "Compares the samples (samples.csv) of the configurations found in both runs'\n"
     "summary.csv: medians, ratio new/base with its confidence interval\n"
     "(Hodges-Lehmann on log-times), two-sided Mann-Whitney U p-value, verdict.\n"
     "BASE and NEW are run directories, or sets of runs (directories of run\n"
     "directories): then each run's median is one observation, so that the\n"
     "variation between runs is in the test (5 runs a side for alpha 0.05).\n",
     "verdict: faster/slower when p <= A and |ratio - 1| >= min-effect, else same\n"
     "exit status: 0 no significant slowdown beyond --threshold, 4 at least one,\n"
     "             2 bad usage or input file, 3 out of memory\n"},
    {OSW_CMD_TUNE, "tune",
     "ompsweep tune DIR [options]\n"
     "       ompsweep tune [options] --run RUN_OPTIONS...\n"
     "       ompsweep tune --search S --budget B --replay DIR\n"
     "       ompsweep tune --search S --budget B --out DIR (--run RUN_OPTIONS... |\n"
     "                     --exec EXEC_OPTIONS... -- PROGRAM [ARGS])",
     "Recommends an OpenMP environment for each kernel and size of a finished (or\n"
     "partial) `ompsweep run` or `ompsweep exec` directory: the fastest\n"
     "configuration, those not significantly slower (Mann-Whitney U on samples.csv,\n"
     "else overlap of the median's 95% CI), and among those the one with the fewest\n"
     "threads, as a ready-to-paste `export OMP_...` line; the speedup, Amdahl serial\n"
     "fraction and Karp-Flatt metric per thread count; where memory-bound kernels\n"
     "saturate; the size below which one thread wins. --run RUN_OPTIONS... first\n"
     "runs `ompsweep run RUN_OPTIONS...` (everything after --run is its), then tunes\n"
     "its --out.\n",
     "exit status: 0 done, 2 bad usage or input, 3 out of memory; with --run, the\n"
     "             sweep's status when it is neither 0 nor 1\n"},
    {OSW_CMD_IMPORT, "import-gbench", "ompsweep import-gbench FILE.json --out DIR [--force]",
     "Converts the JSON of `ompsweep-gbench --benchmark_out=FILE.json` (Google\n"
     "Benchmark) into summary.csv, samples.csv and meta.json.\n",
     "exit status: 0 done, 2 bad usage or input file, 3 output directory\n"},
    {OSW_CMD_REPORT, "report", "ompsweep report DIR",
     "Writes DIR/report/index.html, one self-contained page: the machine and the\n"
     "warnings of meta.json, the advice of `ompsweep tune DIR`, the summary table\n"
     "and every figure plots/draw-all.sh draws (into DIR/report/figures), embedded\n"
     "as SVG. Without gnuplot the page says why no figures were drawn. Prints the\n"
     "page's path.\n",
     "exit status: 0 written, 2 DIR is not a run directory or a file in it is\n"
     "             malformed, 3 cannot write DIR/report (or out of memory)\n"},
    {OSW_CMD_PLOTDATA, "plotdata", "ompsweep plotdata DIR [--out TABLEDIR] [--kind KIND]",
     "Reads DIR/summary.csv (or a summary CSV file) and meta.json once and writes\n"
     "the tables the gnuplot scripts of plots/ draw: TABLEDIR/KIND.gp (one entry\n"
     "per figure: kernel, size, ranges, series, fits, notes) and\n"
     "TABLEDIR/KIND-KERNEL.dat (whitespace-separated columns), with tune's Amdahl\n"
     "fit and size crossover. Figures it leaves out are named on stderr.\n",
     "exit status: 0 written, 2 bad usage or a malformed or missing summary,\n"
     "             3 cannot write TABLEDIR (or out of memory)\n"},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static size_t command_index(unsigned cmd)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (commands[i].cmd == cmd)
            return i;
    return 0;
}

const char *osw_cmd_name(unsigned cmd)
{
    return commands[command_index(cmd)].name;
}

void osw_usage(unsigned cmd, FILE *f)
{
    size_t c = command_index(cmd);
    fprintf(f, "usage: %s\n       %s --help\n\n%s", commands[c].synopsis,
            cmd == OSW_CMD_MPI ? "ompsweep-mpi run" : commands[c].synopsis, commands[c].about);
    int any = 0;
    for (size_t i = 0; i < NOPTIONS; i++) {
        const osw_option *o = &options[i];
        if (!(o->cmds & cmd) || !o->help)
            continue; /* not this command's, or internal (no help) */
        if (!any++)
            fputs("\noptions:\n", f);
        char head[64];
        snprintf(head, sizeof(head), "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(f, "  %-18s ", head);
        for (const char *p = o->help; *p;) {
            size_t len = strcspn(p, "\n");
            fprintf(f, "%.*s\n", (int)len, p);
            p += len;
            if (*p == '\n' && *++p)
                fprintf(f, "  %-18s ", "");
        }
    }
    if (*commands[c].footer)
        fprintf(f, "\n%s", commands[c].footer);
}

void osw_options_list(unsigned cmd, FILE *f)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        if ((options[i].cmds & cmd) && options[i].help)
            fprintf(f, "--%s%s\n", options[i].name, options[i].arg ? " VALUE" : "");
}

int osw_parse_percent(const char *text, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (*end == '%')
        end++;
    if (!*text || *end || errno == ERANGE || !isfinite(v) || !(v >= lo && v <= hi))
        return 0;
    *out = v;
    return 1;
}

/* ---- the parser ---- */

static int bad(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
    return OSW_EXIT_USAGE;
}

/* A whole number in min..max. */
static int int_value(const char *flag, const char *text, int min, int max, int *out, char *err,
                     size_t len)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (!*text || *end || errno == ERANGE || v < min || v > max)
        return bad(err, len, "%s '%s' must be a whole number in %d..%d", flag, text, min, max);
    *out = (int)v;
    return 0;
}

/* A number of seconds in (lo, hi] (lo_open) or [lo, hi]. */
static int seconds_value(const char *flag, const char *text, double lo, int lo_open, double hi,
                         double *out, char *err, size_t len)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    int ok =
        *text && !*end && errno != ERANGE && isfinite(v) && (lo_open ? v > lo : v >= lo) && v <= hi;
    if (!ok)
        return bad(err, len, "%s '%s' must be seconds in %c%g, %g]", flag, text,
                   lo_open ? '(' : '[', lo, hi);
    *out = v;
    return 0;
}

static int percent_value(const char *flag, const char *text, double lo, int lo_open, double hi,
                         double *out, char *err, size_t len)
{
    double v;
    if (!osw_parse_percent(text, lo, hi, &v) || (lo_open && !(v > lo)))
        return bad(err, len, "%s '%s' must be a number in %c%g, %g] (percent: 5 or 5%%)", flag,
                   text, lo_open ? '(' : '[', lo, hi);
    *out = v;
    return 0;
}

static void defaults(unsigned cmd, osw_args *a)
{
    memset(a, 0, sizeof(*a));
    a->cmd = cmd;
    a->kernels = "all";
    a->reps = cmd == OSW_CMD_EXEC ? 5 : 10;
    a->warmup = 1;
    a->block = 1;
    a->min_time = -1;
    a->ci_target = 2;
    a->min_reps = 10;
    a->max_reps = 200;
    a->max_time_s = 10;
    a->max_config_s = 600;
    a->timeout_s = 60;
    a->rtol = -1;
    a->huge_pages = 1;
    a->probe = 1;
    a->format = "table";
    a->objective = "wall";
    a->alpha = 0.05;
    a->min_effect = 2;
    a->threshold = 5;
    a->adjust = "none";
    a->max_loss = 10;
    a->child = -1;
    a->replays = 1;
}

/* Sampling flags. */
static int take_sampling(int id, const char *v, osw_args *a, char *err, size_t len)
{
    switch (id) {
    case O_REPS:
        if (strcmp(v, "auto") == 0) {
            if (a->cmd != OSW_CMD_RUN)
                return bad(err, len, "--reps auto is not supported by %s%s; give --reps N",
                           a->cmd == OSW_CMD_MPI ? "ompsweep-mpi" : "ompsweep exec",
                           a->cmd == OSW_CMD_MPI ? " (the ranks would have to agree on every stop)"
                                                 : "");
            a->reps_auto = 1;
            return 0;
        }
        a->reps_auto = 0;
        return int_value("--reps", v, 1, 1000000, &a->reps, err, len);
    case O_CI_TARGET:
        a->adaptive_flag = "--ci-target";
        return percent_value("--ci-target", v, 0, 1, 100, &a->ci_target, err, len);
    case O_MIN_REPS:
        a->adaptive_flag = "--min-reps";
        return int_value("--min-reps", v, 1, 1000000, &a->min_reps, err, len);
    case O_MAX_REPS:
        a->adaptive_flag = "--max-reps";
        return int_value("--max-reps", v, 1, 1000000, &a->max_reps, err, len);
    case O_MAX_TIME:
        a->adaptive_flag = "--max-time";
        return seconds_value("--max-time", v, 0, 1, 86400, &a->max_time_s, err, len);
    case O_WARMUP:
        return int_value("--warmup", v, 0, 1000000, &a->warmup, err, len);
    case O_MIN_TIME:
        return seconds_value("--min-time", v, 0, 0, 60, &a->min_time, err, len);
    case O_MAX_CONFIG_TIME:
        return seconds_value("--max-config-time", v, 0, 1, 1e9, &a->max_config_s, err, len);
    case O_TIMEOUT:
        return seconds_value("--timeout", v, 0, 1, 1e6, &a->timeout_s, err, len);
    }
    return 1;
}

/* Plan, output and reader flags. */
/* The readers' options (compare, tune, plotdata): 0, an exit status with
 * err set, or 1 when id is none of them. */
static int take_reader(int id, const char *v, osw_args *a, char *err, size_t len)
{
    switch (id) {
    case O_KIND:
        a->kind = v;
        return 0;
    case O_OBJECTIVE:
        if (strcmp(v, "wall") != 0 && strcmp(v, "cpu") != 0 && strcmp(v, "energy") != 0)
            return bad(err, len, "--objective '%s' must be wall, cpu or energy", v);
        a->objective = v;
        return 0;
    case O_FORMAT:
        if (strcmp(v, "table") != 0 && strcmp(v, "csv") != 0 && strcmp(v, "json") != 0)
            return bad(err, len, "--format '%s' must be table, csv or json", v);
        a->format = v;
        return 0;
    case O_ALPHA: {
        char *end;
        errno = 0;
        a->alpha = strtod(v, &end);
        if (!*v || *end || errno == ERANGE || !(a->alpha > 0 && a->alpha <= 0.5))
            return bad(err, len, "--alpha '%s' must be a number in (0, 0.5]", v);
        return 0;
    }
    case O_MIN_EFFECT:
        return percent_value("--min-effect", v, 0, 0, 1000, &a->min_effect, err, len);
    case O_THRESHOLD:
        return percent_value("--threshold", v, 0, 0, 1000, &a->threshold, err, len);
    case O_ADJUST:
        if (strcmp(v, "none") && strcmp(v, "holm"))
            return bad(err, len, "--adjust '%s' must be none or holm", v);
        a->adjust = v;
        return 0;
    case O_SEARCH:
        a->search = v;
        return 0;
    case O_BUDGET:
        a->budget = v;
        return 0;
    case O_REPLAY:
        if (!*v)
            return bad(err, len, "--replay needs a directory");
        a->replay = v;
        return 0;
    case O_REPLAYS:
        return int_value("--replays", v, 1, 1000000, &a->replays, err, len);
    case O_MAX_LOSS:
        a->max_loss_given = 1;
        if (strcmp(v, "none") == 0) {
            a->max_loss = INFINITY;
            return 0;
        }
        return percent_value("--max-loss", v, 0, 0, 1e9, &a->max_loss, err, len);
    }
    return 1;
}

/* The sweep's other options (order, placement, environment axes, --out),
 * then the readers'. */
static int take_other(int id, const char *v, osw_args *a, char *err, size_t len)
{
    char perr[OSW_ERRLEN];
    switch (id) {
    case O_ORDER:
        if (strcmp(v, "sequential") != 0 && strcmp(v, "shuffled") != 0 &&
            strcmp(v, "interleaved") != 0)
            return bad(err, len, "--order '%s' must be sequential, shuffled or interleaved", v);
        a->shuffled = strcmp(v, "shuffled") == 0;
        a->interleaved = strcmp(v, "interleaved") == 0;
        a->order_given = 1;
        return 0;
    case O_BLOCK:
        a->block_given = 1;
        if (!a->order_given)
            a->interleaved = 1; /* --block K alone: interleaved */
        return int_value("--block", v, 1, 1000000, &a->block, err, len);
    case O_SEED:
        /* Up to 2^53 - 1, so that every JSON reader keeps it exact. */
        if (!osw_parse_u64(v, (1ull << 53) - 1, &a->seed))
            return bad(err, len, "--seed '%s' must be a whole number in 0..2^53-1", v);
        a->seed_given = 1;
        return 0;
    case O_HUGE_PAGES:
        if (osw_parse_huge_pages(v, &a->huge_pages, perr))
            return bad(err, len, "%s", perr);
        return 0;
    case O_PROBE:
        if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
            return bad(err, len, "--probe '%s' must be on or off", v);
        a->probe = strcmp(v, "on") == 0;
        return 0;
    case O_ARRAY_OFFSET:
        if (osw_parse_array_offset(v, &a->array_offset, perr))
            return bad(err, len, "%s", perr);
        return 0;
    case O_PLACES:
        if (!*v || strlen(v) > 256)
            return bad(err, len, "--places '%.80s' must be 1..256 characters", v);
        a->places = v;
        return 0;
    case O_WAIT_POLICY:
        a->wait_policy = v;
        return 0;
    case O_RUNTIME:
        a->runtime = v;
        return 0;
    case O_SPIN_COUNT:
        a->spin_count = v;
        return 0;
    case O_BLOCKTIME:
        a->blocktime = v;
        return 0;
    case O_ENV:
        if (a->nenv == OSW_ARGS_MAX_ENV)
            return bad(err, len, "--env: at most %d variables", OSW_ARGS_MAX_ENV);
        a->env[a->nenv++] = v;
        return 0;
    case O_CHILD: {
        unsigned long long i;
        if (!osw_parse_u64(v, 1ull << 40, &i))
            return bad(err, len, "--child '%s' must be a configuration index", v);
        a->child = (long)i;
        return 0;
    }
    case O_OUT:
        if (!*v)
            return bad(err, len, "--out needs a directory name");
        a->out = v;
        return 0;
    }
    return take_reader(id, v, a, err, len);
}

static int take(int id, const char *v, osw_args *a, char *err, size_t len)
{
    const char **text[] = {[O_KERNELS - O_KERNELS] = &a->kernels,
                           [O_SIZES - O_KERNELS] = &a->sizes,
                           [O_THREADS - O_KERNELS] = &a->threads,
                           [O_SCHEDULES - O_KERNELS] = &a->schedules,
                           [O_BIND - O_KERNELS] = &a->bind};
    int *flag[] = {[O_FORCE - O_FORCE] = &a->force, [O_RESUME - O_FORCE] = &a->resume};
    if (id >= O_KERNELS && id <= O_BIND) {
        *text[id - O_KERNELS] = v; /* lists: parsed by the command, which knows the cores */
        return 0;
    }
    if (id == O_METRIC) {
        a->metric = v;
        return 0;
    }
    if (id == O_CHECK || id == O_EXPECT || id == O_CHECK_REF_CMD) {
        if (!*v)
            return bad(err, len, "--%s needs a value",
                       id == O_CHECK    ? "check"
                       : id == O_EXPECT ? "expect"
                                        : "check-ref-cmd");
        *(id == O_CHECK ? &a->check : id == O_EXPECT ? &a->expect : &a->check_ref_cmd) = v;
        return 0;
    }
    if (id == O_RTOL) {
        char *end;
        errno = 0;
        a->rtol = strtod(v, &end);
        if (!*v || *end || errno == ERANGE || !(a->rtol >= 0 && a->rtol < 1))
            return bad(err, len, "--rtol '%s' must be a number in [0, 1)", v);
        return 0;
    }
    if (id == O_FORCE || id == O_RESUME) {
        *flag[id - O_FORCE] = 1;
        return 0;
    }
    if (id == O_REGIONS) {
        a->regions = 1;
        return 0;
    }
    if (id == O_QUIET) {
        a->quiet = 1;
        return 0;
    }
    if (id == O_YES) {
        a->yes = 1;
        return 0;
    }
    int rc = take_sampling(id, v, a, err, len);
    return rc == 1 ? take_other(id, v, a, err, len) : rc;
}

/* Checks that need every flag (combinations). */
static int check_combinations(const osw_args *a, char *err, size_t len)
{
    if (a->adaptive_flag && !a->reps_auto)
        return bad(err, len, "%s applies only with --reps auto", a->adaptive_flag);
    if (a->reps_auto && a->max_reps < a->min_reps)
        return bad(err, len, "--max-reps %d is below --min-reps %d", a->max_reps, a->min_reps);
    if (a->seed_given && !a->shuffled && !a->interleaved && a->cmd != OSW_CMD_TUNE)
        return bad(err, len, "--seed applies only with --order shuffled or interleaved");
    if (a->block_given && !a->interleaved)
        return bad(err, len, "--block applies only with --order interleaved");
    if (a->resume && a->force)
        return bad(err, len,
                   "--resume keeps the results in --out, --force replaces them: choose one");
    if (a->resume && !a->out && a->cmd != OSW_CMD_TUNE) /* tune --search checks its own */
        return bad(err, len, "--resume needs the --out directory of the run to resume");
    return 0;
}

/* The operands a command takes: exec at least one (PROGRAM), compare two,
 * tune, import-gbench, report and plotdata one, the sweeps and list none. */
static int check_operands(const osw_args *a, char *err, size_t len)
{
    static const struct {
        unsigned cmd;
        int min, max;
        const char *what;
    } want[] = {{OSW_CMD_EXEC, 1, 1 << 30,
                 "needs a PROGRAM to run: ompsweep exec [options] -- PROGRAM [ARGS...]"},
                {OSW_CMD_COMPARE, 2, 2, "needs BASE and NEW (run directories or sets of runs)"},
                /* tune: DIR, or none with --run (tune checks which) */
                {OSW_CMD_TUNE, 0, 1, ""},
                {OSW_CMD_IMPORT, 1, 1, "needs FILE.json and --out DIR"},
                {OSW_CMD_REPORT, 1, 1, "needs a run directory: ompsweep report DIR"},
                {OSW_CMD_PLOTDATA, 1, 1, "needs a run directory: ompsweep plotdata DIR"}};
    int min = 0, max = 0;
    const char *what = "";
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (want[i].cmd == a->cmd) {
            min = want[i].min;
            max = want[i].max;
            what = want[i].what;
        }
    if (a->noperands > max)
        return bad(err, len, "unexpected argument '%s'", a->operands[max]);
    if (a->noperands < min || (a->cmd == OSW_CMD_EXEC && !a->operands[0][0]))
        return bad(err, len, "%s", what);
    if (a->cmd == OSW_CMD_IMPORT && !a->out)
        return bad(err, len, "%s", what);
    return 0;
}

int osw_args_parse(unsigned cmd, int argc, char **argv, osw_args *a, char *err, size_t errlen)
{
    defaults(cmd, a);
    struct option longopts[NOPTIONS + 1];
    size_t n = 0;
    for (size_t i = 0; i < NOPTIONS; i++)
        if (options[i].cmds & cmd)
            longopts[n++] =
                (struct option){options[i].name, options[i].arg ? required_argument : no_argument,
                                NULL, options[i].id};
    longopts[n] = (struct option){NULL, 0, NULL, 0};
    opterr = 0;
    optind = 0; /* a full reset of getopt's state */
    /* exec: stop at PROGRAM ('+'); the others take operands anywhere. */
    const char *shortopts = cmd == OSW_CMD_EXEC ? "+:h" : ":h";
    int id;
    while ((id = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (id == O_HELP || id == 'h')
            return OSW_ARGS_HELP;
        if (id == ':')
            return bad(err, errlen, "option '%s' needs a value", argv[optind - 1]);
        if (id == '?') {
            char shortopt[3] = {'-', (char)optopt, '\0'};
            return bad(err, errlen, "unknown option '%s'", optopt ? shortopt : argv[optind - 1]);
        }
        int rc = take(id, optarg, a, err, errlen);
        if (rc)
            return rc;
    }
    a->operands = argv + optind;
    a->noperands = argc - optind;
    int rc = check_combinations(a, err, errlen);
    return rc ? rc : check_operands(a, err, errlen);
}

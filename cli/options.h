/* options.h: the one option table of ompsweep and ompsweep-mpi, its parser
 * and the usage texts generated from it.
 *
 * Every flag is one row of osw_options[]: its name, its value's name, the
 * commands that take it (a bit mask) and its help. The same flag means the
 * same thing in every command that takes it, is parsed by the same code
 * and is documented by the same text; `CMD --help` lists exactly the rows
 * of CMD. */
#ifndef OSW_CLI_OPTIONS_H
#define OSW_CLI_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

/* The commands (bits). */
enum {
    OSW_CMD_RUN = 1 << 0,
    OSW_CMD_EXEC = 1 << 1,
    OSW_CMD_MPI = 1 << 2, /* ompsweep-mpi run */
    OSW_CMD_LIST = 1 << 3,
    OSW_CMD_COMPARE = 1 << 4,
    OSW_CMD_TUNE = 1 << 5,
    OSW_CMD_IMPORT = 1 << 6, /* import-gbench */
    OSW_CMD_REPORT = 1 << 7,
    OSW_CMD_PLOTDATA = 1 << 8,
};
#define OSW_CMD_SWEEPS (OSW_CMD_RUN | OSW_CMD_EXEC | OSW_CMD_MPI)

#define OSW_ARGS_MAX_ENV 8

/* Everything a command line can say; unset values keep their defaults. */
typedef struct osw_args {
    unsigned cmd;
    /* the sweep */
    const char *kernels, *sizes, *threads, *schedules, *out, *bind, *places, *metric;
    /* environment axes: --wait-policy, --spin-count, --blocktime, --env (repeatable) */
    const char *wait_policy, *spin_count, *blocktime, *runtime;
    const char *env[OSW_ARGS_MAX_ENV];
    int nenv;
    /* run's hidden --child INDEX (a configuration measured for the parent's
     * child-process executor, lib/child.h); -1 when not a child */
    long child;
    int reps, reps_auto, warmup, force, quiet, resume, shuffled, seed_given;
    int interleaved, block, block_given, order_given; /* --order interleaved, --block K */
    int regions;                                      /* exec --regions */
    unsigned long long seed;
    double min_time; /* < 0: the default */
    double ci_target, max_time_s, timeout_s;
    int min_reps, max_reps;
    /* exec's --check: the regex, its reference (--expect, --check-ref-cmd) and --rtol (< 0:
     * the default) */
    const char *check, *expect, *check_ref_cmd;
    double rtol;
    const char *adaptive_flag; /* an adaptive-only flag given (refused without --reps auto) */
    int huge_pages;
    int probe; /* --probe: 1 on (default), 0 off */
    size_t array_offset;
    /* the time guard (run): --yes, --max-config-time */
    int yes;
    double max_config_s;
    /* the readers */
    const char *format;    /* table, csv or json */
    const char *adjust;    /* compare: none or holm */
    const char *objective; /* tune: wall, cpu or energy */
    const char *kind;      /* plotdata: a figure kind or "all" */
    double alpha, min_effect, threshold, max_loss;
    int max_loss_given;
    /* tune --search: the strategy, the budget as written, a recorded grid */
    const char *search, *budget, *replay;
    int replays; /* --replays N: seeds seed .. seed + N - 1 */
    /* operands: DIRs, FILE, or PROGRAM ARGS... (exec) */
    char **operands;
    int noperands;
} osw_args;

/* osw_args_parse's result besides an exit status. */
#define OSW_ARGS_HELP (-1)

/* Parses argv[1..argc) of command cmd (argv[0] is the command's name) into
 * a: defaults first, then every flag through the table. exec stops at its
 * PROGRAM (the first operand, or what follows `--`). Returns 0,
 * OSW_ARGS_HELP for --help / -h, or OSW_EXIT_USAGE with the one-line
 * message in err (the caller prints it, so that MPI prints it once). */
int osw_args_parse(unsigned cmd, int argc, char **argv, osw_args *a, char *err, size_t errlen);

/* Writes cmd's usage text, generated from the table, to f. */
void osw_usage(unsigned cmd, FILE *f);

/* The command's name as the user types it ("run", "ompsweep-mpi run"). */
const char *osw_cmd_name(unsigned cmd);

/* A percentage: "5", "5%" or "0.5%", a finite number in [lo, hi]. 1 and
 * *out (in percent), or 0. Every percentage flag is read by this. */
int osw_parse_percent(const char *text, double lo, double hi, double *out);

/* Lists the long options of cmd, one per line ("--threads"): what the help
 * test compares with `--help`. */
void osw_options_list(unsigned cmd, FILE *f);

#endif

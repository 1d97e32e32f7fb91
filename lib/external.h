/* external.h: the external-program executor (`ompsweep exec`). Each
 * configuration runs PROGRAM ARGS warmup + reps times with its OpenMP
 * environment (OMP_NUM_THREADS, OMP_SCHEDULE and every ENV axis of the
 * plan) in a process of its own, and records its wall time (or the number
 * --metric finds in its output), CPU time and how it ended.
 *
 * One run: fork; in the child setsid (the run is a session and process
 * group of its own), the CPU affinity mask ompsweep had when it started
 * (sysinfo.h: osw_affinity_save; the OpenMP runtime may have bound
 * ompsweep's own initial thread to one CPU since), stdin from /dev/null,
 * stdout and stderr to a capture file of this run alone (an unnamed file in
 * logs/), execve. osw_external_executor blocks SIGCHLD, SIGINT, SIGTERM and
 * SIGHUP and the executor waits for them with sigtimedwait, so the wall
 * time (CLOCK_MONOTONIC around fork .. wait4) is not quantised by polling,
 * the timeout is exact, and an interrupt stops the sweep cleanly. CPU time
 * is the child's rusage from wait4 (user + system, all threads).
 *
 * Every process a run starts is ended before the next run: ompsweep is a
 * child subreaper (Linux, PR_SET_CHILD_SUBREAPER), so a process whose
 * parent exits, daemons and setsid helpers included, becomes its child
 * instead of init's; its descendants are found in /proc (each process's
 * parent in /proc/PID/stat). At a timeout (or an interrupt) they all get
 * SIGTERM with the program, then SIGKILL OSW_EXEC_GRACE_S later; when the
 * program exits by itself, whatever it left running gets the same. Only
 * then is the capture appended to the configuration's log (logs/CONFIG.log)
 * and searched, so a leftover's late output can never count for the next
 * run. A /proc scan rather than a cgroup: it needs no privilege and no
 * delegated cgroup tree, and the subreaper already keeps the whole tree
 * under ompsweep.
 *
 * The team. Unless OMP_DISPLAY_AFFINITY is set in ompsweep's environment
 * (then exec reads no team), the child gets OMP_DISPLAY_AFFINITY=TRUE and
 * OMP_AFFINITY_FORMAT=OSW_EXEC_TEAM_FORMAT: each OpenMP thread prints one
 * line per team it joins ("OSW-TEAM level thread team_size"). And where
 * OMP_THREAD_LIMIT is below the configuration's thread count (GCC's libgomp
 * prints no affinity line for a team of one thread), OMP_DISPLAY_ENV=TRUE
 * unless set, for the runtime's own thread limit. Those lines stay in the log and are taken out
 * of what --metric searches. A run whose largest nesting-level-1 team is
 * smaller than OMP_NUM_THREADS (or whose runtime's thread limit is) gets
 * status team_smaller; a program that prints no such line (not OpenMP, or a
 * runtime without OpenMP 5.0 affinity display) is taken as it is.
 *
 * --metric: a PCRE2 pattern (osw_external_metric), matched against the
 * run's whole output with the limits below, in a child process that is
 * killed at the run's --timeout (counted from the run's start, but at least
 * OSW_EXEC_GRACE_S after the program ended) or at an interrupt, so neither a
 * catastrophic pattern nor a huge output can hold the sweep.
 *
 * A configuration stops at its first failed run (warmup included); its row
 * gets verified=0 and a status word: failed (non-zero exit), crashed
 * (killed by a signal), timeout, not_found, not_executable, no_metric,
 * no_check (--check did not match, or a group was not a number),
 * no_reference (--check against the 1-thread run, which failed or was not
 * measured in this sweep). A run whose --check numbers disagree with the
 * reference does not stop the configuration, but its row gets verified=0,
 * status wrong_result and the largest relative error in rel_err.
 * Otherwise verified=1 and the status is ok, or (a warning for the run,
 * the measurement stands) team_smaller, or ok_leftovers (the program left
 * processes running, which exec ended); team_smaller wins over
 * ok_leftovers.
 *
 * --regions (docs/regions.md): every configuration runs on LLVM's libomp
 * through a swap folder (runtime.h; OUT/runtime) with the suite's OMPT
 * tool (OMP_TOOL_LIBRARIES, OSW_OMPT_OUT=OUT/regions/CONFIG.txt); after a
 * configuration its timed runs' profiles become rows of OUT/regions.csv
 * (regions.h). GNU libgomp has no OMPT, so until a runtime axis exists
 * --regions implies libomp for every configuration. The executor refuses a
 * program that needs GOMP_* or omp_* symbols libomp lacks, and a
 * configuration whose runs leave no profile (so libomp did not serve them)
 * gets a warning and no rows. */
#ifndef OSW_EXTERNAL_H
#define OSW_EXTERNAL_H

#include "check.h"
#include "engine.h"

#include <signal.h>
#include <stddef.h>

/* Seconds between SIGTERM and SIGKILL when a run times out or leaves
 * processes behind. */
#define OSW_EXEC_GRACE_S 1.0

/* The affinity format exec sets for the team lines. */
#define OSW_EXEC_TEAM_FORMAT "OSW-TEAM %L %n %N {%A}"

/* PCRE2's limits for one --metric search: backtracking steps per start
 * position (pcre2_set_match_limit), nesting of backtracking points
 * (pcre2_set_depth_limit) and the memory for them (pcre2_set_heap_limit,
 * KiB). A search that hits one is status no_metric, "--metric hit the match
 * limit". */
#define OSW_METRIC_MATCH_LIMIT    1000000u
#define OSW_METRIC_DEPTH_LIMIT    1000000u
#define OSW_METRIC_HEAP_LIMIT_KIB (256u * 1024u)

/* A compiled --metric (PCRE2; opaque). */
typedef struct osw_metric osw_metric;

typedef struct osw_external {
    char **argv; /* PROGRAM ARGS..., NULL-terminated; "{n}" in ARGS is replaced by n */
    int argc;
    char path[4096]; /* PROGRAM as found on PATH (or as given) */
    double timeout;
    int reps, warmup;
    int with_n;         /* the plan has a SIZE axis: n in log names */
    osw_metric *metric; /* osw_external_metric; NULL: the sample is the wall time */
    int regions;        /* --regions: every run on libomp with the OMPT tool (see below) */
    osw_check *check;   /* --check (check.h), or NULL; freed by osw_external_free */
    /* private */
    char out_dir[4096];
    sigset_t old_mask, wait_set;
    struct sigaction old_chld;
    int devnull;
    int substitute;    /* some ARGS contain {n} */
    int subreaper_was; /* PR_GET_CHILD_SUBREAPER before the executor, -1 unknown */
    int stop_signal;   /* SIGINT, SIGTERM or SIGHUP received */
    int warned_leftovers, warned_team;
    int cores;          /* physical cores the program may use (placement's "cores") */
    int llvm;           /* some configuration runs on LLVM libomp (--runtime llvm) */
    char llvm_missing[600]; /* the symbols PROGRAM needs that libomp lacks ("" none) */
    long failed;        /* configurations that did not verify */
    char failure[1024]; /* why the last configuration failed, "" when it did not */
    /* --regions: the tool, the swap folder, and the settings of the runs */
    char ompt_tool[4096], swap_dir[4200], v_ld_path[8400], v_tool[4200], v_ompt_out[4500];
    int warned_regions;
} osw_external;

/* Compiles --metric text (PCRE2 syntax, multiline: ^ and $ at each line;
 * \n, \r\n and \r end lines) into x->metric. It needs a capturing group
 * around the number. Returns 0, or OSW_EUSAGE with err (len bytes) set. */
int osw_external_metric(osw_external *x, const char *text, char *err, size_t len);

/* Prepares x (argv, argc, timeout, reps, warmup, metric set by the caller)
 * and fills ex. Takes SIGCHLD, SIGINT, SIGTERM and SIGHUP over, and makes
 * this process a child subreaper, until osw_external_free. Returns 0 or a
 * negative code with err set. */
int osw_external_executor(osw_external *x, osw_executor *ex, char *err);
/* Gives the signals back and frees the metric; safe on a zeroed x with
 * devnull -1. */
void osw_external_free(osw_external *x);

/* Whether some of x's ARGS (not PROGRAM) contain "{n}", the place of the
 * size. */
int osw_external_takes_n(const osw_external *x);

/* The kernel column of PROGRAM: its base name reduced to [A-Za-z0-9_.+-]. */
void osw_program_label(const char *prog, char *buf, size_t len);

/* Writes DIR/exec.json atomically: the program, its arguments, the ENV
 * axes' values, sizes, timeout, metric; what `ompsweep tune` reads beyond
 * meta.json. */
int osw_write_exec_json(const osw_external *x, const char *dir, const char *label,
                        const osw_plan *plan, const char *metric_text);

#endif

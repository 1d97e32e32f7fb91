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
 * A configuration stops at its first failed run (warmup included); its row
 * gets verified=0 and a status word: failed (non-zero exit), crashed
 * (killed by a signal), timeout, not_found, not_executable, no_metric.
 * Otherwise verified=1 and the status is ok, or (a warning, the
 * measurement stands) ok_leftovers: the program left processes running,
 * which exec ended. */
#ifndef OSW_EXTERNAL_H
#define OSW_EXTERNAL_H

#include "engine.h"

#include <regex.h>
#include <signal.h>
#include <stddef.h>

/* Seconds between SIGTERM and SIGKILL when a run times out or leaves
 * processes behind. */
#define OSW_EXEC_GRACE_S 1.0

typedef struct osw_external {
    char **argv; /* PROGRAM ARGS..., NULL-terminated; "{n}" in ARGS is replaced by n */
    int argc;
    char path[4096]; /* PROGRAM as found on PATH (or as given) */
    double timeout;
    int reps, warmup;
    int with_n;      /* the plan has a SIZE axis: n in log names */
    int have_metric; /* metric is compiled */
    regex_t metric;
    /* private */
    char out_dir[4096];
    sigset_t old_mask, wait_set;
    struct sigaction old_chld;
    int devnull;
    int substitute;    /* some ARGS contain {n} */
    int subreaper_was; /* PR_GET_CHILD_SUBREAPER before the executor, -1 unknown */
    int stop_signal;   /* SIGINT, SIGTERM or SIGHUP received */
    int warned_leftovers;
    long failed;        /* configurations that did not verify */
    char failure[1024]; /* why the last configuration failed, "" when it did not */
} osw_external;

/* Prepares x (argv, argc, timeout, reps, warmup, metric set by the caller)
 * and fills ex. Takes SIGCHLD, SIGINT, SIGTERM and SIGHUP over, and makes
 * this process a child subreaper, until osw_external_free. Returns 0 or a
 * negative code with err set. */
int osw_external_executor(osw_external *x, osw_executor *ex, char *err);
/* Gives the signals back and frees the metric; safe on a zeroed x with
 * devnull -1. */
void osw_external_free(osw_external *x);

/* The kernel column of PROGRAM: its base name reduced to [A-Za-z0-9_.+-]. */
void osw_program_label(const char *prog, char *buf, size_t len);

/* Writes DIR/exec.json atomically: the program, its arguments, the ENV
 * axes' values, sizes, timeout, metric; what `ompsweep tune` reads beyond
 * meta.json. */
int osw_write_exec_json(const osw_external *x, const char *dir, const char *label,
                        const osw_plan *plan, const char *metric_text);

#endif

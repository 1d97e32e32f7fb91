/* rundir.h: a run's output directory: summary.csv and samples.csv written
 * a whole row at a time, --resume, and the final pass over derived columns.
 *
 * Files. Each configuration's samples.csv rows are written first, then its
 * summary.csv row, each in one write: the summary row commits the
 * configuration, so a run killed between the two leaves samples without a
 * summary row, which --resume drops. At the end of a sweep, interrupted or
 * not, the final pass computes the derived columns (osw_derive) of every
 * row and, where that changes the file, rewrites summary.csv atomically
 * (temporary file, rename). A run killed outright (kill -9) keeps the empty
 * cells it streamed until --resume completes it.
 *
 * Resume. meta.json records config_key (measure.h's osw_config_key):
 * schema, git commit, compiler and flags, host, sampling settings, warm-up,
 * minimum sample time, binding and allocation policy. --resume refuses an
 * out dir whose key differs, drops a trailing partial line (truncating the
 * file to its whole rows), drops samples of configurations that have no
 * summary row and configurations whose sample count disagrees with their
 * reps (measured again), then the engine measures only the configurations
 * the summary lacks and appends them. Rows of configurations outside the
 * plan are kept. meta.json is read with cJSON: any valid JSON layout of it
 * resumes. */
#ifndef OSW_RUNDIR_H
#define OSW_RUNDIR_H

#include "csv.h"
#include "rows.h"

#include <cjson/cJSON.h>
#include <stdio.h>

typedef struct osw_rundir_opts {
    const char *dir;
    int force, resume;
    const char *config_key;
    const char *const *extra_files; /* more files --force removes, NULL-terminated */
    void (*note)(void *self, int important, const char *line);
    void *note_self;
} osw_rundir_opts;

typedef struct osw_rundir {
    char dir[4096];
    int summary, samples; /* file descriptors, -1 when closed */
    osw_rowset rows;      /* every row of summary.csv, kept and new */
    size_t nold;          /* rows kept from the run being resumed (the first nold) */
    int opened;           /* the files are open and valid: the final pass may run */
    int broken;           /* a row write failed: the files were cut back, no final pass */
} osw_rundir;

/* Prepares o->dir (see osw_prepare_out_dir), or loads it for --resume, and
 * opens the two CSV files. *cpus and *migrations get meta.json's cpus_used
 * and thread_migrations objects of a resumed run (else NULL). Returns 0 or
 * a negative code with err set. */
int osw_rundir_open(osw_rundir *d, const osw_rundir_opts *o, cJSON **cpus, cJSON **migrations,
                    char *err);

/* Appends one configuration: its samples, then its summary row. */
int osw_rundir_append(osw_rundir *d, const osw_row *row, const double *seconds, const int *rounds,
                      char *err);

/* Closes the files and runs the final pass unless a row write failed.
 * Returns rc, or (when rc is 0 or OSW_EINTR) the first error of closing or
 * rewriting with err set. */
int osw_rundir_close(osw_rundir *d, int rc, char *err);

/* Prepares dir for a fresh run: creates it (and its parents), takes its
 * lock (osw_rundir_lock), and refuses a non-empty one without force; with
 * force removes summary.csv, samples.csv, meta.json and extra
 * (NULL-terminated; may be NULL). Returns 0, OSW_EEXIST, OSW_ELOCKED or
 * -errno with err set. */
int osw_prepare_out_dir(const char *dir, int force, const char *const *extra, char *err);

/* The writer's lock: an exclusive flock on DIR/.ompsweep.lock, which then
 * holds the writer's PID and command line; held until the process exits.
 * A second writer of the same directory gets OSW_ELOCKED at once, with err
 * naming the holder. The file is removed when the process exits normally.
 * Returns 0 (also when this process holds it already). */
int osw_rundir_lock(const char *dir, char *err);

/* For readers: 1 when another process holds dir's writer lock (holder gets
 * its PID and command line), else 0. Rows are whole at any moment, so a
 * reader may go on; it should say that the run is still being written. */
int osw_rundir_busy(const char *dir, char *holder, size_t len);

/* The name of the lock file inside a run directory. */
#define OSW_LOCK_FILE ".ompsweep.lock"

#endif

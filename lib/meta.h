/* meta.h: meta.json, the provenance of a run (DESIGN.md §4): machine,
 * compiler, OpenMP runtime and environment, command line, settings, and what
 * the run observed (CPUs used, warnings, status). */
#ifndef OSW_META_H
#define OSW_META_H

#include "sysinfo.h"

#include <cjson/cJSON.h>

#include <omp.h>
#include <stdio.h>

#define OSW_MAX_WARNINGS 16

typedef struct osw_meta {
    const osw_sysinfo *sys;
    int argc;
    char **argv;
    const char *status;   /* "running", "complete", "interrupted", "failed" */
    const char *failure;  /* why it is failed or interrupted (one line), or NULL */
    const char *started;  /* ISO 8601 UTC */
    const char *finished; /* ISO 8601 UTC, or NULL */
    int reps, warmup;
    double min_sample_s;
    const char *threads_source;   /* "--threads", "OMP_NUM_THREADS", "default" */
    const char *schedules_source; /* "--schedules", "OMP_SCHEDULE", "default" */
    const char *warnings[OSW_MAX_WARNINGS];
    int nwarnings;
    const cJSON *cpus_used; /* {"threads": [cpus], ...}, or NULL (borrowed) */
    long configs_done, configs_total;
    int ranks;
    /* ompsweep run's sampling, order and resume (sweep.h); written only when
     * order is set. */
    int reps_auto; /* "reps": "auto", with the four settings that bound it */
    double ci_target_pct, max_time_s;
    int min_reps, max_reps;
    const char *order;      /* "sequential", "shuffled" or "interleaved" */
    int block;              /* interleaved: samples per configuration per round */
    const char *huge_pages; /* --huge-pages "on" or "off"; with array_offset, written
                               when set (ompsweep run and ompsweep-mpi) */
    size_t array_offset;    /* --array-offset, bytes */
    int has_seed;           /* seed is written, else null */
    unsigned long long seed;
    const char *config_key;         /* what --resume compares (sweep.h) */
    long configs_resumed;           /* rows kept from an earlier run by --resume */
    const cJSON *thread_migrations; /* {"kernel,n,threads,schedule,chunk": runs} or NULL */
    /* The environment axes: {"NAME": [values...], ...} in the env column's
     * order, or NULL when none (borrowed). */
    const cJSON *env_axes;
    /* Per configuration whose placement was checked: {"<key>": {...}} (see
     * docs/schema.md), or NULL (borrowed). */
    const cJSON *placement;
    const cJSON *extra; /* more members a command records (exec's "check"), or NULL (borrowed) */
} osw_meta;

/* Writes dir/meta.json atomically (a temporary file renamed over it).
 * Returns 0 or -errno. */
int osw_meta_write(const char *dir, const osw_meta *m);

/* Finishes a file written under a temporary name: flushes and closes f (the
 * stream of tmp), then renames tmp over path, so readers see the old file or
 * the whole new one. On any failure tmp is removed. Returns 0 or -errno. */
int osw_commit_file(FILE *f, const char *tmp, const char *path);

/* The OMP_PROC_BIND name of b ("false", "true", "primary", "close",
 * "spread"), as meta.json and the config key record it. */
const char *osw_proc_bind_name(omp_proc_bind_t b);

/* Writes doc as DIR/NAME atomically (a temporary file renamed over it;
 * rewritten in place when the disk has no room for a second copy).
 * Returns 0 or -errno. */
int osw_json_write(const char *dir, const char *name, const cJSON *doc);

/* doc as text with two-space indents, one member a line ("name": value);
 * free() it. NULL when out of memory. */
char *osw_json_print(const cJSON *doc);

/* Current UTC time as ISO 8601 into buf (>= 32 bytes); returns buf. */
const char *osw_now_iso(char *buf, size_t len);

#endif

/* csv.h: the output files' rows (RFC 4180, '.' decimals, one header row).
 *
 * Knows nothing of OpenMP or of how rows were measured. A NaN double is
 * written as an empty cell (not available). Each row is formatted whole into
 * memory and written with one write, then flushed, so an interrupted writer
 * leaves only whole rows behind. */
#ifndef OSW_CSV_H
#define OSW_CSV_H

#include <stddef.h>
#include <stdio.h>

/* Bump with any change to the columns below (recorded in meta.json). */
#define OSW_SCHEMA_VERSION 6

/* One configuration's summary: summary.csv's columns, in order. */
typedef struct osw_row {
    char kernel[64];
    size_t n;
    int threads;
    char schedule[32];
    int chunk; /* 0: the runtime's default chunk */
    int reps;
    double min_s, median_s, mean_s, stddev_s, ci_lo_s, ci_hi_s;
    int outliers;
    double gbps_median, gbps_best;
    double speedup, efficiency;
    int verified;
    double rel_err;
    /* Columns after DESIGN.md's 19: */
    int ranks;
    long inner;                    /* kernel calls per timed sample */
    double speedup_lo, speedup_hi; /* 95% CI of the speedup */
    double imbalance;              /* (max - mean) / max of per-thread busy time */
    double cpu_per_wall;           /* process CPU time / wall time in the timed runs */
    char bound[8];                 /* memory, cpu or wait */
    /* EPCC schedbench's overhead: (median - T1 / p) * p / n, in ns per unit of
     * n, where T1 is the 1-thread static median of the same kernel and n. */
    double overhead_ns;
    double result; /* the kernel's scalar result (e.g. the mean), NaN when it has none */
    /* How the configuration's runs ended (ompsweep exec): ok, failed, crashed,
     * timeout, not_found, not_executable, no_metric; empty where it does not
     * apply (ompsweep run). A word of [a-z_]. */
    char status[16];
    /* Why sampling stopped (ompsweep run): "fixed" (--reps N), "ci" (the
     * --ci-target was met), "max_reps" or "max_time" (--reps auto hit a
     * bound); empty where it does not apply. */
    char stop_reason[12];
    /* Share of the kernel's arrays that transparent huge pages backed after
     * setup, 0..1 (ompsweep run); NaN where unknown or not measured. */
    double huge_page_share;
} osw_row;

extern const char osw_summary_header[];
extern const char osw_samples_header[];

/* Writes the summary header line. Returns 0 or -errno. */
int osw_csv_summary_header(FILE *f);
/* Writes one summary row and flushes. Returns 0 or -errno. */
int osw_csv_summary_row(FILE *f, const osw_row *row);
/* Writes the samples header line. */
int osw_csv_samples_header(FILE *f);
/* Writes the samples of one configuration (one line per rep) in one write
 * and flushes. */
int osw_csv_samples_rows(FILE *f, const osw_row *row, const double *seconds, size_t count);

/* Reading back. A table of strings, header first; cells own their text. */
typedef struct osw_table {
    size_t ncols, nrows; /* nrows excludes the header */
    char **header;       /* ncols names */
    char ***rows;        /* nrows arrays of ncols cells */
    int dropped_partial; /* 1 when a trailing line without newline was ignored */
} osw_table;

/* Reads a CSV file written by this module (quoted cells allowed). Every row
 * must have the header's number of cells; a last line without its newline (a
 * killed writer) is dropped and flagged. Returns 0, OSW_EFORMAT with a
 * message in err (256 bytes), or -errno. */
int osw_csv_read(const char *path, osw_table *t, char *err);
/* Column index of name, or -1. */
int osw_table_col(const osw_table *t, const char *name);
void osw_table_free(osw_table *t);

/* Fills row from cells of table t's row i (columns looked up by name; absent
 * optional columns get defaults). Returns 0 or OSW_EFORMAT with err set. */
int osw_row_from_table(const osw_table *t, size_t i, osw_row *row, char *err);

#endif

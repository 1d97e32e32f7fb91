/* regions.h: per-region profiles from the suite's OMPT tool
 * (tools/ompt/osw_ompt.c, docs/regions.md): reads the blocks the tool
 * appends to its output file (one per process), averages them per run,
 * maps each region's code address to "file:line" and its function with
 * elfutils' libdw, and writes the rows of regions.csv (docs/schema.md).
 *
 * Nothing here prints or exits; functions return 0 or a negative code
 * (error.h) with err (OSW_ERRLEN bytes) set where they take one. */
#ifndef OSW_REGIONS_H
#define OSW_REGIONS_H

#include <stddef.h>
#include <stdio.h>

/* One parallel region, its figures per run (the mean over the runs read). */
typedef struct osw_region {
    char module[1024];        /* the ELF file holding the code address */
    unsigned long long vaddr; /* the code address in that file's terms */
    char where[1100];         /* "FILE:LINE", or "MODULE+0xVADDR" unmapped */
    char function[256];       /* the function holding it; "" unknown */
    double calls, total_s;
    int team_req, team_ran_min, team_ran_max; /* over all runs */
    double threads;                           /* threads that ran its implicit tasks */
    double task_s, barrier_raw_s;             /* sums over the threads, as the tool saw */
    double busy_max_s, busy_mean_s;           /* per thread: in the region, not waiting */
    char work[160];                           /* worksharing kinds seen, "-" none */
    int nested;                               /* it began inside another region */
} osw_region;

typedef struct osw_regions {
    osw_region *v;
    size_t n;
    int runs;                   /* the tool's blocks read (one per process) */
    double wall_s;              /* the tool's time per run: runtime start to finalize */
    unsigned long long dropped; /* events the tool could not keep */
} osw_regions;

/* The key of the configuration the regions belong to (summary.csv's key
 * columns, the runtime and the environment settings as free text). */
typedef struct osw_regions_key {
    const char *kernel;
    size_t n;
    int threads;
    const char *schedule;
    int chunk;
    const char *runtime;
    const char *env;
} osw_regions_key;

/* regions.csv's header line (without the newline). */
extern const char osw_regions_header[];

/* Reads the tool's output file path into r (zeroed first): the last `last`
 * blocks (0: all), each a run; the figures are averaged over them. A file
 * that holds no block gives r->runs 0 and returns 0. Returns 0, -errno
 * when the file cannot be read (-ENOENT: the tool never wrote: the program
 * did not run on an OMPT runtime), OSW_EFORMAT for a malformed block,
 * -ENOMEM; err says why. */
int osw_regions_read(const char *path, int last, osw_regions *r, char *err);

/* Maps every region's address to where and function with libdw (the
 * return address less one, the call that started the region); a region
 * without line information gets "MODULE+0xVADDR" (and its symbol, where
 * the symbol table has one). Without libdw every region is unmapped. */
void osw_regions_map(osw_regions *r);

/* Sorts the regions by total_s, largest first. */
void osw_regions_sort(osw_regions *r);

/* Appends r's rows to f, each with key's columns (see docs/schema.md).
 * Returns 0 or -errno of the write. */
int osw_regions_write(FILE *f, const osw_regions_key *key, const osw_regions *r);

void osw_regions_free(osw_regions *r);

/* One row of regions.csv read back (the columns `ompsweep tune` uses). */
typedef struct osw_region_row {
    char kernel[64], schedule[32], env[512], region[1100], function[256];
    size_t n;
    int threads, chunk, team_ran;
    double total_s, calls, imbalance, program_s, serial_s;
    int nested;
} osw_region_row;

/* Reads regions.csv (as osw_regions_write writes it; quoted cells allowed)
 * into *rows (malloc'd, *n of them; free() it). Returns 0, -errno when it
 * cannot be read, OSW_EFORMAT ("FILE:LINE: what" in err) for a header
 * without the columns used or a cell that is not what the writer writes,
 * -ENOMEM. */
int osw_regions_csv_read(const char *path, osw_region_row **rows, size_t *n, char *err);

/* One program's curves, over rows[0..n): the program is the kernel column
 * base (an exec label, without a schema-7 @BIND tag) at size. */
int osw_regions_in_group(const osw_region_row *r, const char *base, size_t size);
/* Its sorted distinct thread counts into t (at most max); their number. */
int osw_regions_threads(const osw_region_row *rows, size_t n, const char *base, size_t size, int *t,
                        int max);
/* The smallest total_s of region at threads over its configurations (the
 * best schedule and environment), NAN when not measured; *row: that row. */
double osw_regions_best_time(const osw_region_row *rows, size_t n, const char *base, size_t size,
                             const char *region, int threads, const osw_region_row **row);
/* The smallest program_s at threads, and its serial_s into *serial. */
double osw_regions_best_program(const osw_region_row *rows, size_t n, const char *base, size_t size,
                                int threads, double *serial);

/* plotdata's regions tables (docs/plots.md): for each program of
 * regions_csv, TABLEDIR/regions-PROGRAM.dat (block 0: threads, serial_s and
 * the best time of its largest regions, the rest summed, a row per thread
 * count; then one block per region: threads and its speedup) and the index
 * TABLEDIR/regions.gp. Returns the number of figures (0: none) or a
 * negative code with err set. */
int osw_regions_tables(const char *regions_csv, const char *tabledir, const char *label, char *err);

#endif

/* plotdata.h: `ompsweep plotdata`, the reducer behind the figures. It reads
 * a run's summary.csv (and meta.json for the machine name) once and writes,
 * per figure kind, the small tables the gnuplot scripts in plots/ draw:
 * TABLEDIR/KIND.gp (gnuplot assignments: one entry per figure with its
 * kernel, size, ranges, series, styles, fits, notes) and
 * TABLEDIR/KIND-KERNEL.dat (whitespace-separated columns, one block per
 * series, blocks separated by two blank lines: gnuplot's `index`).
 * docs/plots.md documents every table. Fits and crossovers are lib/fit.h's,
 * the same as `ompsweep tune` prints. Never prints; notes about figures it
 * leaves out go to a callback. */
#ifndef OSW_PLOTDATA_H
#define OSW_PLOTDATA_H

#include <stddef.h>

/* The figure kinds, in drawing order; OSW_PLOT_ALL is every kind but
 * mpi-grid (which reads the rows with ranks > 1 the others leave out). */
enum {
    OSW_PLOT_SPEEDUP = 1 << 0,
    OSW_PLOT_EFFICIENCY = 1 << 1,
    OSW_PLOT_OVERHEAD = 1 << 2,
    OSW_PLOT_BANDWIDTH = 1 << 3,
    OSW_PLOT_SCHEDULES = 1 << 4,
    OSW_PLOT_SIZE = 1 << 5,
    OSW_PLOT_IMBALANCE = 1 << 6,
    OSW_PLOT_MPI_GRID = 1 << 7,
    OSW_PLOT_ALL = (1 << 7) - 1,
    /* from DIR/regions.csv (exec --regions), not summary.csv: its own
     * kind, outside ALL, drawn where the file is there */
    OSW_PLOT_REGIONS = 1 << 8,
};

/* The kind named name ("speedup", ..., "mpi-grid", or "all"), or 0. */
unsigned osw_plot_kind(const char *name);
/* The name of one kind bit. */
const char *osw_plot_kind_name(unsigned kind);

typedef struct osw_plotdata_opts {
    const char *input; /* a run directory (its summary.csv), or a summary CSV file */
    const char *out;   /* TABLEDIR, created when missing */
    unsigned kinds;    /* OSW_PLOT_* bits */
    /* called once per figure left out, with "KIND: no figure for KERNEL:
     * why" or "KIND: nothing to draw ..."; may be NULL */
    void (*note)(void *ctx, const char *line);
    void *ctx;
} osw_plotdata_opts;

/* Reduces o->input into o->out. Returns 0; OSW_EFORMAT with err set
 * ("FILE:LINE: what", or "FILE: missing required column 'X'") for a
 * malformed summary, OSW_EUSAGE ("FILE: reason") for one that cannot be
 * read; -errno with err set ("PATH: reason") when a table cannot be
 * written; -ENOMEM. err: 512 bytes. */
int osw_plotdata(const osw_plotdata_opts *o, char *err);

#endif

/* mpi_measure.h: one configuration measured by every rank of an MPI
 * communicator (hybrid MPI + OpenMP), and the split of a problem over ranks.
 *
 * Every rank sets its kernel up on its own slice of the global problem
 * (osw_index_base = the slice's first global index, so its elements are the
 * very ones the single-process run has at those positions), runs the same
 * lifecycle as osw_measure (setup, warm-up, calibrated inner repetitions,
 * timed samples, verify, teardown) and times its own runs; each timed sample
 * starts after an MPI_Barrier, and the sample reported is the slowest rank's
 * (MPI_MAX). Collective: every rank of comm calls it with the same arguments. */
#ifndef OSW_MPI_MEASURE_H
#define OSW_MPI_MEASURE_H

#include "csv.h"
#include "kernel.h"

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

/* CPUs of a rank's first threads kept in ranks.csv. */
#define OSW_MPI_CPUS 16

/* One rank's view of one configuration (gathered to rank 0 for ranks.csv). */
typedef struct osw_rank_rec {
    double median_s, min_s, max_s; /* of this rank's own samples */
    double imbalance;              /* across this rank's threads */
    double cpu_per_wall;           /* this process's CPU time / its timed wall time */
    double rel_err;                /* from this rank's verify */
    double result;                 /* this rank's local result (NaN when none) */
    uint64_t n_local, index_base;
    int verified; /* this rank's verify of its own slice */
    int ncpus;
    int cpus[OSW_MPI_CPUS];
    char host[64];
} osw_rank_rec;

/* How a rank takes part in a measurement. */
typedef struct osw_mpi_env {
    MPI_Comm comm;
    int rank, size;
    /* Test hook (OSW_MPI_FAIL_RANK): this rank corrupts its local result (or,
     * for a kernel whose result does not combine, OSW_COMBINE_NONE, fails its
     * verification) before the global check, so the whole run must report
     * verified=0. -1: none. */
    int fail_rank;
} osw_mpi_env;

/* The slice of [0, n) that rank owns among ranks: n / ranks elements, one
 * more for each of the first n % ranks ranks, in rank order. */
void osw_mpi_partition(size_t n, int ranks, int rank, size_t *n_local, size_t *offset);

/* Measures kernel k at global size n (n >= ranks) with the threads and
 * schedule already applied on every rank. Fills row (not speedup,
 * efficiency, overhead_ns) with the global figures: samples are the max over
 * ranks, verified is 1 only when every rank verified its slice and the
 * combined result passed the global check, result is the combined result
 * (by the kernel's combine rule, kernel.h; NaN for OSW_COMBINE_NONE).
 * seconds[0..reps) gets the max-over-ranks samples on every rank. On rank 0,
 * recs[0..size) gets each rank's record and *spread the spread of the
 * per-rank medians, (max - min) / max. Returns 0, or the first setup error
 * (negative) of any rank, on every rank. */
int osw_mpi_measure(const osw_mpi_env *env, const osw_kernel *k, size_t n, int reps, int warmup,
                    double min_sample_s, osw_row *row, double *seconds, osw_rank_rec *recs,
                    double *spread);

#endif

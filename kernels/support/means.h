/* means.h: the state and the setup, check, result and teardown (means.c)
 * shared by the mean kernels that differ only in their timed loop (mean_f64
 * and mean_f64_4way; mean_i32 and mean_i32_4way). Kernels only; the harness
 * never includes this. */
#ifndef OSW_MEANS_H
#define OSW_MEANS_H

#include <stddef.h>
#include <stdint.h>

/* n doubles in [0, 1) from the generator's stream 2 (the notebooks' rand). */
typedef struct osw_mean_f64 {
    size_t n;
    double *a;
    double mean; /* written by run; NaN before */
} osw_mean_f64_state;

/* n int32 values in 0..9 from stream 1 (the notebooks' randint(0, 10)). */
typedef struct osw_mean_i32 {
    size_t n;
    int32_t *a;
    int64_t sum; /* written by run, exact; -1 before */
    double mean;
} osw_mean_i32_state;

/* Allocate and first-touch (schedule(runtime)) the array; 0 or -ENOMEM. */
int osw_mean_f64_setup(void **ctx, size_t n);
int osw_mean_i32_setup(void **ctx, size_t n);
/* mean_f64: Neumaier-compensated long double reference, tolerance
 * gamma_(n-1) + 2u (any summation order). mean_i32: the exact int64 sum,
 * recomputed serially from the generator. 1 pass, 0 fail. */
int osw_mean_f64_verify(const void *ctx, double *rel_err);
int osw_mean_i32_verify(const void *ctx, double *rel_err);
double osw_mean_f64_result(const void *ctx);
double osw_mean_i32_result(const void *ctx);
void osw_mean_f64_teardown(void *ctx);
void osw_mean_i32_teardown(void *ctx);

/* The distance s, in elements of elem bytes, between the four streams of a
 * 4-way kernel over n elements: the largest s <= n / 4 with s * elem = 1 KiB
 * modulo 4 KiB, so that the four loads of an iteration sit 1 KiB apart in
 * every 4 KiB and never alias in the L1 sets (with s = n / 4 and n a power
 * of two they all would: 6% lost at 2^27 on the 2-core machine); n / 4 when
 * that is under 1 KiB. Elements from 4 * s on (at most 3 + 4 * 4096 / elem)
 * are the kernel's tail. */
static inline size_t osw_quarter_stride(size_t n, size_t elem)
{
    size_t bytes = n / 4 * elem;
    if (bytes < 1024)
        return n / 4;
    return (bytes - (bytes - 1024) % 4096) / elem;
}

#endif

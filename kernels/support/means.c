/* means.c: the setup, check, result and teardown shared by the mean kernels
 * (mean_f64 and mean_f64_4way; mean_i32 and mean_i32_4way), which differ
 * only in their timed loop. Here, not in mean_f64.c or mean_i32.c, so that
 * no kernel file depends on another. */
#include "means.h"
#include "kernel.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>

#define SEED_F64 2 /* the notebooks' rand (mean_f64_repro reads the same) */
#define SEED_I32 1 /* the notebooks' randint(0, 10) */

int osw_mean_f64_setup(void **ctx, size_t n)
{
    osw_mean_f64_state *k = calloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    k->n = n;
    k->a = osw_alloc(n * sizeof(*k->a));
    if (!k->a) {
        free(k);
        return -ENOMEM;
    }
    double *a = k->a;
#pragma omp parallel for schedule(runtime)
    for (size_t i = 0; i < n; i++)
        a[i] = osw_gen_unit(SEED_F64, i);
    k->mean = NAN;
    *ctx = k;
    return 0;
}

int osw_mean_f64_verify(const void *ctx, double *rel_err)
{
    const osw_mean_f64_state *k = ctx;
    return osw_check_unit_mean(SEED_F64, k->n, k->mean, rel_err);
}

double osw_mean_f64_result(const void *ctx)
{
    return ((const osw_mean_f64_state *)ctx)->mean;
}

void osw_mean_f64_teardown(void *ctx)
{
    osw_mean_f64_state *k = ctx;
    if (!k)
        return;
    osw_free(k->a);
    free(k);
}

int osw_mean_i32_setup(void **ctx, size_t n)
{
    osw_mean_i32_state *k = calloc(1, sizeof(*k));
    if (!k)
        return -ENOMEM;
    k->n = n;
    k->a = osw_alloc(n * sizeof(*k->a));
    if (!k->a) {
        free(k);
        return -ENOMEM;
    }
    int32_t *a = k->a;
#pragma omp parallel for schedule(runtime)
    for (size_t i = 0; i < n; i++)
        a[i] = (int32_t)osw_gen_below(SEED_I32, i, 10);
    k->sum = -1;
    k->mean = NAN;
    *ctx = k;
    return 0;
}

int osw_mean_i32_verify(const void *ctx, double *rel_err)
{
    const osw_mean_i32_state *k = ctx;
    int64_t ref = 0;
    for (size_t i = 0; i < k->n; i++)
        ref += osw_gen_below(SEED_I32, i, 10);
    double ref_mean = k->n ? (double)ref / (double)k->n : 0.0;
    *rel_err = ref_mean != 0 ? (k->mean - ref_mean) / ref_mean : k->mean - ref_mean;
    if (*rel_err < 0)
        *rel_err = -*rel_err;
    return k->sum == ref && k->mean == ref_mean;
}

double osw_mean_i32_result(const void *ctx)
{
    return ((const osw_mean_i32_state *)ctx)->mean;
}

void osw_mean_i32_teardown(void *ctx)
{
    osw_mean_i32_state *k = ctx;
    if (!k)
        return;
    osw_free(k->a);
    free(k);
}

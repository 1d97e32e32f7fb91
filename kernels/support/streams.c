/* streams.c: setup, teardown and verification shared by the element-wise
 * kernels on doubles. */
#include "streams.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

void osw_streams_teardown(void *ctx)
{
    osw_streams *s = ctx;
    if (!s)
        return;
    osw_free(s->x);
    osw_free(s->y);
    osw_free(s->out);
    free(s);
}

int osw_streams_setup(void **ctx, size_t n, uint64_t seed_x, uint64_t seed_y)
{
    osw_streams *s = calloc(1, sizeof(*s));
    if (!s)
        return -ENOMEM;
    s->n = n;
    s->x = osw_alloc(n * sizeof(double));
    s->y = osw_alloc(n * sizeof(double));
    s->out = osw_alloc(n * sizeof(double));
    if (!s->x || !s->y || !s->out) {
        osw_streams_teardown(s);
        return -ENOMEM;
    }
    double *x = s->x, *y = s->y, *out = s->out;
#pragma omp parallel for schedule(runtime)
    for (size_t i = 0; i < n; i++) {
        x[i] = osw_gen_unit(seed_x, i);
        y[i] = osw_gen_unit(seed_y, i);
        out[i] = NAN;
    }
    *ctx = s;
    return 0;
}

double osw_streams_max_rel_err(const osw_streams *s, uint64_t seed_x, uint64_t seed_y,
                               long double (*ref)(double x, double y))
{
    double worst = 0;
    for (size_t i = 0; i < s->n; i++) {
        long double want = ref(osw_gen_unit(seed_x, i), osw_gen_unit(seed_y, i));
        long double diff = fabsl(s->out[i] - want);
        double err = (double)(want != 0 ? diff / fabsl(want) : diff);
        if (isnan(err))
            return INFINITY;
        if (err > worst)
            worst = err;
    }
    return worst;
}

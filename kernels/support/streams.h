/* streams.h: the state shared by the element-wise kernels on doubles
 * (vector_add, triad and their streaming-store variants): two input arrays
 * x and y from the generator and one output array out. Kernels only; the
 * harness never includes this. */
#ifndef OSW_STREAMS_H
#define OSW_STREAMS_H

#include <stddef.h>
#include <stdint.h>

typedef struct osw_streams {
    size_t n;
    double *x, *y, *out;
} osw_streams;

/* Allocates the three arrays for n elements and first-touches them in
 * parallel (schedule(runtime), under the current threads and schedule): x
 * and y from streams seed_x and seed_y, out NaN so that a run that never
 * wrote an element fails verification. Returns 0 and sets *ctx, or -ENOMEM
 * with nothing allocated. */
int osw_streams_setup(void **ctx, size_t n, uint64_t seed_x, uint64_t seed_y);

/* Frees what osw_streams_setup allocated; accepts NULL. */
void osw_streams_teardown(void *ctx);

/* The largest relative error of out[i] against ref(x_i, y_i), with x_i and
 * y_i recomputed from the generator (never read back from the arrays);
 * infinity when an element is NaN (never written). */
double osw_streams_max_rel_err(const osw_streams *s, uint64_t seed_x, uint64_t seed_y,
                               long double (*ref)(double x, double y));

#endif

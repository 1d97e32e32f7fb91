/* ceiling_write: the machine's write ceiling: a[i] = v for n doubles, each
 * 64-byte line written from a register with streaming stores (stream_store.h;
 * no write-allocate read, so only the written bytes move), hand-written,
 * each thread one contiguous block of lines (schedule(static), inlined: the
 * ceiling does not follow the harness's schedule); the n % 8 tail is stored
 * normally. Setup fills a with NaN, so an element the run missed fails.
 * Traffic: 8 bytes written per element; no arithmetic. Check: every element
 * equals v, bit for bit. */
#include "kernel.h"
#include "stream_store.h"
#include "util.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>

#define VALUE 0.3125 /* any double; 5/16 is exact */

typedef struct {
    size_t n;
    double *a;
} state;

static void teardown(void *ctx)
{
    state *s = ctx;
    if (!s)
        return;
    osw_free(s->a);
    free(s);
}

static int setup(void **ctx, size_t n)
{
    state *s = calloc(1, sizeof(*s));
    if (!s)
        return -ENOMEM;
    s->n = n;
    s->a = osw_alloc(n * sizeof(double));
    if (!s->a) {
        teardown(s);
        return -ENOMEM;
    }
    double *a = s->a;
#pragma omp parallel for schedule(runtime)
    for (size_t i = 0; i < n; i++)
        a[i] = NAN;
    *ctx = s;
    return 0;
}

static void run(void *ctx)
{
    state *k = ctx;
    double *a = k->a;
    const size_t n = k->n, lines = n / OSW_LINE_DOUBLES;
#pragma omp parallel
    {
        const osw_line v = osw_line_set1(VALUE);
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp for schedule(static) nowait
        for (size_t line = 0; line < lines; line++)
            osw_line_stream(a + line * OSW_LINE_DOUBLES, v);
#pragma omp single nowait
        for (size_t i = lines * OSW_LINE_DOUBLES; i < n; i++)
            a[i] = VALUE;
        osw_stream_fence();
        osw_probe_end(t0, cpu);
    }
}

static int verify(const void *ctx, double *rel_err)
{
    const state *k = ctx;
    size_t bad = 0;
    for (size_t i = 0; i < k->n; i++)
        bad += k->a[i] != VALUE;
    *rel_err = bad ? INFINITY : 0;
    return bad == 0;
}

const osw_kernel osw_ceiling_write = {
    .name = "ceiling_write",
    .summary = "write ceiling: hand-written streaming stores of one value",
    .unit = "elements",
    .bytes_per_elem = 8,
    .ops_per_elem = 0,
    .alloc_bytes_per_elem = 8,
    .kind = OSW_MEMORY_BOUND,
    .default_n = 1u << 25,
    .setup = setup,
    .run = run,
    .verify = verify,
    .teardown = teardown,
    .combine = OSW_COMBINE_NONE,
};

/* alloc.c: aligned, huge-page-advised allocation for kernel arrays, and the
 * shared check of the means of generated doubles. */
#define _GNU_SOURCE
#include "kernel.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE (2u << 20)

void *osw_alloc(size_t bytes)
{
    void *p = NULL;
    size_t align = bytes >= HUGE_PAGE ? HUGE_PAGE : 64;
    if (bytes == 0)
        bytes = 64;
    if (posix_memalign(&p, align, bytes) != 0)
        return NULL;
#if defined(MADV_HUGEPAGE) && defined(MADV_NOHUGEPAGE)
    /* Advice only: where THP is off or unsupported the call fails harmlessly.
     * NOHUGEPAGE also keeps THP "always" from backing the range. */
    if (bytes >= HUGE_PAGE)
        (void)madvise(p, bytes - bytes % HUGE_PAGE,
                      osw_huge_pages ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
#endif
    return p;
}

void osw_free(void *p)
{
    free(p);
}

int osw_check_unit_mean(uint64_t seed, size_t n, double mean, double *rel_err)
{
    long double sum = 0, comp = 0;
    for (size_t i = 0; i < n; i++) {
        long double x = osw_gen_unit(seed, i);
        long double t = sum + x;
        comp += fabsl(sum) >= fabsl(x) ? (sum - t) + x : (x - t) + sum;
        sum = t;
    }
    double ref = n ? (double)((sum + comp) / (long double)n) : 0.0;
    double err = fabs(mean - ref);
    *rel_err = ref != 0 ? err / ref : err;
    double tol = osw_gamma(n > 1 ? (double)(n - 1) : 0) + 2 * OSW_U;
    return isfinite(mean) && *rel_err <= tol;
}

/* alloc.c: aligned, huge-page-advised allocation for kernel arrays. */
#define _GNU_SOURCE
#include "util.h"

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
#ifdef MADV_HUGEPAGE
    /* Advice only: where THP is off or unsupported the call fails harmlessly. */
    if (bytes >= HUGE_PAGE)
        (void)madvise(p, bytes - bytes % HUGE_PAGE, MADV_HUGEPAGE);
#endif
    return p;
}

void osw_free(void *p)
{
    free(p);
}

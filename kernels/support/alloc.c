/* alloc.c: kernel arrays in their own mappings, 2 MiB-aligned and advised
 * for (or against) transparent huge pages when large, and the shared check
 * of the means of generated doubles. */
#define _GNU_SOURCE
#include "kernel.h"
#include "util.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE ((size_t)2 << 20)

static _Atomic size_t advised_bytes;
static _Atomic size_t sequence;            /* arrays allocated since osw_alloc_restart */
static osw_range advised[OSW_MAX_ADVISED]; /* ranges advised since then */
static _Atomic size_t nadvised;
static osw_alloc_policy policy = {.huge_pages = 1, .array_offset = 0};

void osw_alloc_set_policy(const osw_alloc_policy *p)
{
    policy.huge_pages = p ? p->huge_pages != 0 : 1;
    policy.array_offset = p ? p->array_offset : 0;
}

osw_alloc_policy osw_alloc_get_policy(void)
{
    return policy;
}

void osw_alloc_restart(void)
{
    atomic_store(&sequence, 0);
    atomic_store(&nadvised, 0);
}

size_t osw_advised_ranges(osw_range *out, size_t max)
{
    size_t n = atomic_load(&nadvised);
    for (size_t i = 0; i < n && i < max && i < OSW_MAX_ADVISED; i++)
        out[i] = advised[i];
    return n;
}

size_t osw_advised_bytes(void)
{
    return atomic_load(&advised_bytes);
}

/* Gives [p, p + len) the page advice of policy.huge_pages and counts it. Advice
 * only: where THP is off or unsupported the call fails harmlessly;
 * NOHUGEPAGE also keeps THP "always" from backing the range. */
static void advise(void *p, size_t len)
{
#if defined(MADV_HUGEPAGE) && defined(MADV_NOHUGEPAGE)
    if (madvise(p, len, policy.huge_pages ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) == 0) {
        atomic_fetch_add(&advised_bytes, len);
        size_t i = atomic_fetch_add(&nadvised, 1);
        if (i < OSW_MAX_ADVISED)
            advised[i] = (osw_range){.start = (uintptr_t)p, .len = len};
    }
#else
    (void)p;
    (void)len;
#endif
}

#ifdef OSW_ASAN
/* Under AddressSanitizer the arrays come from its allocator, whose redzones
 * catch a kernel that runs past its array; policy.array_offset is ignored. */
void *osw_alloc(size_t bytes)
{
    void *p = NULL;
    if (bytes == 0)
        bytes = 64;
    if (posix_memalign(&p, bytes >= HUGE_PAGE ? HUGE_PAGE : 64, bytes) != 0)
        return NULL;
    if (bytes >= HUGE_PAGE)
        advise(p, bytes - bytes % HUGE_PAGE);
    return p;
}

void osw_free(void *p)
{
    free(p);
}
#else
/* Each array is a mapping of its own, so every setup gets fresh pages: first
 * touched by that setup's threads (page placement follows the
 * configuration, not an earlier one whose freed memory malloc would hand
 * back) and given huge pages or not by this call's advice alone. The page
 * before the data holds the mapping's start and length for osw_free. */
struct mapping {
    void *start;
    size_t len;
};

static size_t round_up(size_t x, size_t to)
{
    return (x + to - 1) / to * to;
}

void *osw_alloc(size_t bytes)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (bytes == 0)
        bytes = 64;
    /* The k-th array of this setup starts k * policy.array_offset past its
     * boundary (whole cache lines, so streaming stores stay aligned). */
    size_t k = atomic_fetch_add(&sequence, 1);
    size_t unit = policy.array_offset - policy.array_offset % 64;
    if (bytes > SIZE_MAX / 4 || (unit && k > (SIZE_MAX / 4) / unit))
        return NULL;
    size_t shift = k * unit;
    if (shift > SIZE_MAX / 4 - bytes)
        return NULL;
    int huge = bytes >= HUGE_PAGE;
    size_t align = huge ? HUGE_PAGE : page;
    size_t span = round_up(shift + bytes, align); /* whole huge pages: advised to the end */
    size_t len = page + span + (huge ? HUGE_PAGE : 0);
    char *base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    char *aligned = base + (round_up((uintptr_t)base + page, align) - (uintptr_t)base);
    /* Keep one page before the boundary and the span after it; unmap the rest. */
    char *start = aligned - page, *end = aligned + span, *data = aligned + shift;
    if (start > base)
        munmap(base, (size_t)(start - base));
    if (base + len > end)
        munmap(end, (size_t)(base + len - end));
    struct mapping *m = (struct mapping *)(void *)(data - sizeof(*m));
    m->start = start;
    m->len = page + span;
    if (huge)
        advise(aligned, span);
    return data;
}

void osw_free(void *p)
{
    if (!p)
        return;
    const struct mapping *m = (const struct mapping *)(void *)((char *)p - sizeof(*m));
    munmap(m->start, m->len);
}
#endif

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

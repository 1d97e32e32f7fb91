/* stream_store.h: one 64-byte cache line of doubles (osw_line), computed in
 * registers and stored with non-temporal (streaming) stores, which bypass the
 * cache and so skip the read that a write-allocate cache does before an
 * ordinary store.
 *
 * A line is loaded, combined and stored as whole vector registers: one
 * 512-bit register with AVX-512F, two 256-bit ones with AVX, four 128-bit
 * ones with SSE2 (the x86-64 baseline, -DOSW_NATIVE=OFF), eight doubles with
 * ordinary stores elsewhere (OSW_STREAM_STORES is 0 there). Nothing goes
 * through memory between the arithmetic and the streaming store: an earlier
 * version wrote the line to a stack buffer in two 32-byte halves and reloaded
 * it as one 64-byte load, which cannot be forwarded from two stores and so
 * waited for both (issue 21).
 *
 * The arithmetic is one rounding per operation (no fused multiply-add unless
 * the compiler contracts the portable path), as in the kernels' checks. */
#ifndef OSW_STREAM_STORE_H
#define OSW_STREAM_STORE_H

#if defined(__SSE2__)
#include <immintrin.h>
#define OSW_STREAM_STORES 1
#else
#define OSW_STREAM_STORES 0
#endif

#define OSW_LINE_DOUBLES 8

#if OSW_STREAM_STORES && defined(__AVX512F__)
#define OSW_LINE_BITS 512
typedef struct osw_line {
    __m512d v;
} osw_line;
#elif OSW_STREAM_STORES && defined(__AVX__)
#define OSW_LINE_BITS 256
typedef struct osw_line {
    __m256d lo, hi;
} osw_line;
#elif OSW_STREAM_STORES
#define OSW_LINE_BITS 128
typedef struct osw_line {
    __m128d v0, v1, v2, v3;
} osw_line;
#else
#define OSW_LINE_BITS 64
typedef struct osw_line {
    double v[OSW_LINE_DOUBLES];
} osw_line;
#endif

/* The eight doubles at p (any alignment). */
static inline osw_line osw_line_load(const double *p)
{
    osw_line r;
#if OSW_LINE_BITS == 512
    r.v = _mm512_loadu_pd(p);
#elif OSW_LINE_BITS == 256
    r.lo = _mm256_loadu_pd(p);
    r.hi = _mm256_loadu_pd(p + 4);
#elif OSW_LINE_BITS == 128
    r.v0 = _mm_loadu_pd(p);
    r.v1 = _mm_loadu_pd(p + 2);
    r.v2 = _mm_loadu_pd(p + 4);
    r.v3 = _mm_loadu_pd(p + 6);
#else
    for (int j = 0; j < OSW_LINE_DOUBLES; j++)
        r.v[j] = p[j];
#endif
    return r;
}

/* s in all eight lanes. */
static inline osw_line osw_line_set1(double s)
{
    osw_line r;
#if OSW_LINE_BITS == 512
    r.v = _mm512_set1_pd(s);
#elif OSW_LINE_BITS == 256
    r.lo = r.hi = _mm256_set1_pd(s);
#elif OSW_LINE_BITS == 128
    r.v0 = r.v1 = r.v2 = r.v3 = _mm_set1_pd(s);
#else
    for (int j = 0; j < OSW_LINE_DOUBLES; j++)
        r.v[j] = s;
#endif
    return r;
}

/* Lane-wise x + y. */
static inline osw_line osw_line_add(osw_line x, osw_line y)
{
    osw_line r;
#if OSW_LINE_BITS == 512
    r.v = _mm512_add_pd(x.v, y.v);
#elif OSW_LINE_BITS == 256
    r.lo = _mm256_add_pd(x.lo, y.lo);
    r.hi = _mm256_add_pd(x.hi, y.hi);
#elif OSW_LINE_BITS == 128
    r.v0 = _mm_add_pd(x.v0, y.v0);
    r.v1 = _mm_add_pd(x.v1, y.v1);
    r.v2 = _mm_add_pd(x.v2, y.v2);
    r.v3 = _mm_add_pd(x.v3, y.v3);
#else
    for (int j = 0; j < OSW_LINE_DOUBLES; j++)
        r.v[j] = x.v[j] + y.v[j];
#endif
    return r;
}

/* Lane-wise x * y. */
static inline osw_line osw_line_mul(osw_line x, osw_line y)
{
    osw_line r;
#if OSW_LINE_BITS == 512
    r.v = _mm512_mul_pd(x.v, y.v);
#elif OSW_LINE_BITS == 256
    r.lo = _mm256_mul_pd(x.lo, y.lo);
    r.hi = _mm256_mul_pd(x.hi, y.hi);
#elif OSW_LINE_BITS == 128
    r.v0 = _mm_mul_pd(x.v0, y.v0);
    r.v1 = _mm_mul_pd(x.v1, y.v1);
    r.v2 = _mm_mul_pd(x.v2, y.v2);
    r.v3 = _mm_mul_pd(x.v3, y.v3);
#else
    for (int j = 0; j < OSW_LINE_DOUBLES; j++)
        r.v[j] = x.v[j] * y.v[j];
#endif
    return r;
}

/* Stores x to dst (any alignment) with ordinary stores. */
static inline void osw_line_store(double *dst, osw_line x)
{
#if OSW_LINE_BITS == 512
    _mm512_storeu_pd(dst, x.v);
#elif OSW_LINE_BITS == 256
    _mm256_storeu_pd(dst, x.lo);
    _mm256_storeu_pd(dst + 4, x.hi);
#elif OSW_LINE_BITS == 128
    _mm_storeu_pd(dst, x.v0);
    _mm_storeu_pd(dst + 2, x.v1);
    _mm_storeu_pd(dst + 4, x.v2);
    _mm_storeu_pd(dst + 6, x.v3);
#else
    for (int j = 0; j < OSW_LINE_DOUBLES; j++)
        dst[j] = x.v[j];
#endif
}

/* The sum of x's eight lanes, in lane order (outside timed inner loops). */
static inline double osw_line_sum(osw_line x)
{
    double lanes[OSW_LINE_DOUBLES], sum = 0;
    osw_line_store(lanes, x);
    for (int j = 0; j < OSW_LINE_DOUBLES; j++)
        sum += lanes[j];
    return sum;
}

/* Stores x to dst (64-byte aligned) with streaming stores straight from the
 * registers. */
static inline void osw_line_stream(double *dst, osw_line x)
{
#if OSW_LINE_BITS == 512
    _mm512_stream_pd(dst, x.v);
#elif OSW_LINE_BITS == 256
    _mm256_stream_pd(dst, x.lo);
    _mm256_stream_pd(dst + 4, x.hi);
#elif OSW_LINE_BITS == 128
    _mm_stream_pd(dst, x.v0);
    _mm_stream_pd(dst + 2, x.v1);
    _mm_stream_pd(dst + 4, x.v2);
    _mm_stream_pd(dst + 6, x.v3);
#else
    for (int j = 0; j < OSW_LINE_DOUBLES; j++)
        dst[j] = x.v[j];
#endif
}

/* Orders this thread's streaming stores before what follows (the region's
 * barrier), as they are weakly ordered. */
static inline void osw_stream_fence(void)
{
#if OSW_STREAM_STORES
    _mm_sfence();
#endif
}

#endif

/* stream_store.h: one 64-byte cache line of doubles stored with non-temporal
 * (streaming) stores, which bypass the cache and so skip the read that a
 * write-allocate cache does before an ordinary store. x86-64 only (SSE2 is
 * its baseline; AVX and AVX-512 when compiled for them); elsewhere the
 * stores are ordinary and OSW_STREAM_STORES is 0. */
#ifndef OSW_STREAM_STORE_H
#define OSW_STREAM_STORE_H

#if defined(__x86_64__) || defined(__SSE2__)
#include <immintrin.h>
#define OSW_STREAM_STORES 1
#else
#define OSW_STREAM_STORES 0
#endif

#define OSW_LINE_DOUBLES 8

/* Stores line[0..8) to dst (64-byte aligned) with streaming stores. */
static inline void osw_stream_line(double *dst, const double *line)
{
#if OSW_STREAM_STORES && defined(__AVX512F__)
    _mm512_stream_pd(dst, _mm512_loadu_pd(line));
#elif OSW_STREAM_STORES && defined(__AVX__)
    _mm256_stream_pd(dst, _mm256_loadu_pd(line));
    _mm256_stream_pd(dst + 4, _mm256_loadu_pd(line + 4));
#elif OSW_STREAM_STORES
    for (int j = 0; j < 8; j += 2)
        _mm_stream_pd(dst + j, _mm_loadu_pd(line + j));
#else
    for (int j = 0; j < 8; j++)
        dst[j] = line[j];
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

/* util.h: helpers shared by the kernel files (not part of the kernel contract;
 * the harness never includes this).
 *
 * Data comes from a counter-based generator: value = f(seed, index), so every
 * element is the same whatever thread computes it, in whatever order. */
#ifndef OSW_KERNEL_UTIL_H
#define OSW_KERNEL_UTIL_H

#include "kernel.h"

#include <float.h>
#include <stddef.h>
#include <stdint.h>

/* SplitMix64's output function (Steele, Lea, Flood 2014): a bijective mix of
 * a 64-bit counter with full avalanche. */
static inline uint64_t osw_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* The value at global position osw_index_base + index of stream seed. */
static inline uint64_t osw_gen_u64(uint64_t seed, uint64_t index)
{
    return osw_mix64(seed * 0x9e3779b97f4a7c15ULL + osw_index_base + index + 1);
}

/* A double uniform in [0, 1): the top 53 bits scaled. */
static inline double osw_gen_unit(uint64_t seed, uint64_t index)
{
    return (double)(osw_gen_u64(seed, index) >> 11) * 0x1.0p-53;
}

/* An integer uniform in [0, bound) by Lemire's multiply-shift (bias < 2^-32). */
static inline uint32_t osw_gen_below(uint64_t seed, uint64_t index, uint32_t bound)
{
    return (uint32_t)(((osw_gen_u64(seed, index) >> 32) * bound) >> 32);
}

/* steps rounds of a dependent xor-multiply-add chain from x: CPU work of
 * known length that the compiler cannot fold into a closed form or vectorise
 * across steps (each step needs the previous one). About 5 cycles a step. */
static inline uint64_t osw_spin(uint64_t x, uint64_t steps)
{
    for (uint64_t k = 0; k < steps; k++)
        x = (x ^ k) * 0x5851f42d4c957f2dULL + 0x14057b7ef767814fULL;
    return x;
}

/* The unit roundoff of double, u = 2^-53. */
#define OSW_U (DBL_EPSILON / 2)

/* gamma_k = k u / (1 - k u) (Higham, Accuracy and Stability, 3.4): the bound
 * on the relative error of k floating-point operations in a chain. */
static inline double osw_gamma(double k)
{
    double ku = k * OSW_U;
    return ku < 1 ? ku / (1 - ku) : 1.0;
}

/* Checks a mean of the n doubles osw_gen_unit(seed, 0 .. n-1) against a
 * Neumaier-compensated long double reference computed serially from the
 * generator. The values are >= 0, so sum|x| = sum x and gamma_(n-1) bounds
 * the relative error of their sum in any order; the division and the
 * reference's rounding add one u each. Returns 1 within that bound, else 0;
 * *rel_err gets the relative error found. */
int osw_check_unit_mean(uint64_t seed, size_t n, double mean, double *rel_err);

/* OSW_ASAN is defined under AddressSanitizer (gcc and clang), where
 * osw_alloc takes another path (below). */
#if defined(__SANITIZE_ADDRESS__)
#define OSW_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OSW_ASAN 1
#endif
#endif

/* Allocates bytes of page-aligned memory in a fresh mapping of its own
 * (arrays of 2 MiB or more: 2 MiB-aligned, and advised in whole 2 MiB pages
 * for transparent huge pages, or against them where the policy says so:
 * osw_alloc_set_policy in kernel.h).
 * Under AddressSanitizer: posix_memalign, for its redzones. Returns NULL on
 * failure. The memory is not touched: the kernel's setup first-touches it
 * in parallel. osw_free accepts NULL. */
void *osw_alloc(size_t bytes);
void osw_free(void *p);

#endif

/* loops.c (this copy: ../mean-prefetch/loops.c with the table cut to the
 * double variants and three added: read4_f64_pf, the ceiling's loop with
 * the 1 KiB prefetch; f64_blk8, the blocked loop without it; f64_acc,
 * per-thread acc[8] without it):
 * the mean_i32 / mean_f64 loops of issue 21 side by side with the
 * read ceiling on the same bytes, outside the suite, timed in one process
 * with the variants interleaved call by call (the order reversed every other
 * round) and each call's process CPU time taken beside its wall time, so
 * that a shared machine's preemption, which inflates the wall time, can be
 * told apart from the loop's own speed.
 *
 * Build: gcc -O3 -march=native -fopenmp -o loops loops.c
 * Run:   OMP_PROC_BIND=close OMP_PLACES=cores ./loops N THREADS REPS
 *        (environment: AHEAD=bytes, default 1024; INNER=calls per sample,
 *        default 1, for in-cache sizes)
 * Prints per variant the best and median wall-clock GB/s and the 10th
 * percentile and median of the CPU-time GB/s (CPU time / threads).
 *
 * Variants (int32 array of N elements, double array of N elements):
 *   read4_f64     ceiling_read4's loop (4 streams, 8 ymm accumulators)
 *   read4_i32raw  the same loop on the int32 array's bytes (vpaddq on raw
 *                 bits, no widening): the read ceiling for mean_i32's bytes
 *   mean_cur      the four-stream loop before the prefetch (flat `for simd`)
 *   mean_intr     one 64-byte line per stream, widened with intrinsics
 *   mean_blk      one line per stream, inner `simd` reduction (no prefetch)
 *   mean_intr_pf  mean_intr with a prefetch AHEAD bytes on in each stream
 *   mean_blk_pf   mean_blk with the prefetch: the loop now in means.h
 *   f64_cur       mean_f64's four-stream loop before the prefetch
 *   f64_blk_pf    two lines per stream, inner `simd` reduction, prefetch
 *   f64_blk8_pf   one line per stream, prefetch: the loop now in means.h
 *   read4_i32raw_pf  read4_i32raw with the prefetch (does the ceiling gain?)
 *   mean_blk32_pf two lines per stream per block, prefetch
 *   mean_acc_pf   one line per stream per block, prefetch, eight per-thread
 *                 lanes kept across blocks (no horizontal sum per block)
 *   f64_acc_pf    the same for doubles
 * The int32 data include values near -2^31, and every mean_* result is
 * checked against the serial int64 sum (a mismatch prints WRONG). */
#define _GNU_SOURCE
#include <immintrin.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static size_t AHEAD = 1024; /* bytes; the environment variable AHEAD overrides */

static size_t qstride(size_t n, size_t elem)
{
    size_t bytes = n / 4 * elem;
    if (bytes < 1024)
        return n / 4;
    return (bytes - (bytes - 1024) % 4096) / elem;
}

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double *F;
static int32_t *I;
static size_t N;
static volatile int64_t sink_i;
static volatile double sink_d;

static void pf4(const void *p, size_t qb)
{
    uintptr_t x = (uintptr_t)p + AHEAD;
    __builtin_prefetch((const void *)x);
    __builtin_prefetch((const void *)(x + qb));
    __builtin_prefetch((const void *)(x + 2 * qb));
    __builtin_prefetch((const void *)(x + 3 * qb));
}

#define LDI(x) _mm256_loadu_si256((const __m256i *)(x))
#define PX(x)  _mm256_cvtepi32_epi64(_mm_loadu_si128((const __m128i *)(x)))
#define ADD    _mm256_add_epi64

static int64_t hsum_i(__m256i t)
{
    int64_t o[4];
    memcpy(o, &t, sizeof(o));
    return o[0] + o[1] + o[2] + o[3];
}

__attribute__((noinline)) static void read4_f64(void)
{
    const double *a = F;
    size_t n = N, q = qstride(n, 8), lines = q / 8;
    double sum = 0;
#pragma omp parallel reduction(+ : sum)
    {
        __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0,
                s7 = s0;
#pragma omp for schedule(static) nowait
        for (size_t l = 0; l < lines; l++) {
            const double *p = a + l * 8;
            s0 = _mm256_add_pd(s0, _mm256_loadu_pd(p));
            s1 = _mm256_add_pd(s1, _mm256_loadu_pd(p + 4));
            s2 = _mm256_add_pd(s2, _mm256_loadu_pd(p + q));
            s3 = _mm256_add_pd(s3, _mm256_loadu_pd(p + q + 4));
            s4 = _mm256_add_pd(s4, _mm256_loadu_pd(p + 2 * q));
            s5 = _mm256_add_pd(s5, _mm256_loadu_pd(p + 2 * q + 4));
            s6 = _mm256_add_pd(s6, _mm256_loadu_pd(p + 3 * q));
            s7 = _mm256_add_pd(s7, _mm256_loadu_pd(p + 3 * q + 4));
        }
        __m256d t = _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(s0, s1), _mm256_add_pd(s2, s3)),
                                  _mm256_add_pd(_mm256_add_pd(s4, s5), _mm256_add_pd(s6, s7)));
        double o[4];
        _mm256_storeu_pd(o, t);
        sum += o[0] + o[1] + o[2] + o[3];
    }
    sink_d = sum;
}

__attribute__((noinline)) static void read4_f64_pf(void)
{
    const double *a = F;
    size_t n = N, q = qstride(n, 8), lines = q / 8;
    double sum = 0;
#pragma omp parallel reduction(+ : sum)
    {
        __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0,
                s7 = s0;
#pragma omp for schedule(static) nowait
        for (size_t l = 0; l < lines; l++) {
            const double *p = a + l * 8;
            pf4(p, q * 8);
            s0 = _mm256_add_pd(s0, _mm256_loadu_pd(p));
            s1 = _mm256_add_pd(s1, _mm256_loadu_pd(p + 4));
            s2 = _mm256_add_pd(s2, _mm256_loadu_pd(p + q));
            s3 = _mm256_add_pd(s3, _mm256_loadu_pd(p + q + 4));
            s4 = _mm256_add_pd(s4, _mm256_loadu_pd(p + 2 * q));
            s5 = _mm256_add_pd(s5, _mm256_loadu_pd(p + 2 * q + 4));
            s6 = _mm256_add_pd(s6, _mm256_loadu_pd(p + 3 * q));
            s7 = _mm256_add_pd(s7, _mm256_loadu_pd(p + 3 * q + 4));
        }
        __m256d t = _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(s0, s1), _mm256_add_pd(s2, s3)),
                                  _mm256_add_pd(_mm256_add_pd(s4, s5), _mm256_add_pd(s6, s7)));
        double o[4];
        _mm256_storeu_pd(o, t);
        sum += o[0] + o[1] + o[2] + o[3];
    }
    sink_d = sum;
}

static void read4_i32raw_body(int prefetch)
{
    const int32_t *a = I;
    size_t n = N, q = qstride(n, 4), lines = q / 16;
    int64_t sum = 0;
#pragma omp parallel reduction(+ : sum)
    {
        __m256i s0 = _mm256_setzero_si256(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0,
                s7 = s0;
#pragma omp for schedule(static) nowait
        for (size_t l = 0; l < lines; l++) {
            const int32_t *p = a + l * 16;
            if (prefetch)
                pf4(p, q * 4);
            s0 = ADD(s0, LDI(p));
            s1 = ADD(s1, LDI(p + 8));
            s2 = ADD(s2, LDI(p + q));
            s3 = ADD(s3, LDI(p + q + 8));
            s4 = ADD(s4, LDI(p + 2 * q));
            s5 = ADD(s5, LDI(p + 2 * q + 8));
            s6 = ADD(s6, LDI(p + 3 * q));
            s7 = ADD(s7, LDI(p + 3 * q + 8));
        }
        sum += hsum_i(ADD(ADD(ADD(s0, s1), ADD(s2, s3)), ADD(ADD(s4, s5), ADD(s6, s7))));
    }
    sink_i = sum;
}
__attribute__((noinline)) static void read4_i32raw(void)
{
    read4_i32raw_body(0);
}
__attribute__((noinline)) static void read4_i32raw_pf(void)
{
    read4_i32raw_body(1);
}

__attribute__((noinline)) static void mean_cur(void)
{
    const int32_t *a = I;
    size_t n = N, q = qstride(n, 4);
    int64_t sum = 0;
#pragma omp parallel
    {
#pragma omp for simd schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = 0; i < q; i++)
            sum += ((int64_t)a[i] + a[i + q]) + ((int64_t)a[i + 2 * q] + a[i + 3 * q]);
#pragma omp for simd schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = 4 * q; i < n; i++)
            sum += a[i];
    }
    sink_i = sum;
}

static void mean_intr_body(int prefetch)
{
    const int32_t *a = I;
    size_t n = N, q = qstride(n, 4), lines = q / 16;
    int64_t sum = 0;
#pragma omp parallel reduction(+ : sum)
    {
        __m256i s0 = _mm256_setzero_si256(), s1 = s0, s2 = s0, s3 = s0;
#pragma omp for schedule(runtime) nowait
        for (size_t l = 0; l < lines; l++) {
            const int32_t *p = a + l * 16;
            if (prefetch)
                pf4(p, q * 4);
            s0 = ADD(s0, ADD(ADD(PX(p), PX(p + 4)), ADD(PX(p + 8), PX(p + 12))));
            s1 = ADD(s1, ADD(ADD(PX(p + q), PX(p + q + 4)), ADD(PX(p + q + 8), PX(p + q + 12))));
            s2 = ADD(s2, ADD(ADD(PX(p + 2 * q), PX(p + 2 * q + 4)),
                             ADD(PX(p + 2 * q + 8), PX(p + 2 * q + 12))));
            s3 = ADD(s3, ADD(ADD(PX(p + 3 * q), PX(p + 3 * q + 4)),
                             ADD(PX(p + 3 * q + 8), PX(p + 3 * q + 12))));
        }
        sum += hsum_i(ADD(ADD(s0, s1), ADD(s2, s3)));
#pragma omp for schedule(runtime) nowait
        for (size_t i = lines * 16; i < q; i++)
            sum += ((int64_t)a[i] + a[i + q]) + ((int64_t)a[i + 2 * q] + a[i + 3 * q]);
#pragma omp for schedule(runtime) nowait
        for (size_t i = 4 * q; i < n; i++)
            sum += a[i];
    }
    sink_i = sum;
}
__attribute__((noinline)) static void mean_intr(void)
{
    mean_intr_body(0);
}
__attribute__((noinline)) static void mean_intr_pf(void)
{
    mean_intr_body(1);
}

static void mean_blk_body(int prefetch)
{
    const int32_t *a = I;
    size_t n = N, q = qstride(n, 4), lines = q / 16;
    int64_t sum = 0;
#pragma omp parallel
    {
#pragma omp for schedule(runtime) reduction(+ : sum) nowait
        for (size_t l = 0; l < lines; l++) {
            const int32_t *p = a + l * 16;
            int64_t s = 0;
            if (prefetch)
                pf4(p, q * 4);
#pragma omp simd reduction(+ : s)
            for (int j = 0; j < 16; j++)
                s += ((int64_t)p[j] + p[j + q]) + ((int64_t)p[j + 2 * q] + p[j + 3 * q]);
            sum += s;
        }
#pragma omp for schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = lines * 16; i < q; i++)
            sum += ((int64_t)a[i] + a[i + q]) + ((int64_t)a[i + 2 * q] + a[i + 3 * q]);
#pragma omp for schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = 4 * q; i < n; i++)
            sum += a[i];
    }
    sink_i = sum;
}
static void mean_blk32_body(void)
{
    const int32_t *a = I;
    size_t n = N, q = qstride(n, 4), lines = q / 32;
    int64_t sum = 0;
#pragma omp parallel
    {
#pragma omp for schedule(runtime) reduction(+ : sum) nowait
        for (size_t l = 0; l < lines; l++) {
            const int32_t *p = a + l * 32;
            int64_t s = 0;
            pf4(p, q * 4);
            pf4(p + 16, q * 4);
#pragma omp simd reduction(+ : s)
            for (int j = 0; j < 32; j++)
                s += ((int64_t)p[j] + p[j + q]) + ((int64_t)p[j + 2 * q] + p[j + 3 * q]);
            sum += s;
        }
#pragma omp for schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = lines * 32; i < q; i++)
            sum += ((int64_t)a[i] + a[i + q]) + ((int64_t)a[i + 2 * q] + a[i + 3 * q]);
#pragma omp for schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = 4 * q; i < n; i++)
            sum += a[i];
    }
    sink_i = sum;
}
__attribute__((noinline)) static void mean_blk32_pf(void)
{
    mean_blk32_body();
}
/* Per-thread lanes kept across blocks (no horizontal sum per block); the
 * reduction is the parallel construct's. */
static void mean_acc_body(int prefetch)
{
    const int32_t *a = I;
    size_t n = N, q = qstride(n, 4), blocks = q / 16;
    int64_t sum = 0;
#pragma omp parallel reduction(+ : sum)
    {
        int64_t acc[8] = {0};
#pragma omp for schedule(runtime) nowait
        for (size_t b = 0; b < blocks; b++) {
            const int32_t *p = a + b * 16;
            if (prefetch)
                pf4(p, q * 4);
            for (size_t h = 0; h < 16; h += 8)
#pragma omp simd
                for (size_t j = 0; j < 8; j++)
                    acc[j] += ((int64_t)p[h + j] + p[h + j + q]) +
                              ((int64_t)p[h + j + 2 * q] + p[h + j + 3 * q]);
        }
        for (size_t j = 0; j < 8; j++)
            sum += acc[j];
#pragma omp for schedule(runtime) nowait
        for (size_t i = blocks * 16; i < q; i++)
            sum += ((int64_t)a[i] + a[i + q]) + ((int64_t)a[i + 2 * q] + a[i + 3 * q]);
#pragma omp for schedule(runtime) nowait
        for (size_t i = 4 * q; i < n; i++)
            sum += a[i];
    }
    sink_i = sum;
}
__attribute__((noinline)) static void mean_acc_pf(void)
{
    mean_acc_body(1);
}

static void f64_acc_body(int pf)
{
    const double *a = F;
    size_t n = N, q = qstride(n, 8), blocks = q / 8;
    double sum = 0;
#pragma omp parallel reduction(+ : sum)
    {
        double acc[8] = {0};
#pragma omp for schedule(runtime) nowait
        for (size_t b = 0; b < blocks; b++) {
            const double *p = a + b * 8;
            if (pf)
                pf4(p, q * 8);
#pragma omp simd
            for (size_t j = 0; j < 8; j++)
                acc[j] += (p[j] + p[j + q]) + (p[j + 2 * q] + p[j + 3 * q]);
        }
        for (size_t j = 0; j < 8; j++)
            sum += acc[j];
#pragma omp for schedule(runtime) nowait
        for (size_t i = blocks * 8; i < q; i++)
            sum += (a[i] + a[i + q]) + (a[i + 2 * q] + a[i + 3 * q]);
#pragma omp for schedule(runtime) nowait
        for (size_t i = 4 * q; i < n; i++)
            sum += a[i];
    }
    sink_d = sum;
}
__attribute__((noinline)) static void f64_acc_pf(void)
{
    f64_acc_body(1);
}

__attribute__((noinline)) static void mean_blk(void)
{
    mean_blk_body(0);
}
__attribute__((noinline)) static void mean_blk_pf(void)
{
    mean_blk_body(1);
}

__attribute__((noinline)) static void f64_cur(void)
{
    const double *a = F;
    size_t n = N, q = qstride(n, 8);
    double sum = 0;
#pragma omp parallel
    {
#pragma omp for simd schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = 0; i < q; i++)
            sum += (a[i] + a[i + q]) + (a[i + 2 * q] + a[i + 3 * q]);
#pragma omp for simd schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = 4 * q; i < n; i++)
            sum += a[i];
    }
    sink_d = sum;
}

static void f64_blk_body(size_t B, int pf)
{
    const double *a = F;
    size_t n = N, q = qstride(n, 8), lines = q / B;
    double sum = 0;
#pragma omp parallel
    {
#pragma omp for schedule(runtime) reduction(+ : sum) nowait
        for (size_t l = 0; l < lines; l++) {
            const double *p = a + l * B;
            double s = 0;
            if (pf)
                for (size_t k = 0; k < B; k += 8)
                    pf4(p + k, q * 8);
#pragma omp simd reduction(+ : s)
            for (size_t j = 0; j < B; j++)
                s += (p[j] + p[j + q]) + (p[j + 2 * q] + p[j + 3 * q]);
            sum += s;
        }
#pragma omp for schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = lines * B; i < q; i++)
            sum += (a[i] + a[i + q]) + (a[i + 2 * q] + a[i + 3 * q]);
#pragma omp for schedule(runtime) reduction(+ : sum) nowait
        for (size_t i = 4 * q; i < n; i++)
            sum += a[i];
    }
    sink_d = sum;
}
__attribute__((noinline)) static void f64_blk_pf(void)
{
    f64_blk_body(16, 1);
}
__attribute__((noinline)) static void f64_blk8_pf(void)
{
    f64_blk_body(8, 1);
}


__attribute__((noinline)) static void f64_blk8(void)
{
    f64_blk_body(8, 0);
}
__attribute__((noinline)) static void f64_acc(void)
{
    f64_acc_body(0);
}
typedef void (*fn)(void);

static int cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s N THREADS REPS\n", argv[0]);
        return 2;
    }
    N = strtoull(argv[1], NULL, 0);
    int th = atoi(argv[2]), reps = atoi(argv[3]);
    if (N < 64 || th < 1 || reps < 1) {
        fprintf(stderr, "loops: N >= 64, THREADS >= 1, REPS >= 1\n");
        return 2;
    }
    int inner = getenv("INNER") ? atoi(getenv("INNER")) : 1;
    if (inner < 1)
        inner = 1;
    if (getenv("AHEAD"))
        AHEAD = strtoull(getenv("AHEAD"), NULL, 0);
    omp_set_num_threads(th);
    omp_set_schedule(omp_sched_static, 0);
    size_t hp = (size_t)1 << 21;
    F = aligned_alloc(hp, (N * 8 + hp - 1) / hp * hp);
    I = aligned_alloc(hp, (N * 4 + hp - 1) / hp * hp);
    if (!F || !I) {
        fprintf(stderr, "loops: out of memory\n");
        return 3;
    }
    madvise(F, N * 8, MADV_HUGEPAGE);
    madvise(I, N * 4, MADV_HUGEPAGE);
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < N; i++) {
        F[i] = (double)(i % 7) / 7.0;
        I[i] = (int32_t)(i % 10) - (i % 3 == 0 ? 2000000000 : 0);
    }
    int64_t ref = 0;
    for (size_t i = 0; i < N; i++)
        ref += I[i];
    const struct {
        const char *name;
        fn f;
        double bytes;
        int exact;
    } v[] = {
        {"read4_f64", read4_f64, 8.0, 0}, {"read4_f64_pf", read4_f64_pf, 8.0, 0},
        {"f64_cur", f64_cur, 8.0, 0}, {"f64_blk8_pf", f64_blk8_pf, 8.0, 0},
        {"f64_blk8", f64_blk8, 8.0, 0}, {"f64_acc_pf", f64_acc_pf, 8.0, 0},
        {"f64_acc", f64_acc, 8.0, 0},
    };
    const int nv = (int)(sizeof(v) / sizeof(v[0]));
    double *wall = calloc((size_t)nv * (size_t)reps, sizeof(double));
    double *cpu = calloc((size_t)nv * (size_t)reps, sizeof(double));
    if (!wall || !cpu)
        return 3;
    for (int k = 0; k < nv; k++) {
        v[k].f();
        if (v[k].exact && sink_i != ref)
            printf("WRONG %s %lld %lld\n", v[k].name, (long long)sink_i, (long long)ref);
    }
    for (int r = 0; r < reps; r++)
        for (int kk = 0; kk < nv; kk++) {
            int k = (r & 1) ? nv - 1 - kk : kk;
            double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), t0 = clock_s(CLOCK_MONOTONIC);
            for (int c = 0; c < inner; c++)
                v[k].f();
            wall[k * reps + r] = (clock_s(CLOCK_MONOTONIC) - t0) / inner;
            cpu[k * reps + r] = (clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0) / th / inner;
        }
    for (int k = 0; k < nv; k++) {
        double *x = wall + k * reps, *y = cpu + k * reps, b = v[k].bytes * (double)N / 1e9;
        qsort(x, (size_t)reps, sizeof(double), cmp);
        qsort(y, (size_t)reps, sizeof(double), cmp);
        printf("%-16s th=%d n=%zu wall GB/s best %6.2f med %6.2f | cpu GB/s q10 %6.2f med %6.2f\n",
               v[k].name, th, N, b / x[0], b / x[reps / 2], b / y[reps / 10], b / y[reps / 2]);
    }
    free(wall);
    free(cpu);
    free(F);
    free(I);
    return 0;
}

/* arraybench: EPCC arraybench's data-sharing clauses (construct.h has the
 * method) over arrays of S doubles, S in {1, 729, 59049} (EPCC's IDA): n
 * parallel regions whose threads each run the array delay on the region's
 * copy of the array, the result the overhead per region in ns. Checks:
 * private: each thread's copy is its own (not the original's address) and
 * the delay's value lands in it; firstprivate: every copy holds the value
 * the original had at the region's start; copyprivate: every thread's copy
 * holds the value the single's executor produced; copyin: every thread's
 * threadprivate copy holds the master's value; and every thread ran every
 * region (exact count). */
#include "construct.h"

/* A pragma whose text a macro builds. */
#define OSW_PRAGMA(text) _Pragma(#text)

/* Each clause's kernel for arrays of S doubles is one macro (the arrays'
 * size must be known at compile time: threadprivate needs a static array),
 * over a_S (the shared original) and t_S (threadprivate); ARRAY_KERNELS(S)
 * makes the arrays and the four. */
#define ARRAY_PRIVATE(S)                                                                           \
    static void run_private_##S(void *ctx)                                                         \
    {                                                                                              \
        struct cx *c = ctx;                                                                        \
        const size_t n = c->n;                                                                     \
        const int len = c->len;                                                                    \
        const double expect = c->expect + c->fault; /* fault: another value */                     \
        double *orig = a_##S;                                                                      \
        cx_reset(c);                                                                               \
        double t0 = cx_now();                                                                      \
        for (size_t j = 0; j < n; j++) {                                                           \
            OSW_PRAGMA(omp parallel private(a_##S))                                                \
            {                                                                                      \
                cx_array_delay(len, a_##S);                                                        \
                cx_slot *me = cx_my_slot(c);                                                       \
                me->count++;                                                                       \
                me->bad += a_##S == orig || a_##S[0] != expect;                                    \
            }                                                                                      \
        }                                                                                          \
        array_done(c, t0);                                                                         \
    }

#define ARRAY_FIRSTPRIVATE(S)                                                                      \
    static void run_firstprivate_##S(void *ctx)                                                    \
    {                                                                                              \
        struct cx *c = ctx;                                                                        \
        const size_t n = c->n;                                                                     \
        const int len = c->len;                                                                    \
        const double fault = c->fault; /* fault: a wrong value copied */                           \
        cx_reset(c);                                                                               \
        double t0 = cx_now();                                                                      \
        for (size_t j = 0; j < n; j++) {                                                           \
            const double mark = (double)j + 0.5;                                                   \
            a_##S[S - 1] = mark + fault;                                                           \
            OSW_PRAGMA(omp parallel firstprivate(a_##S))                                           \
            {                                                                                      \
                cx_slot *me = cx_my_slot(c);                                                       \
                me->bad += a_##S[S - 1] != mark;                                                   \
                cx_array_delay(len, a_##S);                                                        \
                me->count++;                                                                       \
            }                                                                                      \
        }                                                                                          \
        array_done(c, t0);                                                                         \
    }

#define ARRAY_COPYPRIVATE(S)                                                                       \
    static void run_copyprivate_##S(void *ctx)                                                     \
    {                                                                                              \
        struct cx *c = ctx;                                                                        \
        const size_t n = c->n;                                                                     \
        const int len = c->len;                                                                    \
        const double expect = c->expect;                                                           \
        const double fault = c->fault; /* fault: a wrong value copied */                           \
        cx_reset(c);                                                                               \
        double t0 = cx_now();                                                                      \
        for (size_t j = 0; j < n; j++) {                                                           \
            const double mark = (double)j + 0.5;                                                   \
            OSW_PRAGMA(omp parallel private(a_##S))                                                \
            {                                                                                      \
                OSW_PRAGMA(omp single copyprivate(a_##S))                                          \
                {                                                                                  \
                    cx_array_delay(len, a_##S);                                                    \
                    a_##S[S - 1] = (S > 1 ? mark : a_##S[0]) + fault;                              \
                }                                                                                  \
                cx_slot *me = cx_my_slot(c);                                                       \
                me->count++;                                                                       \
                me->bad += a_##S[0] != expect || a_##S[S - 1] != (S > 1 ? mark : expect);          \
            }                                                                                      \
        }                                                                                          \
        array_done(c, t0);                                                                         \
    }

#define ARRAY_COPYIN(S)                                                                            \
    static void run_copyin_##S(void *ctx)                                                          \
    {                                                                                              \
        struct cx *c = ctx;                                                                        \
        const size_t n = c->n;                                                                     \
        const int len = c->len;                                                                    \
        const double fault = c->fault; /* fault: a wrong value copied */                           \
        cx_reset(c);                                                                               \
        double t0 = cx_now();                                                                      \
        for (size_t j = 0; j < n; j++) {                                                           \
            const double mark = (double)j + 0.5;                                                   \
            t_##S[S - 1] = mark + fault;                                                           \
            OSW_PRAGMA(omp parallel copyin(t_##S))                                                 \
            {                                                                                      \
                cx_slot *me = cx_my_slot(c);                                                       \
                me->bad += t_##S[S - 1] != mark;                                                   \
                cx_array_delay(len, t_##S);                                                        \
                me->count++;                                                                       \
            }                                                                                      \
        }                                                                                          \
        array_done(c, t0);                                                                         \
    }

#define ARRAY_KERNELS(S)                                                                           \
    static double a_##S[S];                                                                        \
    static double t_##S[S];                                                                        \
    OSW_PRAGMA(omp threadprivate(t_##S))                                                           \
    ARRAY_PRIVATE(S)                                                                               \
    ARRAY_FIRSTPRIVATE(S)                                                                          \
    ARRAY_COPYPRIVATE(S)                                                                           \
    ARRAY_COPYIN(S)                                                                                \
    CX_KERNEL(array_private_##S, "arraybench", "EPCC PRIVATE " #S ": private(a[" #S "])",          \
              setup_array, run_private_##S);                                                       \
    CX_KERNEL(array_firstprivate_##S, "arraybench",                                                \
              "EPCC FIRSTPRIVATE " #S ": firstprivate(a[" #S "])", setup_array,                    \
              run_firstprivate_##S);                                                               \
    CX_KERNEL(array_copyprivate_##S, "arraybench",                                                 \
              "EPCC COPYPRIVATE " #S ": single copyprivate(a[" #S "])", setup_array,               \
              run_copyprivate_##S);                                                                \
    CX_KERNEL(array_copyin_##S, "arraybench",                                                      \
              "EPCC COPYIN " #S ": copyin of a threadprivate a[" #S "]", setup_array,              \
              run_copyin_##S)

static int setup_array(void **ctx, size_t n)
{
    return cx_setup(ctx, n, n, CX_REF_ARRAY);
}

/* After a kernel's n regions: their time, the team that ran them and the
 * count of executions to expect (one per thread and region). Defined after
 * the macros that call it, so that no line counter reads the macros' run
 * functions as part of a function above them. */
static void array_done(struct cx *c, double t0)
{
    cx_finish(c, t0);
    cx_probe_team(c);
    c->want = (long)c->n * c->team;
}

ARRAY_KERNELS(1);
ARRAY_KERNELS(729);
ARRAY_KERNELS(59049);

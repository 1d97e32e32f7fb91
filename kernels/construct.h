/* construct.h: what the construct kernels (syncbench.c, taskbench.c,
 * arraybench.c) share, all static (each family file gets its own copy and
 * exports only its descriptors).
 *
 * EPCC's method (Bull, "Measuring synchronisation and scheduling overheads
 * in OpenMP", EWOMP 1999; Bull, Reid, McDonnell, IWOMP 2012): n executions
 * of one construct, each around a delay calibrated to CX_DELAY_NS, are timed
 * against the reference time of the same delays without the construct; the
 * overhead per execution is (test - reference) / n. Here the reference is
 * measured in setup (the median of CX_REF_REPS serial runs), each run times
 * its own executions, and the result hook reports (median of the runs'
 * times - reference) / n in nanoseconds. */
#ifndef OSW_CONSTRUCT_H
#define OSW_CONSTRUCT_H

#include "kernel.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* EPCC's default delay time, 0.1 us. */
#define CX_DELAY_NS 100.0
/* Runs whose times the result's median takes (the latest). */
#define CX_RING 64
/* Serial runs of the reference in setup. */
#define CX_REF_REPS 7
/* Sampled checks (barrier order, task barrier completion): executions j
 * with j % CX_SAMPLE == 0, and the last. */
#define CX_SAMPLE 64

/* Keeps the delays' sums alive: written only when a sum is negative, never. */
static volatile double cx_sink;

/* The delay: len dependent float additions (a chain the compiler may not
 * reassociate without -ffast-math, so it takes len adds' latency). */
static inline void cx_delay(int len)
{
    float a = 0.0f;
    for (int i = 0; i < len; i++)
        a += (float)i;
    if (a < 0.0f)
        cx_sink = a;
}

/* The array delay of arraybench: the same chain, accumulated in a[0]. */
static inline void cx_array_delay(int len, double *a)
{
    /* The whole array counts as read (EPCC's array_delay is an external
     * function): without this, the compiler sees that only a[0] and a[S-1]
     * of a private copy are used and trims the firstprivate/copyin copy
     * that the kernel exists to measure. */
    __asm__ __volatile__("" : : "r"(a) : "memory");
    a[0] = 1.0;
    for (int i = 0; i < len; i++)
        a[0] += i;
    if (a[0] < 0.0)
        cx_sink = a[0];
}

/* The delay length (iterations) that takes CX_DELAY_NS, calibrated once per
 * family file: grown by 10% until 1000 delays average that long. */
static int cx_delay_length(void)
{
    static int len = -1;
    if (len >= 0)
        return len;
    int l = 0;
    double per = 0;
    while (per < CX_DELAY_NS * 1e-9) {
        l = (int)(l * 1.1) + 1;
        double t0 = omp_get_wtime();
        for (int r = 0; r < 1000; r++)
            cx_delay(l);
        per = (omp_get_wtime() - t0) / 1000;
    }
    len = l;
    return len;
}

/* One thread's counters, a cache line each. count: executions (delays) it
 * ran; nodes: tasks it ran (task trees); bad: checks that failed; mark:
 * the last sampled execution it reached (barrier checks, atomic access). */
typedef struct cx_slot {
    long count;
    long nodes;
    long bad;
    long mark;
    char pad[64 - 4 * sizeof(long)];
} cx_slot;

/* What a reference run does per execution. */
enum cx_ref { CX_REF_DELAY, CX_REF_ARRAY, CX_REF_ADD };

struct cx {
    size_t n;
    int len;      /* delay length */
    double ref_s; /* reference time of the run's delays, median */
    int runs;     /* runs since setup */
    double times[CX_RING];
    int team;         /* the last run's team */
    long count, want; /* the last run's executions (delays) and those expected */
    long nodes, want_nodes;
    long bad; /* the last run's failed checks */
    int nslots;
    cx_slot *slots;
    /* Shared state of some constructs, on cache lines of their own: the
     * checks' shared count and the lock do not share a line with each other
     * or with the run's bookkeeping (EPCC's lock is a global of its own). */
    _Alignas(64) long shared_count;
    long last;
    double shared_sum, one;
    int never;     /* 0, read at run time: a condition the compiler cannot fold */
    double expect; /* the array delay's a[0] */
    _Alignas(64) omp_lock_t lock;
    _Alignas(64) int has_lock;
    int fault; /* 1: the test hook OSW_CX_FAULT names this kernel (below) */
};

static inline double cx_now(void)
{
    return omp_get_wtime();
}

static void cx_reference_run(const struct cx *c, size_t delays, int ref)
{
    double a[1] = {0}, x = 0, b = 1.0;
    for (size_t j = 0; j < delays; j++) {
        if (ref == CX_REF_DELAY)
            cx_delay(c->len);
        else if (ref == CX_REF_ARRAY)
            cx_array_delay(c->len, a);
        else {
            x += b;
            b *= c->one;
        }
    }
    if (x < 0 || a[0] < 0)
        cx_sink = x + a[0];
}

static int cx_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double cx_median(double *v, int k)
{
    qsort(v, (size_t)k, sizeof(*v), cx_cmp);
    return k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
}

/* Setup shared by every construct kernel: the delay, the slots (one per
 * thread of the current thread count), and the reference time of `delays`
 * executions of kind ref. */
static int cx_setup(void **ctx, size_t n, size_t delays, int ref)
{
    /* Line-aligned: one slot per cache line (no false sharing between the
     * threads' counters), the shared fields on lines of their own. */
    struct cx *c = aligned_alloc(64, sizeof(*c));
    if (!c)
        return -ENOMEM;
    memset(c, 0, sizeof(*c));
    c->nslots = omp_get_max_threads();
    c->slots = aligned_alloc(64, (size_t)c->nslots * sizeof(*c->slots));
    if (!c->slots) {
        free(c);
        return -ENOMEM;
    }
    memset(c->slots, 0, (size_t)c->nslots * sizeof(*c->slots));
    c->n = n;
    c->len = cx_delay_length();
    c->one = 1.0;
    c->want = c->want_nodes = -1;
    double a[1];
    cx_array_delay(c->len, a);
    c->expect = a[0];
    double t[CX_REF_REPS];
    cx_reference_run(c, delays, ref); /* warm */
    for (int r = 0; r < CX_REF_REPS; r++) {
        double t0 = cx_now();
        cx_reference_run(c, delays, ref);
        t[r] = cx_now() - t0;
    }
    c->ref_s = cx_median(t, CX_REF_REPS);
    *ctx = c;
    return 0;
}

/* The test-only fault hook (docs/kernels.md): when the environment variable
 * OSW_CX_FAULT, a comma-separated list of kernel names read once here in
 * setup, names this kernel, its runs break the guarantee its check verifies
 * (an execution lost, an instance run twice, an arrival or a task missing, a
 * wrong value copied), so that the tests can show every check able to
 * fail. Never set in a measurement. */
static void cx_arm_fault(void *ctx, const char *name)
{
    const char *p = getenv("OSW_CX_FAULT");
    const size_t len = strlen(name);
    int hit = 0;
    while (p && *p && !hit) {
        const char *end = strchr(p, ',');
        size_t k = end ? (size_t)(end - p) : strlen(p);
        hit = k == len && strncmp(p, name, len) == 0;
        p = end ? end + 1 : NULL;
    }
    ((struct cx *)ctx)->fault = hit;
}

/* Fault of the kernels whose check is an exact count of executions that
 * thread 0 tallies in its slot: thread 0 loses one (call before cx_finish). */
static inline void cx_fault_drop(struct cx *c)
{
    c->slots[0].count -= c->fault;
}

static void cx_teardown(void *ctx)
{
    struct cx *c = ctx;
    if (!c)
        return;
    if (c->has_lock)
        omp_destroy_lock(&c->lock);
    free(c->slots);
    free(c);
}

/* Before a run: every counter at 0. */
static void cx_reset(struct cx *c)
{
    memset(c->slots, 0, (size_t)c->nslots * sizeof(*c->slots));
    c->shared_count = 0;
    c->last = -1;
    c->shared_sum = 0;
    c->team = 0;
}

/* The slot of the calling thread. A team never outgrows the thread count
 * setup saw, so the modulo only guards memory, off the usual path: it is an
 * integer division, which cost each CONDITIONAL TASK execution about 10 ns
 * on the dev VM. */
static inline cx_slot *cx_my_slot(struct cx *c)
{
    int t = omp_get_thread_num();
    return &c->slots[t < c->nslots ? t : t % c->nslots];
}

/* A task's count: written only by the thread running it, read by others
 * through cx_total_atomic. */
static inline void cx_count_task(struct cx *c, long nodes)
{
    cx_slot *s = cx_my_slot(c);
    long v = s->count + 1, w = s->nodes + nodes;
    __atomic_store_n(&s->count, v, __ATOMIC_RELAXED);
    __atomic_store_n(&s->nodes, w, __ATOMIC_RELAXED);
}

static inline long cx_total_atomic(struct cx *c, int team)
{
    long total = 0;
    for (int t = 0; t < team && t < c->nslots; t++) {
        long v;
        v = __atomic_load_n(&c->slots[t].count, __ATOMIC_RELAXED);
        total += v;
    }
    return total;
}

/* After a run: the run's time into the ring, the counters summed. */
static void cx_finish(struct cx *c, double t0)
{
    double t = cx_now() - t0;
    c->times[c->runs % CX_RING] = t;
    c->runs++;
    long count = 0, nodes = 0, bad = 0;
    for (int t = 0; t < c->nslots; t++) {
        count += c->slots[t].count;
        nodes += c->slots[t].nodes;
        bad += c->slots[t].bad;
    }
    c->count = count;
    c->nodes = nodes;
    c->bad = bad;
}

/* For kernels of many parallel regions, one more region after the timed
 * ones records the team in the probe and c->team (busy time ~0: the
 * construct kernels' imbalance is not meaningful). */
static inline void cx_probe_team(struct cx *c)
{
#pragma omp parallel
    {
        int cpu;
        double t0 = osw_probe_begin(&cpu);
#pragma omp master
        c->team = omp_get_num_threads();
        osw_probe_end(t0, cpu);
    }
}

static int cx_verify(const void *ctx, double *rel_err)
{
    const struct cx *c = ctx;
    int ok = c->runs > 0 && c->count == c->want && c->bad == 0 &&
             (c->want_nodes < 0 || c->nodes == c->want_nodes);
    if (ok)
        *rel_err = 0.0;
    else if (c->want > 0)
        *rel_err = fabs((double)(c->count - c->want)) / (double)c->want + (c->bad ? 1.0 : 0.0);
    else
        *rel_err = 1.0;
    if (!ok && *rel_err == 0.0)
        *rel_err = 1.0;
    return ok;
}

/* Overhead per execution, ns: (median of the latest runs - reference) / n;
 * NaN before the first run, 0 for n = 0. */
static double cx_result(const void *ctx)
{
    const struct cx *c = ctx;
    if (c->runs == 0)
        return NAN;
    if (c->n == 0)
        return 0.0;
    int k = c->runs < CX_RING ? c->runs : CX_RING;
    double t[CX_RING];
    memcpy(t, c->times, (size_t)k * sizeof(*t));
    return (cx_median(t, k) - c->ref_s) / (double)c->n * 1e9;
}

/* A construct kernel's descriptor: n counts executions. Its setup is
 * setup_fn, then the fault hook armed under the kernel's name. */
#define CX_KERNEL(id, fam, text, setup_fn, run_fn)                                                 \
    static int cx_setup_##id(void **ctx, size_t n)                                                 \
    {                                                                                              \
        int rc = setup_fn(ctx, n);                                                                 \
        if (rc == 0)                                                                               \
            cx_arm_fault(*ctx, #id);                                                               \
        return rc;                                                                                 \
    }                                                                                              \
    const osw_kernel osw_##id = {                                                                  \
        .name = #id,                                                                               \
        .summary = text,                                                                           \
        .unit = "executions",                                                                      \
        .bytes_per_elem = 0,                                                                       \
        .ops_per_elem = 0,                                                                         \
        .alloc_bytes_per_elem = 0,                                                                 \
        .kind = OSW_CPU_BOUND,                                                                     \
        .default_n = 1u << 14,                                                                     \
        .setup = cx_setup_##id,                                                                    \
        .run = run_fn,                                                                             \
        .verify = cx_verify,                                                                       \
        .teardown = cx_teardown,                                                                   \
        .result = cx_result,                                                                       \
        .combine = OSW_COMBINE_NONE,                                                               \
        .taskloop = 0,                                                                             \
        .family = fam,                                                                             \
    }

#endif

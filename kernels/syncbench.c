/* syncbench: EPCC syncbench's constructs (construct.h has the method), each
 * a kernel: n executions of the construct around a 0.1 us delay, the result
 * the overhead per execution in ns. Checks: every thread ran every
 * execution it owes (exact counts); barrier: no thread passes early
 * (sampled every CX_SAMPLE executions); single: exactly one executor per
 * instance; critical, lock: a non-atomic shared count is exact; ordered:
 * the executions come in order; atomic: the atomic sum is exact;
 * reduction: the reduced count is exact. */
#include "construct.h"

static int setup_delay(void **ctx, size_t n)
{
    return cx_setup(ctx, n, n, CX_REF_DELAY);
}

/* PARALLEL: n parallel regions, each thread delays once in each. */
static void run_parallel(void *ctx)
{
    struct cx *c = ctx;
    const size_t n = c->n;
    const int len = c->len;
    cx_reset(c);
    double t0 = cx_now();
    for (size_t j = 0; j < n; j++) {
#pragma omp parallel
        {
            cx_delay(len);
            cx_my_slot(c)->count++;
        }
    }
    cx_fault_drop(c);
    cx_finish(c, t0);
    cx_probe_team(c);
    c->want = (long)n * c->team;
}

/* FOR: one region, n worksharing loops of team iterations. */
static void run_for(void *ctx)
{
    struct cx *c = ctx;
    const size_t n = c->n;
    const int len = c->len;
    cx_reset(c);
    double t0 = cx_now();
#pragma omp parallel
    {
        int cpu;
        double tp = osw_probe_begin(&cpu);
        const int team = omp_get_num_threads();
        long cnt = 0;
        for (size_t j = 0; j < n; j++) {
#pragma omp for
            for (int i = 0; i < team; i++) {
                cx_delay(len);
                cnt++;
            }
        }
        cx_my_slot(c)->count = cnt;
#pragma omp master
        c->team = team;
        osw_probe_end(tp, cpu);
    }
    cx_fault_drop(c);
    cx_finish(c, t0);
    c->want = (long)n * c->team;
}

/* PARALLEL FOR: n combined regions of (thread count) iterations. */
static void run_parallel_for(void *ctx)
{
    struct cx *c = ctx;
    const size_t n = c->n;
    const int len = c->len, p = omp_get_max_threads();
    cx_reset(c);
    double t0 = cx_now();
    for (size_t j = 0; j < n; j++) {
#pragma omp parallel for
        for (int i = 0; i < p; i++) {
            cx_delay(len);
            cx_my_slot(c)->count++;
        }
    }
    cx_fault_drop(c);
    cx_finish(c, t0);
    cx_probe_team(c);
    c->want = (long)n * p;
}

/* BARRIER: one region, each thread delays then waits n times. Every
 * CX_SAMPLE-th execution each thread marks its arrival before the barrier
 * and checks after it that every thread has arrived. */
static void run_barrier(void *ctx)
{
    struct cx *c = ctx;
    const size_t n = c->n;
    const int len = c->len;
    cx_reset(c);
    double t0 = cx_now();
#pragma omp parallel
    {
        int cpu;
        double tp = osw_probe_begin(&cpu);
        const int team = omp_get_num_threads();
        cx_slot *me = cx_my_slot(c);
        /* Fault: thread 0's arrival is not recorded before the barrier, as
         * if the team had passed it without thread 0. */
        const long late = c->fault && omp_get_thread_num() == 0;
        long cnt = 0, bad = 0;
        for (size_t j = 0; j < n; j++) {
            cx_delay(len);
            cnt++;
            const int sampled = j % CX_SAMPLE == 0 || j + 1 == n;
            if (sampled) {
                long v = (long)j + 1 - late;
                __atomic_store_n(&me->mark, v, __ATOMIC_RELAXED);
            }
#pragma omp barrier
            if (sampled) {
                for (int t = 0; t < team && t < c->nslots; t++) {
                    long m;
                    m = __atomic_load_n(&c->slots[t].mark, __ATOMIC_RELAXED);
                    bad += m < (long)j + 1;
                }
            }
        }
        me->count = cnt;
        me->bad = bad;
#pragma omp master
        c->team = team;
        osw_probe_end(tp, cpu);
    }
    cx_finish(c, t0);
    c->want = (long)n * c->team;
}

/* SINGLE: one region, n single constructs; each executor counts in its own
 * slot, so the sum is n exactly when each instance ran exactly once (fault:
 * every thread counts an extra execution, as if instance 0 ran on each). */
static void run_single(void *ctx)
{
    struct cx *c = ctx;
    const size_t n = c->n;
    const int len = c->len;
    cx_reset(c);
    double t0 = cx_now();
#pragma omp parallel
    {
        int cpu;
        double tp = osw_probe_begin(&cpu);
        long cnt = 0;
        for (size_t j = 0; j < n; j++) {
#pragma omp single
            {
                cx_delay(len);
                cnt++;
            }
        }
        cx_my_slot(c)->count = cnt + c->fault;
#pragma omp master
        c->team = omp_get_num_threads();
        osw_probe_end(tp, cpu);
    }
    cx_finish(c, t0);
    c->want = (long)n;
}

/* The share of n executions thread tid of team runs (EPCC: n / team). */
static size_t share_of(size_t n, int tid, int team)
{
    return n / (size_t)team + ((size_t)tid < n % (size_t)team);
}

/* CRITICAL: n critical sections over the team; the shared count is
 * incremented without atomics inside, so it is exact only under mutual
 * exclusion. */
static void run_critical(void *ctx)
{
    struct cx *c = ctx;
    const size_t n = c->n;
    const int len = c->len;
    cx_reset(c);
    double t0 = cx_now();
#pragma omp parallel
    {
        int cpu;
        double tp = osw_probe_begin(&cpu);
        size_t mine = share_of(n, omp_get_thread_num(), omp_get_num_threads());
        for (size_t j = 0; j < mine; j++) {
#pragma omp critical
            {
                cx_delay(len);
                c->shared_count++;
            }
        }
#pragma omp master
        c->team = omp_get_num_threads();
        osw_probe_end(tp, cpu);
    }
    cx_finish(c, t0);
    c->count = c->shared_count - c->fault;
    c->want = (long)n;
}

static int setup_lock(void **ctx, size_t n)
{
    int rc = cx_setup(ctx, n, n, CX_REF_DELAY);
    if (rc == 0) {
        struct cx *c = *ctx;
        omp_init_lock(&c->lock);
        c->has_lock = 1;
    }
    return rc;
}

/* LOCK/UNLOCK: as CRITICAL, with omp_set_lock / omp_unset_lock. */
static void run_lock(void *ctx)
{
    struct cx *c = ctx;
    const size_t n = c->n;
    const int len = c->len;
    cx_reset(c);
    double t0 = cx_now();
#pragma omp parallel
    {
        int cpu;
        double tp = osw_probe_begin(&cpu);
        size_t mine = share_of(n, omp_get_thread_num(), omp_get_num_threads());
        for (size_t j = 0; j < mine; j++) {
            omp_set_lock(&c->lock);
            cx_delay(len);
            c->shared_count++;
            omp_unset_lock(&c->lock);
        }
#pragma omp master
        c->team = omp_get_num_threads();
        osw_probe_end(tp, cpu);
    }
    cx_finish(c, t0);
    c->count = c->shared_count - c->fault;
    c->want = (long)n;
}

/* ORDERED: a static,1 loop of n ordered sections; each checks that the one
 * before it was execution j - 1. */
static void run_ordered(void *ctx)
{
    struct cx *c = ctx;
    const long n = (long)c->n;
    const int len = c->len, fault = c->fault; /* fault: the order looks broken */
    cx_reset(c);
    long bad = 0;
    double t0 = cx_now();
#pragma omp parallel
    {
        int cpu;
        double tp = osw_probe_begin(&cpu);
#pragma omp for ordered schedule(static, 1)
        for (long j = 0; j < n; j++) {
#pragma omp ordered
            {
                cx_delay(len);
                c->shared_count++;
                bad += c->last != j - 1;
                c->last = j + fault;
            }
        }
#pragma omp master
        c->team = omp_get_num_threads();
        osw_probe_end(tp, cpu);
    }
    cx_finish(c, t0);
    c->count = c->shared_count;
    c->bad += bad + (c->last != n - 1);
    c->want = n;
}

static int setup_add(void **ctx, size_t n)
{
    return cx_setup(ctx, n, n, CX_REF_ADD);
}

/* ATOMIC: n atomic updates of a shared double over the team, no delay (as
 * EPCC: the reference is the same additions, serial, non-atomic). The
 * added value b is multiplied by c->one (1.0, unknown to the compiler), so
 * the sum is n exactly. */
static void run_atomic(void *ctx)
{
    struct cx *c = ctx;
    const size_t n = c->n;
    const double one = c->one;
    cx_reset(c);
    double t0 = cx_now();
#pragma omp parallel
    {
        int cpu;
        double tp = osw_probe_begin(&cpu);
        size_t mine = share_of(n, omp_get_thread_num(), omp_get_num_threads());
        double b = 1.0;
        for (size_t j = 0; j < mine; j++) {
#pragma omp atomic
            c->shared_sum += b;
            b *= one;
        }
#pragma omp master
        c->team = omp_get_num_threads();
        osw_probe_end(tp, cpu);
    }
    cx_finish(c, t0);
    c->shared_sum += 0.5 * c->fault; /* fault: an update half lost */
    c->count = (long)c->shared_sum;
    c->bad += c->shared_sum != (double)c->count;
    c->want = (long)n;
}

/* REDUCTION: n parallel regions with reduction(+) of one count each. */
static void run_reduction(void *ctx)
{
    struct cx *c = ctx;
    const size_t n = c->n;
    const int len = c->len;
    cx_reset(c);
    long total = 0;
    double t0 = cx_now();
    for (size_t j = 0; j < n; j++) {
        long k = 0;
#pragma omp parallel reduction(+ : k)
        {
            cx_delay(len);
            k += 1;
        }
        total += k;
    }
    cx_finish(c, t0);
    cx_probe_team(c);
    c->count = total - c->fault;
    c->want = (long)n * c->team;
}

CX_KERNEL(sync_parallel, "syncbench", "EPCC PARALLEL: a parallel region around a 0.1 us delay",
          setup_delay, run_parallel);
CX_KERNEL(sync_for, "syncbench", "EPCC FOR: a worksharing for (one delay per thread)", setup_delay,
          run_for);
CX_KERNEL(sync_parallel_for, "syncbench", "EPCC PARALLEL FOR: a combined parallel for", setup_delay,
          run_parallel_for);
CX_KERNEL(sync_barrier, "syncbench", "EPCC BARRIER: a barrier after each thread's delay",
          setup_delay, run_barrier);
CX_KERNEL(sync_single, "syncbench", "EPCC SINGLE: a single construct around the delay", setup_delay,
          run_single);
CX_KERNEL(sync_critical, "syncbench", "EPCC CRITICAL: a critical section around the delay",
          setup_delay, run_critical);
CX_KERNEL(sync_lock, "syncbench", "EPCC LOCK/UNLOCK: omp_set_lock/omp_unset_lock around the delay",
          setup_lock, run_lock);
CX_KERNEL(sync_ordered, "syncbench", "EPCC ORDERED: an ordered section in a static,1 loop",
          setup_delay, run_ordered);
CX_KERNEL(sync_atomic, "syncbench", "EPCC ATOMIC: an atomic update of a shared double", setup_add,
          run_atomic);
CX_KERNEL(sync_reduction, "syncbench", "EPCC REDUCTION: a parallel region with reduction(+)",
          setup_delay, run_reduction);

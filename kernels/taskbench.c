/* taskbench: EPCC taskbench's task constructs (construct.h has the method),
 * each a kernel: n executions, each a 0.1 us delay in a task, the result the
 * overhead per execution in ns. Every task counts itself in the slot of the
 * thread that runs it; the checks: the task count is exact (every task ran
 * exactly once), the trees' node counts are exact, and after each sampled
 * task barrier every task created before it has run. */
#include "construct.h"

/* Task tree depth (EPCC's DEPTH): 2^DEPTH delays per tree. */
#define DEPTH 6

static int setup_delay(void **ctx, size_t n)
{
    return cx_setup(ctx, n, n, CX_REF_DELAY);
}

static int setup_tree(void **ctx, size_t n)
{
    return cx_setup(ctx, n, (n >> DEPTH) << DEPTH, CX_REF_DELAY);
}

/* A task's body: the delay, counted. */
static inline void task_body(struct cx *c, int len)
{
    cx_delay(len);
    cx_count_task(c, 1);
}

/* Every kernel here runs one region: the probe around the work, then an
 * explicit barrier (where the tasks drain) before the probe's end. */
static inline void region_end(struct cx *c, double tp, int cpu)
{
#pragma omp barrier
#pragma omp master
    c->team = omp_get_num_threads();
    osw_probe_end(tp, cpu);
}

/* PARALLEL TASK: every thread creates n tasks. */
static void run_parallel_task(void *ctx)
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
        for (size_t j = 0; j < n; j++) {
#pragma omp task
            task_body(c, len);
        }
        region_end(c, tp, cpu);
    }
    cx_fault_drop(c);
    cx_finish(c, t0);
    c->want = (long)n * c->team;
}

/* MASTER TASK: the master creates n * team tasks. */
static void run_master_task(void *ctx)
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
#pragma omp master
        for (size_t j = 0; j < n * (size_t)team; j++) {
#pragma omp task
            task_body(c, len);
        }
        region_end(c, tp, cpu);
    }
    cx_fault_drop(c);
    cx_finish(c, t0);
    c->want = (long)n * c->team;
}

/* MASTER TASK BUSY: thread 0 creates n tasks while the others delay n
 * times themselves (counted as executions too). */
static void run_master_task_busy(void *ctx)
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
        const int tid = omp_get_thread_num();
        for (size_t j = 0; j < n; j++) {
            if (tid == 0) {
#pragma omp task
                task_body(c, len);
            } else {
                task_body(c, len);
            }
        }
        region_end(c, tp, cpu);
    }
    cx_fault_drop(c);
    cx_finish(c, t0);
    c->want = (long)n * c->team;
}

/* CONDITIONAL TASK: every thread creates n undeferred tasks, if(0) known
 * only at run time. */
static void run_conditional_task(void *ctx)
{
    struct cx *c = ctx;
    const size_t n = c->n;
    const int len = c->len, cond = c->never;
    cx_reset(c);
    double t0 = cx_now();
#pragma omp parallel
    {
        int cpu;
        double tp = osw_probe_begin(&cpu);
        for (size_t j = 0; j < n; j++) {
#pragma omp task if (cond)
            task_body(c, len);
        }
        region_end(c, tp, cpu);
    }
    cx_fault_drop(c);
    cx_finish(c, t0);
    c->want = (long)n * c->team;
}

/* TASK WAIT: every thread creates a task and waits for it, n times. */
static void run_task_wait(void *ctx)
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
        for (size_t j = 0; j < n; j++) {
#pragma omp task
            task_body(c, len);
#pragma omp taskwait
        }
        region_end(c, tp, cpu);
    }
    cx_fault_drop(c);
    cx_finish(c, t0);
    c->want = (long)n * c->team;
}

/* TASK BARRIER: every thread creates a task, then a barrier, n times;
 * every CX_SAMPLE-th barrier each thread checks that all (j + 1) * team
 * tasks created so far have run. */
static void run_task_barrier(void *ctx)
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
        /* Fault: thread 0 creates no task in execution 0. */
        const size_t skip = c->fault && omp_get_thread_num() == 0 ? 0 : SIZE_MAX;
        long bad = 0;
        for (size_t j = 0; j < n; j++) {
            if (j != skip) {
#pragma omp task
                task_body(c, len);
            }
#pragma omp barrier
            if (j % CX_SAMPLE == 0 || j + 1 == n)
                bad += cx_total_atomic(c, team) < ((long)j + 1) * team;
        }
        cx_my_slot(c)->mark = bad;
        region_end(c, tp, cpu);
    }
    cx_finish(c, t0);
    for (int t = 0; t < c->nslots; t++)
        c->bad += c->slots[t].mark;
    c->want = (long)n * c->team;
}

/* NESTED TASK: n outer tasks over the team, each creating team inner
 * (untied) tasks and waiting for them. */
static void run_nested_task(void *ctx)
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
        const int tid = omp_get_thread_num(), team = omp_get_num_threads();
        size_t mine = n / (size_t)team + ((size_t)tid < n % (size_t)team);
        for (size_t j = 0; j < mine; j++) {
#pragma omp task
            {
                for (int i = 0; i < team; i++) {
#pragma omp task untied
                    task_body(c, len);
                }
#pragma omp taskwait
            }
        }
        region_end(c, tp, cpu);
    }
    cx_fault_drop(c);
    cx_finish(c, t0);
    c->want = (long)n * c->team;
}

/* A branch tree of level l: one task holding two subtrees and a delay. */
static void branch_tree(struct cx *c, int len, int level)
{
    if (level > 0) {
#pragma omp task
        {
            branch_tree(c, len, level - 1);
            branch_tree(c, len, level - 1);
            cx_delay(len);
            cx_count_task(c, 1);
        }
    }
}

/* BRANCH TASK TREE: every thread n >> DEPTH root tasks, each a tree of
 * 2^DEPTH - 1 tasks plus its own delay: 2^DEPTH delays and tasks. */
static void run_branch_tree(void *ctx)
{
    struct cx *c = ctx;
    const size_t roots = c->n >> DEPTH;
    const int len = c->len;
    cx_reset(c);
    double t0 = cx_now();
#pragma omp parallel
    {
        int cpu;
        double tp = osw_probe_begin(&cpu);
        for (size_t j = 0; j < roots; j++) {
#pragma omp task
            {
                branch_tree(c, len, DEPTH);
                cx_delay(len);
                cx_count_task(c, 1 + c->fault); /* fault: a node counted twice */
            }
        }
        region_end(c, tp, cpu);
    }
    cx_finish(c, t0);
    c->want = c->want_nodes = (long)(roots << DEPTH) * c->team;
}

/* A leaf tree of level l: a task holding two subtrees; a leaf is a delay. */
static void leaf_tree(struct cx *c, int len, int level)
{
    if (level == 0) {
        cx_delay(len);
        cx_count_task(c, 0);
    } else {
#pragma omp task
        {
            cx_slot *s = cx_my_slot(c);
            long w = s->nodes + 1 + c->fault; /* fault: a node counted twice */
            __atomic_store_n(&s->nodes, w, __ATOMIC_RELAXED);
            leaf_tree(c, len, level - 1);
            leaf_tree(c, len, level - 1);
        }
    }
}

/* LEAF TASK TREE: every thread n >> DEPTH trees of 2^DEPTH - 1 tasks whose
 * 2^DEPTH leaves delay. */
static void run_leaf_tree(void *ctx)
{
    struct cx *c = ctx;
    const size_t roots = c->n >> DEPTH;
    const int len = c->len;
    cx_reset(c);
    double t0 = cx_now();
#pragma omp parallel
    {
        int cpu;
        double tp = osw_probe_begin(&cpu);
        for (size_t j = 0; j < roots; j++)
            leaf_tree(c, len, DEPTH);
        region_end(c, tp, cpu);
    }
    cx_finish(c, t0);
    c->want = (long)(roots << DEPTH) * c->team;
    c->want_nodes = (long)(roots * ((1u << DEPTH) - 1)) * c->team;
}

CX_KERNEL(task_parallel, "taskbench", "EPCC PARALLEL TASK: every thread creates tasks", setup_delay,
          run_parallel_task);
CX_KERNEL(task_master, "taskbench", "EPCC MASTER TASK: the master creates every task", setup_delay,
          run_master_task);
CX_KERNEL(task_master_busy, "taskbench",
          "EPCC MASTER TASK BUSY SLAVES: thread 0 creates tasks, the others delay", setup_delay,
          run_master_task_busy);
CX_KERNEL(task_conditional, "taskbench", "EPCC CONDITIONAL TASK: undeferred tasks, if(0)",
          setup_delay, run_conditional_task);
CX_KERNEL(task_wait, "taskbench", "EPCC TASK WAIT: a task and a taskwait", setup_delay,
          run_task_wait);
CX_KERNEL(task_barrier, "taskbench", "EPCC TASK BARRIER: a task and a barrier", setup_delay,
          run_task_barrier);
CX_KERNEL(task_nested, "taskbench", "EPCC NESTED TASK: tasks creating team tasks and waiting",
          setup_delay, run_nested_task);
CX_KERNEL(task_branch_tree, "taskbench", "EPCC BRANCH TASK TREE: binary trees of tasks, depth 6",
          setup_tree, run_branch_tree);
CX_KERNEL(task_leaf_tree, "taskbench", "EPCC LEAF TASK TREE: trees whose leaves delay, depth 6",
          setup_tree, run_leaf_tree);

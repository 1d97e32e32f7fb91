/* osw_ompt.c: libosw_ompt.so, the suite's OMPT tool (docs/regions.md). An
 * OpenMP 5.0 runtime with OMPT (LLVM's libomp; GNU libgomp 12 has none)
 * loads it when OMP_TOOL_LIBRARIES names it, and it measures every parallel
 * region of an unmodified program, keyed by the region's code pointer (the
 * return address of the runtime call that started it):
 *
 *   parallel begin/end (the encountering thread): calls, wall time, the
 *     requested team size;
 *   implicit task begin/end (each thread of the team): the actual team
 *     size, the thread's time inside the region;
 *   sync region wait begin/end (barriers only): the thread's time waiting;
 *   work begin: the kinds of worksharing constructs (loop schedules where
 *     the runtime reports them).
 *
 * Every thread adds to a table of its own (no lock on the hot path; a
 * thread takes the registry's lock once, to register its table). At the
 * runtime's finalize the tables are merged and one block is appended, in
 * one write(), to the file OSW_OMPT_OUT names (standard error without it):
 *
 *   osw_ompt 1 pid=PID wall_s=S dropped=D
 *   region vaddr=0xADDR calls=C total_s=S team_req=R team_ran_min=A
 *          team_ran_max=B threads=T task_s=S barrier_s=S busy_max_s=S
 *          busy_mean_s=S work=KINDS nested=0|1 module=PATH
 *   end
 *
 * (each region on one line, fields separated by one space; module is last
 * and runs to the end of the line). vaddr is the code pointer less the load
 * bias of the module holding it: the address in that ELF file's own terms,
 * what addr2line -e PATH or libdw map to a source line. wall_s runs from the
 * tool's start (the runtime's initialisation) to its finalize. task_s and
 * barrier_s are sums over the threads; busy_* are over each thread's
 * task_s - barrier_s. */
#define _GNU_SOURCE
#include <omp-tools.h>

#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef OSW_OMPT_EXPORT
#define OSW_OMPT_EXPORT
#endif

#define SLOTS     1024 /* regions per thread (a power of 2) */
#define MAX_DEPTH 16   /* nesting of parallel regions followed */

/* The worksharing kinds seen, bit (1 << wstype): ompt_work_t values;
 * OpenMP 5.2 adds loop_static (10), loop_dynamic (11), loop_guided (12) and
 * loop_other (13), which newer runtimes report instead of loop (1). */
static const char *const work_names[] = {
    [1] = "loop",         [2] = "sections",      [3] = "single_executor", [4] = "single_other",
    [5] = "workshare",    [6] = "distribute",    [7] = "taskloop",        [8] = "scope",
    [10] = "loop_static", [11] = "loop_dynamic", [12] = "loop_guided",    [13] = "loop_other",
};
#define WORK_KINDS ((int)(sizeof(work_names) / sizeof(work_names[0])))

/* One region in one thread's table. */
struct slot {
    const void *codeptr; /* NULL: free */
    /* the encountering thread's */
    uint64_t calls;
    double total_s;
    int team_req, nested;
    /* the master's implicit task (index 0): the team that ran */
    int team_ran_min, team_ran_max;
    /* this thread's */
    uint64_t tasks;
    double task_s, barrier_s;
    uint32_t work;
};

/* A region instance started by this thread (parallel_data points to it). */
struct instance {
    const void *codeptr;
    double t0;
    int team_req;
};

/* An implicit task this thread runs. */
struct task {
    struct slot *slot;
    double t0, wait_t0;
};

struct table {
    struct slot slots[SLOTS];
    struct instance par[MAX_DEPTH];
    struct task tasks[MAX_DEPTH];
    int npar, ntasks;
    uint64_t dropped; /* events of regions that found no free slot or were nested too deep */
    struct table *next;
};

static __thread struct table *my_table;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct table *registry;
static double start_s;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct table *table(void)
{
    struct table *t = my_table;
    if (t)
        return t;
    t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    pthread_mutex_lock(&registry_lock);
    t->next = registry;
    registry = t;
    pthread_mutex_unlock(&registry_lock);
    my_table = t;
    return t;
}

/* The slot of codeptr in t, created on first use; NULL when the table is
 * full. */
static struct slot *slot_of(struct table *t, const void *codeptr)
{
    uintptr_t h = ((uintptr_t)codeptr >> 4) * 0x9E3779B97F4A7C15u;
    for (unsigned i = 0; i < SLOTS; i++) {
        struct slot *s = &t->slots[(h + i) & (SLOTS - 1)];
        if (s->codeptr == codeptr)
            return s;
        if (!s->codeptr) {
            s->codeptr = codeptr;
            s->team_ran_min = 0;
            return s;
        }
    }
    t->dropped++;
    return NULL;
}

static void on_parallel_begin(ompt_data_t *encountering_task_data,
                              const ompt_frame_t *encountering_task_frame,
                              ompt_data_t *parallel_data, unsigned int requested_parallelism,
                              int flags, const void *codeptr_ra)
{
    (void)encountering_task_data;
    (void)encountering_task_frame;
    (void)flags;
    struct table *t = table();
    parallel_data->ptr = NULL;
    if (!t)
        return;
    if (t->npar == MAX_DEPTH) {
        t->dropped++;
        t->npar++; /* counted, so that the end pops the right one */
        return;
    }
    if (t->npar > MAX_DEPTH) {
        t->npar++;
        return;
    }
    struct instance *in = &t->par[t->npar++];
    in->codeptr = codeptr_ra;
    in->team_req = (int)requested_parallelism;
    parallel_data->ptr = in;
    in->t0 = now_s();
}

static void on_parallel_end(ompt_data_t *parallel_data, ompt_data_t *encountering_task_data,
                            int flags, const void *codeptr_ra)
{
    double t1 = now_s();
    (void)encountering_task_data;
    (void)flags;
    (void)codeptr_ra;
    struct table *t = my_table;
    if (!t || t->npar == 0)
        return;
    t->npar--;
    struct instance *in = parallel_data->ptr;
    if (!in)
        return;
    struct slot *s = slot_of(t, in->codeptr);
    if (!s)
        return;
    s->calls++;
    s->total_s += t1 - in->t0;
    if (in->team_req > s->team_req)
        s->team_req = in->team_req;
    if (t->ntasks > 0)
        s->nested = 1; /* started inside another region's implicit task */
}

static void on_implicit_task(ompt_scope_endpoint_t endpoint, ompt_data_t *parallel_data,
                             ompt_data_t *task_data, unsigned int actual_parallelism,
                             unsigned int index, int flags)
{
    double t = now_s();
    (void)task_data;
    if (flags & ompt_task_initial)
        return;
    struct table *tb = table();
    if (!tb)
        return;
    if (endpoint == ompt_scope_begin) {
        struct instance *in = parallel_data ? parallel_data->ptr : NULL;
        struct slot *s = in ? slot_of(tb, in->codeptr) : NULL;
        if (tb->ntasks >= MAX_DEPTH) {
            tb->ntasks++;
            tb->dropped++;
            return;
        }
        struct task *k = &tb->tasks[tb->ntasks++];
        k->slot = s;
        k->t0 = t;
        k->wait_t0 = 0;
        if (s && index == 0) {
            int a = (int)actual_parallelism;
            if (!s->team_ran_min || a < s->team_ran_min)
                s->team_ran_min = a;
            if (a > s->team_ran_max)
                s->team_ran_max = a;
        }
    } else if (endpoint == ompt_scope_end && tb->ntasks > 0) {
        tb->ntasks--;
        if (tb->ntasks >= MAX_DEPTH)
            return;
        struct task *k = &tb->tasks[tb->ntasks];
        if (k->slot) {
            k->slot->tasks++;
            k->slot->task_s += t - k->t0;
        }
    }
}

/* Barrier waits: every sync region kind but taskwait, taskgroup and
 * reduction (compared as numbers: some of the barrier names are deprecated
 * in OpenMP 5.1). */
static void on_sync_region_wait(ompt_sync_region_t kind, ompt_scope_endpoint_t endpoint,
                                ompt_data_t *parallel_data, ompt_data_t *task_data,
                                const void *codeptr_ra)
{
    double t = now_s();
    (void)parallel_data;
    (void)task_data;
    (void)codeptr_ra;
    int k = (int)kind;
    if (k == 5 || k == 6 || k == 7)
        return;
    struct table *tb = my_table;
    if (!tb || tb->ntasks == 0 || tb->ntasks > MAX_DEPTH)
        return;
    struct task *task = &tb->tasks[tb->ntasks - 1];
    if (endpoint == ompt_scope_begin)
        task->wait_t0 = t;
    else if (endpoint == ompt_scope_end && task->wait_t0 > 0) {
        if (task->slot)
            task->slot->barrier_s += t - task->wait_t0;
        task->wait_t0 = 0;
    }
}

static void on_work(ompt_work_t wstype, ompt_scope_endpoint_t endpoint, ompt_data_t *parallel_data,
                    ompt_data_t *task_data, uint64_t count, const void *codeptr_ra)
{
    (void)parallel_data;
    (void)task_data;
    (void)count;
    (void)codeptr_ra;
    if (endpoint != ompt_scope_begin)
        return;
    struct table *tb = my_table;
    int w = (int)wstype;
    if (!tb || tb->ntasks == 0 || tb->ntasks > MAX_DEPTH || w <= 0 || w >= WORK_KINDS)
        return;
    struct slot *s = tb->tasks[tb->ntasks - 1].slot;
    if (s)
        s->work |= 1u << w;
}

/* ---- the report ---- */

struct module_hit {
    uintptr_t addr, bias;
    const char *name;
    int found;
};

static int find_module(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    struct module_hit *h = data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && h->addr >= lo && h->addr < lo + ph->p_memsz) {
            h->bias = info->dlpi_addr;
            h->name = info->dlpi_name;
            h->found = 1;
            return 1;
        }
    }
    return 0;
}

/* A growing text buffer. */
struct text {
    char *p;
    size_t n, cap;
};

static void put(struct text *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int w = b->p ? vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap) : -1;
        va_end(ap);
        if (w >= 0 && (size_t)w < b->cap - b->n) {
            b->n += (size_t)w;
            return;
        }
        size_t cap = b->cap ? 2 * b->cap : 65536;
        if (w >= 0 && cap < b->n + (size_t)w + 1)
            cap = b->n + (size_t)w + 1;
        char *p = realloc(b->p, cap);
        if (!p)
            return;
        b->p = p;
        b->cap = cap;
    }
}

/* One region's figures, merged over the threads' tables. */
struct merged {
    const void *codeptr;
    struct slot sum;
    int threads;
    double busy_max, busy_sum;
};

static void report(void)
{
    double wall = now_s() - start_s;
    pthread_mutex_lock(&registry_lock);
    size_t cap = 0, n = 0;
    uint64_t dropped = 0;
    for (struct table *t = registry; t; t = t->next)
        cap += SLOTS;
    struct merged *m = calloc(cap ? cap : 1, sizeof(*m));
    for (struct table *t = registry; t && m; t = t->next) {
        dropped += t->dropped;
        for (unsigned i = 0; i < SLOTS; i++) {
            const struct slot *s = &t->slots[i];
            if (!s->codeptr)
                continue;
            size_t j = 0;
            while (j < n && m[j].codeptr != s->codeptr)
                j++;
            if (j == n)
                m[n++].codeptr = s->codeptr;
            struct merged *r = &m[j];
            r->sum.calls += s->calls;
            r->sum.total_s += s->total_s;
            if (s->team_req > r->sum.team_req)
                r->sum.team_req = s->team_req;
            r->sum.nested |= s->nested;
            if (s->team_ran_min && (!r->sum.team_ran_min || s->team_ran_min < r->sum.team_ran_min))
                r->sum.team_ran_min = s->team_ran_min;
            if (s->team_ran_max > r->sum.team_ran_max)
                r->sum.team_ran_max = s->team_ran_max;
            r->sum.task_s += s->task_s;
            r->sum.barrier_s += s->barrier_s;
            r->sum.work |= s->work;
            if (s->tasks) {
                double busy = s->task_s - s->barrier_s;
                r->threads++;
                r->busy_sum += busy;
                if (busy > r->busy_max)
                    r->busy_max = busy;
            }
        }
    }
    pthread_mutex_unlock(&registry_lock);
    struct text b = {0};
    put(&b, "osw_ompt 1 pid=%ld wall_s=%.9f dropped=%llu\n", (long)getpid(), wall,
        (unsigned long long)dropped);
    char exe[4096];
    ssize_t el = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    exe[el > 0 ? el : 0] = '\0';
    for (size_t j = 0; m && j < n; j++) {
        const struct merged *r = &m[j];
        struct module_hit h = {.addr = (uintptr_t)r->codeptr};
        dl_iterate_phdr(find_module, &h);
        const char *module = h.found ? (h.name && h.name[0] ? h.name : exe) : "?";
        char work[160] = "";
        size_t wl = 0;
        for (int w = 1; w < WORK_KINDS; w++)
            if ((r->sum.work & (1u << w)) && work_names[w] && wl + 24 < sizeof(work))
                wl += (size_t)snprintf(work + wl, sizeof(work) - wl, "%s%s", wl ? "," : "",
                                       work_names[w]);
        put(&b,
            "region vaddr=0x%llx calls=%llu total_s=%.9f team_req=%d team_ran_min=%d "
            "team_ran_max=%d threads=%d task_s=%.9f barrier_s=%.9f busy_max_s=%.9f "
            "busy_mean_s=%.9f work=%s nested=%d module=%s\n",
            (unsigned long long)((uintptr_t)r->codeptr - h.bias), (unsigned long long)r->sum.calls,
            r->sum.total_s, r->sum.team_req, r->sum.team_ran_min, r->sum.team_ran_max, r->threads,
            r->sum.task_s, r->sum.barrier_s, r->busy_max,
            r->threads ? r->busy_sum / r->threads : 0.0, work[0] ? work : "-", r->sum.nested,
            module);
    }
    put(&b, "end\n");
    free(m);
    if (!b.p)
        return;
    const char *out = getenv("OSW_OMPT_OUT");
    int fd = out && *out ? open(out, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : 2;
    if (fd < 0) {
        fprintf(stderr, "osw_ompt: cannot open OSW_OMPT_OUT '%s': %s\n", out, strerror(errno));
    } else {
        for (size_t off = 0; off < b.n;) {
            ssize_t w = write(fd, b.p + off, b.n - off);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        if (fd != 2)
            close(fd);
    }
    free(b.p);
}

/* ---- the OMPT entry points ---- */

static int tool_initialize(ompt_function_lookup_t lookup, int initial_device_num,
                           ompt_data_t *tool_data)
{
    (void)initial_device_num;
    (void)tool_data;
    start_s = now_s();
    ompt_set_callback_t set_callback = (ompt_set_callback_t)lookup("ompt_set_callback");
    if (!set_callback)
        return 0; /* 0: the tool is not active */
    set_callback(ompt_callback_parallel_begin, (ompt_callback_t)on_parallel_begin);
    set_callback(ompt_callback_parallel_end, (ompt_callback_t)on_parallel_end);
    set_callback(ompt_callback_implicit_task, (ompt_callback_t)on_implicit_task);
    set_callback(ompt_callback_sync_region_wait, (ompt_callback_t)on_sync_region_wait);
    set_callback(ompt_callback_work, (ompt_callback_t)on_work);
    return 1;
}

static void tool_finalize(ompt_data_t *tool_data)
{
    (void)tool_data;
    report();
}

OSW_OMPT_EXPORT ompt_start_tool_result_t *ompt_start_tool(unsigned int omp_version,
                                                          const char *runtime_version)
{
    (void)omp_version;
    (void)runtime_version;
    static ompt_start_tool_result_t result = {tool_initialize, tool_finalize, {0}};
    return &result;
}
